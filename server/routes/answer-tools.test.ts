// Tool calls through /v1/chat/completions, with the official `openai` client against the real app
// listening on a port, whose production config (openai:) talks to a local OpenAI-protocol server that
// plays a tool-calling model; offline configs (local:kb, local:agent) with client tools.
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { evaluate } from '../services/evaluate.ts';
import { promote } from '../services/promotion.ts';
import type { Database } from '../storage/database.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';
import { type MockHandler, type MockOpenAIServer, startMockOpenAI, toolCallingHandler } from '../test-support/mock-openai-server.ts';

let db: Database;
let keys: Keys;
let app: FastifyInstance;
let mock: MockOpenAIServer;
let client: OpenAI;
let port: number;
/** What the mock model does for the current test. */
let play: MockHandler = () => undefined;

const tools: ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Status of one of the customer’s orders',
      parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'], additionalProperties: false },
      strict: true,
    },
  },
  { type: 'function', function: { name: 'track_parcel', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } },
];

/** The mock model: one round asking for lookup_order, then an answer quoting the result. */
const lookupThenAnswer = () =>
  toolCallingHandler([[{ name: 'lookup_order', arguments: { order_id: 'A1001' } }]], (results) => `Your order is ${String((results[0]?.content as { status?: string } | undefined)?.status)}.`);

const chatRequests = () => mock.requests.filter((r) => r.path.endsWith('/chat/completions'));
const lastUpstream = () => chatRequests().at(-1)!.body as { messages: Array<Record<string, unknown>>; tools?: unknown; tool_choice?: unknown; parallel_tool_calls?: unknown };

beforeAll(async () => {
  mock = await startMockOpenAI({ handler: (request) => play(request) });
  ({ db, keys } = await evalStore(40));
  const provider = { openai: { baseURL: mock.url } };
  const runOf = async (candidate: string) => (await evaluate(db, { suite: 'eval-test', candidates: [candidate], cache: 'off', provider })).report.candidates[0]!.run_id;
  await promote(db, { runId: await runOf('evals/candidates/openai-empathetic.yaml'), channel: 'web', by: 'test', force: 'tool calls test' });
  await promote(db, { runId: await runOf('evals/candidates/kb-concise.yaml'), channel: 'app', by: 'test', force: 'tool calls test' });
  await promote(db, { runId: await runOf('evals/candidates/agent-empathetic.yaml'), channel: 'phone', by: 'test', force: 'tool calls test' });
  app = await buildApp({ db, maxAuthFailures: 1000, answers: { provider } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: keys.bot, maxRetries: 0 });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await mock?.close();
});

async function storedTurns(dialogueId: string) {
  return db.all<{ role: string; text: string; name: string | null; agent_kind: string | null }>('SELECT role, text, name, agent_kind FROM turns WHERE dialogue_id = $id ORDER BY seq', { id: dialogueId });
}
async function storedMetadata(dialogueId: string): Promise<Record<string, unknown>> {
  const [row] = await db.all<{ metadata: string }>('SELECT metadata FROM dialogues WHERE id = $id', { id: dialogueId });
  return JSON.parse(row!.metadata) as Record<string, unknown>;
}

