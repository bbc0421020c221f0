// `firstcall calibrate --judge`: the LLM judge (a real local mock OpenAI server) and the offline or
// learned scorer on the same labeled dialogues, and which agrees better with the reviewers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabelRepository } from '../server/storage/label-repository.ts';
import { fixtureDialogue, labelingStore } from '../server/test-support/labeling-fixture.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../server/test-support/mock-openai-server.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { out: (s) => void out.push(s), err: (s) => void err.push(s), isTTY: false };
  return { code: await main(argv, io), out: out.join('\n'), err: err.join('\n') };
}

// 40 labeled dialogues: a third-time contact with a good-looking reply was not resolved (the
// reviewers said no); the offline rules see the facts and pass it, the judge reads the history.
const GOOD = 'Sorry for the wait, your order arrives tomorrow.';
const kindOf = (i: number) => (i % 4 === 0 ? 'unhelpful' : i % 4 === 1 ? 'third-time' : 'resolved');
const dialogues = Array.from({ length: 40 }, (_, i) =>
  fixtureDialogue(`cal-${String(i).padStart(2, '0')}`, {
    language: 'en',
    customer_id: undefined,
    turns: [
      { role: 'customer', text: kindOf(i) === 'third-time' ? `This is the third time I ask: where is my order case-${i}?` : `Where is my order case-${i}?` },
      { role: 'agent', text: kindOf(i) === 'unhelpful' ? 'I cannot see anything, please check the website.' : GOOD },
    ],
    metadata: { intent: 'delivery_delay' },
  }),
);

/** The judge: reads the reply and the history the way a careful reviewer would. */
function judgeAnswer(body: unknown) {
  const messages = (body as { messages: { role: string; content: string }[] }).messages;
  const text = messages.at(-1)!.content;
  const reply = /<<<\n([\s\S]*?)\n>>>/.exec(text)?.[1] ?? '';
  const resolved = reply.includes('arrives tomorrow') && !text.includes('third time');
  const verdict = { score: resolved ? 5 : 2, pass: resolved, rationale: resolved ? `"${reply}" answers it.` : 'The customer will be back.' };
  return { id: 'judge-1', object: 'chat.completion', created: 1, model: 'judge', choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify(verdict) }, finish_reason: 'stop' }], usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 } };
}

let judge: MockOpenAIServer;
let file: string;
const saved = { url: process.env.FIRSTCALL_OPENAI_BASE_URL, key: process.env.FIRSTCALL_OPENAI_API_KEY };

beforeAll(async () => {
  const { db } = await labelingStore(dialogues);
  await new LabelRepository(db).upsertMany(
    dialogues.map((d, i) => ({
      dialogue_id: d.id,
      reviewer: 'alice',
      status: 'submitted' as const,
      schema_version: 2,
      intent: 'delivery_delay',
      fcr: kindOf(i) === 'resolved' ? ('yes' as const) : ('no' as const),
      accuracy: kindOf(i) === 'unhelpful' ? ('incorrect' as const) : ('correct' as const),
      tone: 4,
      tone_tags: [],
      escalation_needed: 'no' as const,
      escalated: 'no' as const,
      reference_answer: GOOD,
      required_facts: ['arrives tomorrow'],
      notes: '',
      turn_flags: [],
    })),
  );
  file = db.path;
  db.close();
  judge = await startMockOpenAI({ handler: ({ body }) => ({ body: judgeAnswer(body) }) });
  // calibrate's judge reads its base URL and key from the environment (the server's, through a server).
  process.env.FIRSTCALL_OPENAI_BASE_URL = judge.url;
  process.env.FIRSTCALL_OPENAI_API_KEY = 'sk-test';
});

afterAll(async () => {
  for (const [name, value] of [['FIRSTCALL_OPENAI_BASE_URL', saved.url], ['FIRSTCALL_OPENAI_API_KEY', saved.key]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await judge?.close();
});

describe('firstcall calibrate --judge', () => {
  it('prints the judge and the offline scorer on the same labels, then which agrees better', async () => {
    const before = judge.requests.length;
    const r = await run('calibrate', '--scorer', 'fcr', '--judge', 'openai:judge', '--db', file);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('judge openai:judge');
    expect(lines[1]).toBe("fcr (openai:judge) against reviewers' labels on 40 dialogues");
    const offline = lines.indexOf('offline');
    expect(offline).toBeGreaterThan(1);
    expect(lines[offline + 1]).toMatch(/^fcr \(offline\) against reviewers' labels on 40 dialogues$/);
    expect(r.out.match(/Cohen's kappa/g)).toHaveLength(2);
    expect(lines.at(-1)).toMatch(/^judge κ 1\.00 vs offline κ 0\.\d\d \(\+0\.\d\d\): judge agrees better$/);
    // One judge call per labeled dialogue, structured output asked for.
    const calls = judge.requests.slice(before);
    expect(calls).toHaveLength(40);
    expect((calls[0]!.body as { response_format?: { type: string } }).response_format?.type).toBe('json_schema');
  });

  it('prints the whole comparison with --json', async () => {
    const r = await run('calibrate', '--scorer', 'fcr', '--judge', 'openai:judge', '--db', file, '--json');
    expect(r.code, r.err).toBe(0);
    const c = JSON.parse(r.out);
    expect(Object.keys(c).sort()).toEqual(['better', 'judge', 'kappa_difference', 'offline']);
    expect(c.judge).toMatchObject({ scorer: 'fcr', method: 'openai:judge', n: 40, kappa: 1, confusion: [[20, 0], [0, 20]] });
    expect(c.offline).toMatchObject({ scorer: 'fcr', method: 'offline', n: 40 });
    expect(c.offline.kappa).toBeLessThan(0.9);
    expect(c.kappa_difference).toBeCloseTo(1 - c.offline.kappa, 3);
    expect(c.better).toBe('judge');
  });

  it('compares the judge with a learned model under --scorer-model', async () => {
    const r = await run('calibrate', '--scorer', 'fcr', '--judge', 'openai:judge', '--scorer-model', 'builtin', '--db', file);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.split('\n');
    expect(lines).toContain('learned builtin');
    expect(lines[lines.indexOf('learned builtin') + 1]).toMatch(/^fcr \(learned:builtin\) against reviewers' labels on 40 dialogues$/);
    expect(lines.at(-1)).toMatch(/^judge κ 1\.00 vs learned κ (-|−?\d\.\d\d)( \([+−]\d\.\d\d\))?: /);
  });

  it('still calibrates the offline scorer alone without --judge, and exits 2 for an unknown judge provider', async () => {
    const before = judge.requests.length;
    const alone = await run('calibrate', '--scorer', 'fcr', '--db', file, '--json');
    expect(alone.code, alone.err).toBe(0);
    expect(JSON.parse(alone.out)).toMatchObject({ scorer: 'fcr', method: 'offline', n: 40 });
    expect(judge.requests.length).toBe(before);
    expect((await run('calibrate', '--scorer', 'fcr', '--judge', 'nope:judge', '--db', file)).code).toBe(2);
  });
});
