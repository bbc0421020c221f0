// The tool-call loop and the caller's tools passed through, for both providers that speak the
// chat-completions protocol (chat-completion.ts): openai: and hf: (a TGI / OpenAI-compatible endpoint),
// each against a real local HTTP server.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import type { Customer } from '../domain/dialogue.ts';
import { PromptTemplate, type GenerateRequest, type GenerateToolRunner } from '../domain/eval.ts';
import { loadScenarioFiles } from '../scenarios/load-scenario-files.ts';
import { defaultProviderFor, runConversation } from '../simulate/run-conversation.ts';
import { startMockOpenAI, toolCallingHandler, toolResultsOf, type MockHandler, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { createToolRunner, openAiTools } from '../tools/registry.ts';
import { createSandbox, seedFromCustomer, type Sandbox } from '../tools/sandbox.ts';
import { TOOL_NAMES, type ToolName } from '../tools/tool.ts';
import { createHuggingFaceProvider } from './huggingface.ts';
import { createOpenAIProvider } from './openai.ts';

const TODAY = '2026-03-02';
const customer: Customer = {
  customer_id: 'c-tools',
  tier: 'standard',
  purchases: [
    { product: 'Nova X5 phone (256 GB)', category: 'phone', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'DD20260209111111', price: 549 },
    { product: 'Vista 55" 4K TV', category: 'tv', purchased_at: '2025-06-01', warranty_months: 24, order_id: 'DD20250601222222', price: 479 },
  ],
};

let server: MockOpenAIServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The two providers over the chat-completions protocol, pointed at the local server. */
const PROVIDERS = [
  {
    name: 'openai',
    create: (url: string) => createOpenAIProvider({ model: 'gpt-test', baseURL: url, apiKey: 'sk-test', timeoutMs: 5_000, env: {} }),
    settings: (url: string) => ({ openai: { baseURL: url, apiKey: 'sk-test' } }),
    model: 'openai:gpt-test',
  },
  {
    name: 'hf',
    create: (url: string) => createHuggingFaceProvider({ model: 'Qwen/Qwen2.5-7B-Instruct', endpointUrl: url, accessToken: 'hf_test', timeoutMs: 5_000, env: {} }),
    settings: (url: string) => ({ hf: { endpointUrl: url, accessToken: 'hf_test' } }),
    model: 'hf:Qwen/Qwen2.5-7B-Instruct',
  },
] as const;
type ProviderCase = (typeof PROVIDERS)[number];

async function setup(handler: MockHandler, kind: ProviderCase) {
  server = await startMockOpenAI({ handler });
  const sandbox = createSandbox(seedFromCustomer(customer, TODAY));
  const runner = createToolRunner({ sandbox });
  const toolRunner: GenerateToolRunner = { call: (name, args) => runner.call(name as ToolName, args as never) };
  const provider = kind.create(server.url);
  return { server, sandbox, toolRunner, provider };
}

const ask = (text: string, extra: Partial<GenerateRequest> = {}): GenerateRequest => ({
  messages: [
    { role: 'system', content: 'You are a retail service agent. Use the tools.' },
    { role: 'user', content: text },
  ],
  params: { temperature: 0, max_tokens: 200 },
  ...extra,
});

type Results = ReturnType<typeof toolResultsOf>;
const phoneOrder = (results: Results) => (results[0]!.content as { orders: Array<{ order_id: string; category: string }> }).orders.find((o) => o.category === 'phone')!.order_id;

/** An agent model: looks up the customer and the phone's warranty in parallel, then opens a ticket, then answers. */
const repairAgent = toolCallingHandler(
  [
    [
      { name: 'lookup_customer', arguments: {} },
      { name: 'check_warranty', arguments: { order_id: 'DD20260209111111' } },
    ],
    (results) => [{ name: 'create_repair_ticket', arguments: { order_id: phoneOrder(results), issue: 'cracked screen after a drop', issue_kind: 'screen_damage', accidental: true } }],
  ],
  (results) => {
    const ticket = results.at(-1)!.content as { ticket_id: string; charge: string };
    return `Your phone is under warranty, so the screen is a free repair: I've opened repair ticket ${ticket.ticket_id} (${ticket.charge}).`;
  },
);

describe.each(PROVIDERS)('$name provider: the tool-call loop against a local server', (kind) => {
  it('runs parallel tool calls on the sandbox, sends the results back as tool messages, and returns the final text with the calls', async () => {
    const { server, sandbox, toolRunner, provider } = await setup(repairAgent, kind);
    const result = await provider.generate(ask('I dropped my phone and the screen cracked', { tools: openAiTools(), toolRunner }));

    expect(result.text).toBe("Your phone is under warranty, so the screen is a free repair: I've opened repair ticket RT20260302-0001 (free).");
    expect(result.tool_calls!.map((c) => c.name)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket']);
    expect(result.tool_calls![1]).toMatchObject({ arguments: { order_id: 'DD20260209111111' }, result: { ok: true, status: 'in_warranty' } });
    expect(result.tool_calls![2]!.result).toMatchObject({ ok: true, ticket_id: 'RT20260302-0001', charge: 'free' });
    expect(sandbox.state().tickets).toEqual([expect.objectContaining({ order_id: 'DD20260209111111', charge: 'free', issue_kind: 'screen_damage' })]);
    // Three model calls, their usage summed.
    expect(server.requests).toHaveLength(3);
    expect(result.usage).toEqual({ input_tokens: 10 + 10 + 20, output_tokens: 10 + 5 + Math.ceil(result.text.length / 4) });

    const first = server.requests[0]!.body as { tools: Array<{ type: string; function: { name: string; parameters: unknown } }>; tool_choice: string };
    expect(first.tools.map((t) => t.function.name)).toEqual([...TOOL_NAMES]);
    expect(first.tools[0]).toMatchObject({ type: 'function', function: { parameters: { type: 'object' } } });
    expect(first.tool_choice).toBe('auto');
    const second = server.requests[1]!.body as { messages: Array<{ role: string; tool_calls?: Array<{ id: string }>; tool_call_id?: string }> };
    const assistant = second.messages.at(-3)!;
    expect(assistant.role).toBe('assistant');
    expect(second.messages.slice(-2).map((m) => [m.role, m.tool_call_id])).toEqual(assistant.tool_calls!.map((c) => ['tool', c.id]));
  });

  it('hands a failed call back to the model as an error (bad JSON, unknown tool, invalid arguments) and keeps going', async () => {
    const handler = toolCallingHandler(
      [
        [
          { name: 'check_warranty', arguments: '{"order_id": ' },
          { name: 'refund_everything', arguments: {} },
          { name: 'check_warranty', arguments: { order: 'DD20260209111111' } },
        ],
      ],
      (results) => `errors: ${results.map((r) => String((r.content as { error?: string }).error ?? 'none')).join(' | ')}`,
    );
    const { toolRunner, provider, sandbox } = await setup(handler, kind);
    const result = await provider.generate(ask('check my warranty', { tools: openAiTools(), toolRunner }));
    expect(result.text).toMatch(/^errors: the arguments of check_warranty are not valid JSON \| unknown tool "refund_everything".* \| check_warranty: invalid arguments/);
    expect(result.tool_calls!.map((c) => (c.result as { ok: boolean }).ok)).toEqual([false, false, false]);
    expect(result.tool_calls![2]).toMatchObject({ name: 'check_warranty', arguments: { order: 'DD20260209111111' }, result: { kind: 'invalid_arguments' } });
    expect(sandbox.state()).toBe(sandbox.initial);
  });

  it('stops asking for tools after maxToolSteps: the last call says tool_choice none and the answer is text', async () => {
    const greedy = toolCallingHandler(Array.from({ length: 20 }, () => [{ name: 'lookup_customer', arguments: {} }]), () => 'Here is what I found.');
    const { server, toolRunner, provider } = await setup(greedy, kind);
    const result = await provider.generate(ask('hello', { tools: openAiTools(), toolRunner, maxToolSteps: 2 }));
    expect(result.text).toBe('Here is what I found.');
    expect(result.tool_calls).toHaveLength(2);
    expect(server.requests.map((r) => (r.body as { tool_choice?: string }).tool_choice)).toEqual(['auto', 'auto', 'none']);
  });

  it('sends no tools without a tool runner, and answers as before', async () => {
    const { server, provider } = await setup(repairAgent, kind);
    const result = await provider.generate(ask('hello', { tools: openAiTools() }));
    expect(result.text).toBe('mock reply: hello');
    expect(result).not.toHaveProperty('tool_calls');
    expect(server.requests[0]!.body).not.toHaveProperty('tools');
  });

  it('plays a whole simulated conversation: the candidate meets the cracked-screen goal through the tool loop', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const template = PromptTemplate.parse(parse(readFileSync(join(root, 'prompts', 'empathetic-v1.yaml'), 'utf8')));
    const scenario = (await loadScenarioFiles(join(root, 'evals', 'scenarios'))).find((s) => s.id === 'screen-crack-3-weeks-en')!;
    server = await startMockOpenAI({ handler: repairAgent });
    const providerFor = defaultProviderFor({ ...kind.settings(server.url), env: {} });
    let sandboxSeen: Sandbox | undefined;
    const r = await runConversation({
      scenario,
      candidate: { name: `${kind.name}-mock`, model: kind.model, template, params: { temperature: 0, max_tokens: 300 } },
      providerFor: (c, sandbox) => ((sandboxSeen = sandbox), providerFor(c, sandbox)),
    });
    expect(r.judgement).toMatchObject({ goal_met: true, fcr: true, handed_off: false });
    expect(r.ended).toBe('goal_met');
    expect(r.tool_calls.map((c) => c.name)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket']);
    expect(sandboxSeen!.state().tickets).toHaveLength(1);
    // The model saw the rendered prompt: the template's system text and the customer's message.
    const body = server.requests[0]!.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages[0]!.role).toBe('system');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: scenario.script[0] });
  });
});

