// The judge against a real local OpenAI-compatible server: it asks for a JSON-schema response,
// reads a structured verdict, fails on an invalid one, shows gold-labeled examples in the case's
// language and keeps its own token usage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteCase } from '../domain/eval.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import { summarizeRun } from '../metrics/run-summary.ts';
import { startMockOpenAI, mockChatCompletion, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { createOpenAIProvider } from '../providers/openai.ts';
import { SCORERS } from './registry.ts';
import { SCORER_FACTS } from './run-summary-facts.ts';
import { createJudgeScorer, JudgeOutputError, judgeExamples, parseStructuredVerdict } from './judge.ts';
import { EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES, inputFor, ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES } from '../test-support/scorer-cases.ts';

let server: MockOpenAIServer;
/** What the mock judge answers next, by the last user message's start. */
let answer: (body: { messages: { role: string; content: string }[] }) => string = () => '{"score": 4, "pass": true, "rationale": "Polite and clear."}';

beforeAll(async () => {
  server = await startMockOpenAI({
    handler: ({ body }) => {
      const completion = mockChatCompletion(body);
      (completion.choices as { message: { content: string } }[])[0]!.message.content = answer(body as never);
      return { body: completion };
    },
  });
});
afterAll(() => server.close());

const judge = () => createOpenAIProvider({ model: 'gpt-4o-mini', baseURL: server.url, env: {} });

const labeled = (c: SuiteCase, id: string, reply: string, tone: number): SuiteCase => ({ ...c, case_id: `${id}#1`, dialogue_id: id, human_reply: reply, gold: { fcr: null, accuracy: null, tone } });

describe('LLM judge with structured output (local OpenAI server)', () => {
  it('sends a json_schema response_format and reads the structured verdict, with its token usage', async () => {
    answer = () => '{"score": 4, "pass": true, "rationale": "Polite and clear."}';
    const before = server.requests.length;
    const res = await createJudgeScorer('tone', judge()).score(inputFor(EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES.good));
    expect(res).toMatchObject({ score: 0.75, pass: true, reason: 'judge openai:gpt-4o-mini: 4/5 = 0.75 — Polite and clear.' });
    expect(res.judge_usage).toEqual({ model: 'openai:gpt-4o-mini', input_tokens: expect.any(Number), output_tokens: expect.any(Number) });
    expect(res.judge_usage!.input_tokens).toBeGreaterThan(100);
    const body = server.requests[before]!.body as { response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[]; additionalProperties: boolean } } } };
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema).toMatchObject({ name: 'rubric_verdict', strict: true, schema: { required: ['score', 'pass', 'rationale'], additionalProperties: false } });
  });

  it('an invalid verdict is an error once the retries are spent, and says what is wrong', async () => {
    answer = () => '{"score": 9, "pass": true, "rationale": "great"}';
    const before = server.requests.length;
    const error = await createJudgeScorer('fcr', judge(), { retries: 1 }).score(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good)).catch((e: unknown) => e);
    expect(JudgeOutputError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/score 9 is outside 1–5 after 2 attempt/);
    expect(server.requests.length - before).toBe(2);
  });

  it('parses strictly, and still reads a judge that ignores the schema', () => {
    expect(parseStructuredVerdict('{"score": 1, "pass": false, "rationale": "leaks"}', 'binary')).toEqual({ raw: 1, score: 1, pass: false, rationale: 'leaks' });
    expect(parseStructuredVerdict('Verdict: ```json\n{"score": 2}\n```', 'rubric').raw).toBe(2);
    expect(() => parseStructuredVerdict('{"score": 0.5, "pass": true, "rationale": "x"}', 'binary')).toThrow(/does not match the schema \(score: /);
  });

  it('shows gold-labeled examples in the case\'s language, never the judged dialogue', async () => {
    const pool = [
      labeled(ZH_SCREEN_EXPIRED, 'zh-a', ZH_SCREEN_REPLIES.good, 5),
      labeled(ZH_SCREEN_EXPIRED, 'zh-b', ZH_SCREEN_REPLIES.rude, 1),
      labeled(EN_SCREEN_EXPIRED, 'en-a', EN_SCREEN_REPLIES.good, 5),
      labeled(ZH_SCREEN_EXPIRED, ZH_SCREEN_EXPIRED.dialogue_id, ZH_SCREEN_REPLIES.good, 5),
    ];
    const examples = judgeExamples('tone', pool, ZH_SCREEN_EXPIRED, 3);
    expect(examples.map((e) => [e.input.case.dialogue_id, e.score, e.pass])).toEqual([
      ['zh-a', 5, true],
      ['zh-b', 1, false],
    ]);
    answer = () => '{"score": 5, "pass": true, "rationale": "好"}';
    const before = server.requests.length;
    await createJudgeScorer('tone', judge(), { examples: pool }).score(inputFor(ZH_SCREEN_EXPIRED, ZH_SCREEN_REPLIES.good));
    const messages = (server.requests[before]!.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user', 'assistant', 'user']);
    expect(JSON.parse(messages[2]!.content)).toEqual({ score: 5, pass: true, rationale: '审核员对这条回复的标注。' });
  });

  it('the run summary adds up the judge\'s tokens and prices them', () => {
    const r = (id: string, input: number, output: number): CaseResult => ({
      case_id: id, trial: 1, output: 'x', handoff_queue: null, error: null, latency_ms: 1, input_tokens: 1, output_tokens: 1,
      scores: { tone: { score: 1, pass: true, reason: '', judge_usage: { model: 'openai:gpt-4o-mini', input_tokens: input, output_tokens: output } } },
    });
    const summary = summarizeRun([], [r('a', 1_000_000, 0), r('b', 0, 1_000_000)], ['tone'], 1, SCORER_FACTS, SCORERS.summaryOptions());
    expect(summary.judge).toEqual({ model: 'openai:gpt-4o-mini', calls: 2, input_tokens: 1_000_000, output_tokens: 1_000_000, cost_usd: 0.75 });
  });
});
