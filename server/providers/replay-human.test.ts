import { describe, expect, it } from 'vitest';
import { SuiteCase, type GenerateRequest } from '../domain/eval.ts';
import { ProviderError } from './provider-error.ts';
import { createReplayHumanProvider } from './replay-human.ts';

const suiteCase = (human_reply: string | null): SuiteCase =>
  SuiteCase.parse({
    case_id: 'web-1#2',
    dialogue_id: 'web-1',
    history: [{ role: 'customer', text: '屏幕碎了怎么办' }],
    customer_message: '屏幕碎了怎么办',
    customer: null,
    contact_date: '2026-03-02',
    reference_answer: '可以保修',
    required_facts: [],
    expected_escalation: false,
    intent: 'screen_repair',
    language: 'zh',
    channel: 'web',
    human_reply,
    gold: { fcr: null, accuracy: null, tone: null },
  });

const request = (c?: SuiteCase): GenerateRequest => ({
  messages: [{ role: 'user', content: '屏幕碎了怎么办' }],
  params: { temperature: 0, max_tokens: 400 },
  ...(c ? { case: c } : {}),
});

describe('replay:human', () => {
  const provider = createReplayHumanProvider();

  it("returns the logged human agent's reply with zero usage", async () => {
    expect(provider.id).toBe('replay:human');
    expect(await provider.generate(request(suiteCase('您好，屏幕在保修期内可以免费更换。')))).toEqual({
      text: '您好，屏幕在保修期内可以免费更换。',
      usage: { input_tokens: 0, output_tokens: 0 },
      model: 'replay:human',
    });
  });

  it('fails without retry when the case has no logged reply, or no case is given', async () => {
    const missing = await provider.generate(request(suiteCase(null))).catch((e: unknown) => e);
    expect(ProviderError.isInstance(missing) && missing.retryable).toBe(false);
    expect(String(missing)).toContain('no logged reply for case web-1#2');
    const noCase = await provider.generate(request()).catch((e: unknown) => e);
    expect(ProviderError.isInstance(noCase) && noCase.retryable).toBe(false);
  });
});