describe('client tools pass through a config whose model calls tools (openai:)', () => {
  it('returns the model’s tool calls unchanged, takes the tool result back and answers with it', async () => {
    play = lookupThenAnswer();
    const question: ChatCompletionMessageParam = { role: 'user', content: 'Where is my order A1001?' };
    const first = await client.chat.completions.create({ model: 'firstcall:web', messages: [question], tools, tool_choice: 'auto', parallel_tool_calls: false });

    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    const message = first.choices[0]!.message;
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([{ id: 'call_0_0', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A1001"}' } }]);
    // The upstream model got the client's tools and choices as sent, and the config's system prompt first.
    const upstream = lastUpstream();
    expect(upstream.tools).toEqual(tools);
    expect(upstream.tool_choice).toBe('auto');
    expect(upstream.parallel_tool_calls).toBe(false);
    expect(upstream.messages[0]).toMatchObject({ role: 'system', content: expect.stringMatching(/\S/) });
    expect(upstream.messages.at(-1)).toEqual({ role: 'user', content: 'Where is my order A1001?' });

    const dialogueId = (first as unknown as { firstcall: { dialogue_id: string } }).firstcall.dialogue_id;
    const second = await client.chat.completions.create({
      model: 'firstcall:web',
      messages: [question, message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: 'call_0_0', content: '{"status":"shipped"}' }],
      tools,
      metadata: { dialogue_id: dialogueId },
    });
    expect(second.choices[0]!.finish_reason).toBe('stop');
    expect(second.choices[0]!.message.content).toBe('Your order is shipped.');
    expect(second.choices[0]!.message.tool_calls).toBeUndefined();
    expect(lastUpstream().messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id":"A1001"}' } }] },
      { role: 'tool', tool_call_id: 'call_0_0', content: '{"status":"shipped"}' },
    ]);

    // Logged as the rest of the system stores tools: the result is a `tool` turn named after its function.
    expect(await storedTurns(dialogueId)).toEqual([
      { role: 'customer', text: 'Where is my order A1001?', name: null, agent_kind: null },
      { role: 'tool', text: '{"status":"shipped"}', name: 'lookup_order', agent_kind: null },
      { role: 'agent', text: 'Your order is shipped.', name: null, agent_kind: 'bot' },
    ]);
    expect(await storedMetadata(dialogueId)).toMatchObject({ client_tools: ['lookup_order', 'track_parcel'], tool_calls: [{ id: 'call_0_0', name: 'lookup_order', arguments: '{"order_id":"A1001"}' }] });
  });

  it('logs an exchange that waits for tool results with its calls, and no invented agent turn', async () => {
    play = lookupThenAnswer();
    const response = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'Where is my order A1001?' }], tools });
    const dialogueId = (response as unknown as { firstcall: { dialogue_id: string } }).firstcall.dialogue_id;
    expect((await storedTurns(dialogueId)).map((t) => t.role)).toEqual(['customer']);
    expect(await storedMetadata(dialogueId)).toMatchObject({ awaiting_tool_results: true, tool_calls: [{ name: 'lookup_order' }], handoff: null });
  });

  it('streams tool calls as delta.tool_calls (id and name, then argument fragments) ending with finish_reason tool_calls, and the official stream helper assembles them', async () => {
    play = toolCallingHandler(
      [
        [
          { name: 'lookup_order', arguments: { order_id: 'A1001' } },
          { name: 'track_parcel', arguments: { order_id: 'A1001', note: '请尽快' } },
        ],
      ],
      (results) => `订单状态：${results.map((r) => JSON.stringify(r.content)).join('；')}`,
    );
    const question: ChatCompletionMessageParam = { role: 'user', content: '我的订单 A1001 到哪了？' };
    const stream = await client.chat.completions.create({ model: 'firstcall:web', messages: [question], tools, stream: true });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const deltas = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    const starts = deltas.filter((d) => d.id !== undefined);
    expect(starts.map((d) => [d.index, d.type, d.function?.name])).toEqual([
      [0, 'function', 'lookup_order'],
      [1, 'function', 'track_parcel'],
    ]);
    expect(deltas.filter((d) => d.index === 1 && d.id === undefined).length).toBeGreaterThan(1);
    const argumentsOf = (index: number) => deltas.filter((d) => d.index === index).map((d) => d.function?.arguments ?? '').join('');
    expect(JSON.parse(argumentsOf(1))).toEqual({ order_id: 'A1001', note: '请尽快' });
    expect(chunks.filter((c) => c.choices[0]?.finish_reason).map((c) => c.choices[0]!.finish_reason)).toEqual(['tool_calls']);

    // The helper the SDK offers for streams checks every call has its id, type, name and arguments.
    play = toolCallingHandler([[{ name: 'lookup_order', arguments: { order_id: 'A1001' } }, { name: 'track_parcel', arguments: { order_id: 'A1001', note: '请尽快' } }]], () => '');
    const assembled = await client.chat.completions.stream({ model: 'firstcall:web', messages: [question], tools }).finalChatCompletion();
    const calls = assembled.choices[0]!.message.tool_calls!;
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : null))).toEqual([
      ['lookup_order', { order_id: 'A1001' }],
      ['track_parcel', { order_id: 'A1001', note: '请尽快' }],
    ]);

    play = toolCallingHandler([[{ name: 'lookup_order', arguments: {} }, { name: 'track_parcel', arguments: {} }]], (results) => `订单状态：${results.map((r) => JSON.stringify(r.content)).join('；')}`);
    const back = await client.chat.completions.create({
      model: 'firstcall:web',
      messages: [
        question,
        { role: 'assistant', content: null, tool_calls: calls },
        { role: 'tool', tool_call_id: calls[0]!.id, content: '{"status":"已发货"}' },
        { role: 'tool', tool_call_id: calls[1]!.id, content: [{ type: 'text', text: '{"at":"上海"}' }] },
      ],
      tools,
      stream: true,
    });
    let text = '';
    let finish: string | null = null;
    for await (const chunk of back) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish ??= chunk.choices[0]?.finish_reason ?? null;
    }
    expect(text).toBe('订单状态：{"status":"已发货"}；{"at":"上海"}');
    expect(finish).toBe('stop');
  });

  it('keeps personal data in tool results and arguments away from the model and the log', async () => {
    play = lookupThenAnswer();
    const response = await client.chat.completions.create({
      model: 'firstcall:web',
      messages: [
        { role: 'user', content: 'My number is 13812345678, where is A1001?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: '{"phone":"13812345678"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"status":"shipped","email":"ann@example.com"}' },
      ],
      tools,
    });
    const upstream = JSON.stringify(lastUpstream().messages);
    expect(upstream).not.toMatch(/13812345678|ann@example\.com/);
    expect(upstream).toMatch(/\[PHONE\]/);
    const dialogueId = (response as unknown as { firstcall: { dialogue_id: string } }).firstcall.dialogue_id;
    const stored = JSON.stringify([await storedTurns(dialogueId), await storedMetadata(dialogueId)]);
    expect(stored).not.toMatch(/13812345678|ann@example\.com/);
    expect(stored).toMatch(/\[EMAIL\]/);
  });

  it('hands a client tool named like one of firstcall’s own (check_warranty) back to the client, never running it on firstcall’s back office', async () => {
    play = toolCallingHandler([[{ name: 'check_warranty', arguments: { order_id: 'A1001' } }]], () => 'ok');
    const own: ChatCompletionTool = { type: 'function', function: { name: 'check_warranty', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } };
    const response = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'Is A1001 still in warranty?' }], tools: [own], tool_choice: { type: 'function', function: { name: 'check_warranty' } } });
    expect(response.choices[0]!.message.tool_calls).toEqual([{ id: 'call_0_0', type: 'function', function: { name: 'check_warranty', arguments: '{"order_id":"A1001"}' } }]);
    expect(lastUpstream().tools).toEqual([own]);
    expect(lastUpstream().tool_choice).toEqual({ type: 'function', function: { name: 'check_warranty' } });
  });

  it('answers in text as before when the client sends no tools, even with tool results in the history', async () => {
    play = () => undefined;
    const response = await client.chat.completions.create({
      model: 'firstcall:web',
      messages: [
        { role: 'user', content: 'Where is A1001?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '{"status":"shipped"}' },
      ],
    });
    expect(response.choices[0]!.finish_reason).toBe('stop');
    expect(response.choices[0]!.message.content).toMatch(/^mock reply: Where is A1001\?/);
    const upstream = lastUpstream();
    expect(upstream.tools).toBeUndefined();
    // Without client tools the result reaches the model folded into the prompt, as for logged tool turns.
    expect(String(upstream.messages[0]!.content)).toMatch(/lookup_order: \{"status":"shipped"\}/);
  });

  it('gives the fallback message with a hand-off when the model fails, tools or not', async () => {
    play = () => ({ status: 503, body: { error: { message: 'overloaded', type: 'server_error', param: null, code: null } } });
    const response = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'Where is my order A1001?' }], tools });
    expect(response.choices[0]!.finish_reason).toBe('handoff');
    expect(response.choices[0]!.message.tool_calls).toBeUndefined();
    expect((response as unknown as { firstcall: { handoff: { reason: string } } }).firstcall.handoff.reason).toMatch(/model unavailable/);
  });
});

