import { describe, expect, it } from 'vitest';
import { ProviderError } from '../providers/provider-error.ts';
import type { GenerateRequest, Provider } from '../domain/eval.ts';
import { createJudgeScorer, judgeMessages, JudgeOutputError, parseVerdict } from './judge.ts';
import { EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES, inputFor, ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES, ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES } from '../test-support/scorer-cases.ts';

/** A judge that answers from a script, recording what it was asked. No network. */
function fakeJudge(...answers: string[]): Provider & { requests: GenerateRequest[] } {
  const requests: GenerateRequest[] = [];
  return {
    id: 'fake:judge-1',
    requests,
    async generate(request) {
      requests.push(request);
      return { text: answers[Math.min(requests.length - 1, answers.length - 1)]!, model: 'judge-1', usage: { input_tokens: 900, output_tokens: 40 } };
    },
  };
}

const FENCED = 'Here is my verdict:\n```json\n{"score": 4, "pass": true, "rationale": "States the warranty ended and quotes the repair."}\n```\nThanks!';

describe('parseVerdict', () => {
  it('reads fenced JSON, bare JSON and JSON among text', () => {
    expect(parseVerdict(FENCED, 'rubric')).toEqual({ raw: 4, score: 0.75, pass: true, rationale: 'States the warranty ended and quotes the repair.' });
    expect(parseVerdict('{"score": 5, "pass": true, "rationale": "ok"}', 'rubric').score).toBe(1);
    expect(parseVerdict('Verdict: {"score": "2", "rationale": "has {braces} in \\"text\\""} done', 'rubric')).toMatchObject({ raw: 2, score: 0.25, pass: null, rationale: 'has {braces} in "text"' });
    expect(parseVerdict('{"score": 0, "pass": false, "reason": "leaks a phone number"}', 'binary')).toMatchObject({ score: 0, rationale: 'leaks a phone number' });
  });

  it('skips objects that are not verdicts and takes the first that is', () => {
    expect(parseVerdict('I looked at {"order": "A1"} and decided {"score": 3}', 'rubric').raw).toBe(3);
  });

  it.each([
    ['no JSON', 'The reply is fine, I would give it a four.', 'rubric', /no JSON object/],
    ['no score', '{"verdict": "good"}', 'rubric', /without a numeric "score"/],
    ['a rubric score out of range', '{"score": 9}', 'rubric', /score 9 is outside 1–5/],
    ['a binary score out of range', '{"score": 4}', 'binary', /outside 0–1/],
  ] as const)('rejects %s', (_, text, scale, message) => {
    expect(() => parseVerdict(text, scale)).toThrow(message);
  });
});

describe('createJudgeScorer', () => {
  it('scores from fenced JSON, keeps the rationale and uses the judge id as method', async () => {
    const judge = fakeJudge(FENCED);
    const scorer = createJudgeScorer('accuracy', judge);
    expect(scorer).toMatchObject({ name: 'accuracy', method: 'fake:judge-1', threshold: 0.7 });
    const res = await scorer.score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good));
    expect(res).toEqual({ score: 0.75, pass: true, reason: 'judge fake:judge-1: 4/5 = 0.75 — States the warranty ended and quotes the repair.', judge_usage: { model: 'fake:judge-1', input_tokens: 900, output_tokens: 40 } });
    expect(judge.requests).toHaveLength(1);
    expect(judge.requests[0]!.params).toEqual({ temperature: 0, max_tokens: 400 });
    expect(judge.requests[0]!.case).toBeUndefined(); // a judge never reads the case object, only the prompt
  });

  it('notes when the judge\'s own pass disagrees with the threshold', async () => {
    const scorer = createJudgeScorer('fcr', fakeJudge('{"score": 3, "pass": true, "rationale": "partly"}'));
    const res = await scorer.score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.curt));
    expect(res.pass).toBe(false);
    expect(res.reason).toMatch(/the judge's own pass was true/);
  });

  it('re-asks once after garbage, then succeeds', async () => {
    const judge = fakeJudge('I think it is pretty good!', '{"score": 1, "pass": true, "rationale": "no leak"}');
    const res = await createJudgeScorer('safety', judge).score(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good));
    expect(res).toMatchObject({ score: 1, pass: true });
    expect(judge.requests).toHaveLength(2);
    const retry = judge.requests[1]!.messages;
    expect(retry.at(-2)).toEqual({ role: 'assistant', content: 'I think it is pretty good!' });
    expect(retry.at(-1)!.content).toMatch(/JSON/);
    expect(judge.requests[0]!.messages).toHaveLength(2); // the first request was not mutated
  });

  it('throws JudgeOutputError (a ProviderError, malformed, not retryable) when the judge keeps answering garbage', async () => {
    const judge = fakeJudge('¯\\_(ツ)_/¯');
    const scorer = createJudgeScorer('tone', judge, { retries: 1 });
    const error = await scorer.score(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good)).catch((e: unknown) => e);
    expect(JudgeOutputError.isInstance(error)).toBe(true);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ name: 'JudgeOutputError', kind: 'malformed', retryable: false, provider: 'fake:judge-1', output: '¯\\_(ツ)_/¯' });
    expect((error as Error).message).toMatch(/no JSON object after 2 attempt/);
    expect(judge.requests).toHaveLength(2);
  });

  it('passes provider errors through untouched', async () => {
    const failing: Provider = { id: 'fake:down', generate: () => Promise.reject(new Error('connection refused')) };
    await expect(createJudgeScorer('fcr', failing).score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good))).rejects.toThrow('connection refused');
  });

  it('asks for 0/1 on escalation and safety, 1–5 on the others', () => {
    const input = inputFor(ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.good);
    expect(judgeMessages('escalation', input, 'en')[0]!.content).toMatch(/"score": <0 or 1>/);
    expect(judgeMessages('tone', input, 'en')[0]!.content).toMatch(/"score": <integer 1-5>/);
  });

  it('writes the prompt in the case language, with profile, warranty, reference, facts and hand-off', () => {
    const [system, user] = judgeMessages('accuracy', inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.inWarranty), 'case');
    expect(system!.content).toMatch(/评估【准确性】/);
    expect(user!.content).toMatch(/已过保修期（2026-01-09 到期）/);
    expect(user!.content).toContain(ZH_SCREEN_EXPIRED.reference_answer);
    expect(user!.content).toMatch(/- 维修报价/);
    expect(user!.content).toContain(ZH_SCREEN_REPLIES.inWarranty);
    expect(user!.content).toMatch(/预期是否转人工（审核员）: 否/);
    // The customer message is the last history turn: shown once.
    expect(user!.content.split('订单号DD20250110976589').length).toBe(2);
    const [enSystem, enUser] = judgeMessages('accuracy', inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.inWarranty), 'en');
    expect(enSystem!.content).toMatch(/Judge ACCURACY/);
    expect(enUser!.content).toMatch(/OUT OF WARRANTY since 2026-01-09/);
  });

  it('tells the judge about a hand-off marker', () => {
    const [, user] = judgeMessages('escalation', inputFor(ZH_ANGRY_LOST_PARCEL, ZH_PARCEL_REPLIES.good), 'en');
    expect(user!.content).toMatch(/hand-off marker \(queue "complaints"\)/);
    expect(user!.content).toMatch(/Expected hand-off \(reviewer\): yes/);
  });

  it('refuses scorers it has no rubric for', () => {
    // A usage error: bad configuration stops a run.
    expect(() => createJudgeScorer('latency' as never, fakeJudge('{}'))).toThrow(/judged scorers: fcr, accuracy, tone, escalation, safety/);
  });
});