describe.each(PROVIDERS)('$name: passes a caller’s own tools through (clientTools)', (kind) => {
  const lookup = { type: 'function' as const, function: { name: 'lookup_order', parameters: { type: 'object', properties: { order_id: { type: 'string' } } } } };

  it('makes one call with the caller’s tools and conversation and returns the calls as the model made them, running none', async () => {
    const { server, sandbox, toolRunner, provider } = await setup(toolCallingHandler([[{ name: 'lookup_order', arguments: '{"order_id": "A1"}', id: 'call_x' }]], () => 'done'), kind);
    const before = sandbox.state();
    const messages = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'Where is A1?' },
    ];
    const result = await provider.generate(ask('ignored', { tools: openAiTools(), toolRunner, clientTools: { tools: [lookup], tool_choice: 'required', parallel_tool_calls: false, messages } }));
    expect(provider.passesToolsThrough).toBe(true);
    expect(result.requested_tool_calls).toEqual([{ id: 'call_x', type: 'function', function: { name: 'lookup_order', arguments: '{"order_id": "A1"}' } }]);
    expect(result.text).toBe('');
    expect(result.tool_calls).toBeUndefined();
    expect(result.usage).toEqual({ input_tokens: 10, output_tokens: 5 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toMatchObject({ messages, tools: [lookup], tool_choice: 'required', parallel_tool_calls: false });
    expect(sandbox.state()).toBe(before);
  });

  it('returns the text answer once the conversation holds the results', async () => {
    const { provider } = await setup(toolCallingHandler([[{ name: 'lookup_order', arguments: {} }]], (results) => `status ${JSON.stringify(results[0]!.content)}`), kind);
    const messages = [
      { role: 'user' as const, content: 'Where is A1?' },
      { role: 'assistant' as const, content: null, tool_calls: [{ id: 'c1', type: 'function' as const, function: { name: 'lookup_order', arguments: '{}' } }] },
      { role: 'tool' as const, tool_call_id: 'c1', content: '{"s":"shipped"}' },
    ];
    const result = await provider.generate(ask('ignored', { clientTools: { tools: [lookup], messages } }));
    expect(result.text).toBe('status {"s":"shipped"}');
    expect(result.requested_tool_calls).toBeUndefined();
  });
});
