// `firstcall simulate --simulator openai:<model>`: the simulated customer is a model behind a real
// OpenAI-compatible HTTP server (the local mock), playing the persona and stopping at the marker.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/storage/database.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../server/test-support/mock-openai-server.ts';
import { tempDir } from '../server/test-support/temp.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

const dir = tempDir();
const file = join(dir, 'store.duckdb');
let customer: MockOpenAIServer;

async function run(env: Record<string, string>, ...argv: string[]) {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  try {
    return { code: await main(argv, io), out, err };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

const content = (m: { content?: unknown }) => (typeof m.content === 'string' ? m.content : '');

beforeAll(async () => {
  (await openDatabase(file)).close();
  // A customer model: gives its order number when asked, thanks the agent and stops once a repair is booked.
  customer = await startMockOpenAI({
    handler: ({ body }) => {
      const messages = (body as { messages: { role: string; content?: unknown }[] }).messages;
      const persona = content(messages[0]!);
      const bot = content(messages.at(-1)!);
      const zh = persona.includes('你在扮演');
      const order = /DD\d+/.exec(persona)?.[0] ?? '';
      const text = /ticket|维修单|工单|repair|维修/i.test(bot) ? (zh ? '好的，谢谢！\n###STOP###' : 'Great, thank you!\n###STOP###') : zh ? `订单号是${order}。` : `The order number is ${order}.`;
      return { body: { id: 'c', object: 'chat.completion', created: 0, model: 'customer', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] } };
    },
  });
}, 60_000);
afterAll(() => customer?.close());

describe('firstcall simulate with a model as the customer', () => {
  it('plays each scenario through the OpenAI protocol with the persona prompt, and the agent still meets the goal', { timeout: 120_000 }, async () => {
    const env = { FIRSTCALL_OPENAI_BASE_URL: customer.url, FIRSTCALL_OPENAI_API_KEY: 'test-key' };
    const built = await run(env, 'scenarios', 'build', '--name', 'yaml', '--db', file, '--dir', join(dir, 'sets'), '--no-synthetic', '--no-labeled', '--json');
    expect(built.code, built.err).toBe(0);
    const json = join(dir, 'report.json');
    const result = await run(env, 'simulate', '--scenarios', 'yaml', '--candidate', 'evals/candidates/agent-empathetic.yaml', '--simulator', 'openai:customer-model', '--trials', '1', '--db', file, '--json', json, '--cache', 'off');
    expect(result.code, result.out + result.err).toBe(0);
    expect(customer.requests.length).toBeGreaterThan(0);
    const personas = customer.requests.map((r) => content((r.body as { messages: { content?: unknown }[] }).messages[0]!));
    expect(personas.some((p) => p.includes('You are playing a customer'))).toBe(true);
    expect(personas.some((p) => p.includes('你在扮演一位联系电商客服的顾客'))).toBe(true);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { candidates: { name: string; goal_success: { mean: number } }[] };
    expect(report.candidates[0]!.name).toBe('agent-empathetic');
    expect(report.candidates[0]!.goal_success.mean).toBeGreaterThan(0.5);
  });
});