describe('offline configs with client tools', () => {
  it('local:kb and local:agent answer in text (their own tools, if any, run on firstcall’s side) and never call the client’s', async () => {
    for (const model of ['firstcall:app', 'firstcall:phone']) {
      const before = chatRequests().length;
      const response = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'How do I return my earbuds?' }], tools, tool_choice: 'auto' });
      expect(response.choices[0]!.finish_reason).not.toBe('tool_calls');
      expect(response.choices[0]!.message.tool_calls).toBeUndefined();
      expect(response.choices[0]!.message.content!.length).toBeGreaterThan(0);
      expect(chatRequests().length).toBe(before);
    }
  });

  it('refuses with 400 a tool_choice that obliges a call, saying the config cannot call client tools', async () => {
    for (const tool_choice of ['required', { type: 'function', function: { name: 'lookup_order' } }] as const) {
      const error = await client.chat.completions.create({ model: 'firstcall:app', messages: [{ role: 'user', content: 'Where is A1001?' }], tools, tool_choice }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error).toMatchObject({ param: 'tool_choice', type: 'invalid_request_error' });
      expect((error as Error).message).toMatch(/local:kb, which does not call client tools/);
    }
  });
});

describe('bad tool requests are 400s in OpenAI’s shape', () => {
  const question = { role: 'user', content: 'Where is A1001?' } as const;
  const call = { id: 'c1', type: 'function', function: { name: 'lookup_order', arguments: '{}' } } as const;
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['a tool message with no tool call before it', { messages: [question, { role: 'tool', tool_call_id: 'c1', content: '{}' }], tools }, 'messages.1.tool_call_id', /there is none/],
    ['a tool message answering an unknown call', { messages: [question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'c9', content: '{}' }], tools }, 'messages.2.tool_call_id', /no open call has id c9/],
    ['a tool call left unanswered', { messages: [question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'user', content: 'hello?' }], tools }, 'messages.1.tool_calls', /none answers c1/],
    ['a tool message without tool_call_id', { messages: [question, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', content: '{}' }], tools }, 'messages.2.tool_call_id', /expected string/],
    ['an assistant message with neither content nor tool_calls', { messages: [{ role: 'assistant' }, question] }, 'messages.0.content', /needs content or tool_calls/],
    ['a tool_choice naming no given tool', { messages: [question], tools, tool_choice: { type: 'function', function: { name: 'refund' } } }, 'tool_choice', /refund, which is not among the tools/],
    ['a tool_choice without tools', { messages: [question], tool_choice: 'required' }, 'tool_choice', /only allowed when tools are given/],
    ['two tools with one name', { messages: [question], tools: [tools[0], tools[0]] }, 'tools.1.function.name', /two tools are named lookup_order/],
    ['a tool that is not a function', { messages: [question], tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools.0.type', /only function tools/],
    ['a function name with spaces', { messages: [question], tools: [{ type: 'function', function: { name: 'look up' } }] }, 'tools.0.function.name', /1-64 letters/],
  ];
  for (const [what, body, param, message] of cases) {
    it(`answers 400 to ${what}, naming ${param}`, async () => {
      const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.bot}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'firstcall:web', ...body }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { message: string; type: string; param: string; code: string } };
      expect(error).toMatchObject({ type: 'invalid_request_error', param, code: 'validation' });
      expect(error.message).toMatch(message);
    });
  }

  it('raises the official client’s BadRequestError for a bad tool message', async () => {
    const error = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'hi' }, { role: 'tool', tool_call_id: 'nope', content: '{}' }], tools }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ param: 'messages.1.tool_call_id' });
  });
});

describe('tool calls local:agent makes on firstcall’s side are logged as tool turns', () => {
  it('stores them before its answer, and keeps them when the client continues the dialogue with the history it saw', async () => {
    const question = { role: 'user', content: 'My phone screen cracked, is it still under warranty?' } as const;
    const first = await client.chat.completions.create({ model: 'firstcall:phone', messages: [question], user: 'c-1' });
    const dialogueId = (first as unknown as { firstcall: { dialogue_id: string } }).firstcall.dialogue_id;
    const turns = await storedTurns(dialogueId);
    expect(turns.at(-1)).toMatchObject({ role: 'agent', agent_kind: 'bot', text: first.choices[0]!.message.content });
    const toolTurns = turns.filter((t) => t.role === 'tool');
    expect(toolTurns.length).toBeGreaterThan(0);
    expect(toolTurns.every((t) => t.name !== null && JSON.parse(t.text) !== undefined)).toBe(true);

    await client.chat.completions.create({
      model: 'firstcall:phone',
      messages: [question, { role: 'assistant', content: first.choices[0]!.message.content }, { role: 'user', content: 'Thanks, and how long does a repair take?' }],
      user: 'c-1',
      metadata: { dialogue_id: dialogueId },
    });
    const continued = await storedTurns(dialogueId);
    expect(continued.slice(0, turns.length)).toEqual(turns);
    expect(continued[turns.length]).toMatchObject({ role: 'customer', text: 'Thanks, and how long does a repair take?' });
    expect(continued.at(-1)).toMatchObject({ role: 'agent', agent_kind: 'bot' });
  });
});
