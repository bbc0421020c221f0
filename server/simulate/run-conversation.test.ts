import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PromptTemplate, type GenerateRequest, type Provider } from '../domain/eval.ts';
import { createResponseCache } from '../providers/response-cache.ts';
import { loadScenarioFiles } from '../scenarios/load-scenario-files.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { tempDir } from '../test-support/temp.ts';
import { createLlmSimulator, STOP_MARKER } from './llm-simulator.ts';
import { runConversation, runConversations, type ConversationCandidate } from './run-conversation.ts';
import { summarizeConversations } from './summarize-conversations.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const template = PromptTemplate.parse(parse(readFileSync(join(ROOT, 'prompts', 'empathetic-v1.yaml'), 'utf8')));
const params = { temperature: 0, max_tokens: 400 };
const agent: ConversationCandidate = { name: 'agent-empathetic', model: 'local:agent', template, params };
const scenarios = await loadScenarioFiles(join(ROOT, 'evals', 'scenarios'));
const scenario = (id: string): Scenario => scenarios.find((s) => s.id === id)!;

/** A stub candidate: answers each turn with `reply`, which may call tools through the request's runner. */
function stub(name: string, reply: (request: GenerateRequest) => Promise<string> | string): { candidate: ConversationCandidate; providerFor: () => Provider } {
  const provider: Provider = { id: `stub:${name}`, generate: async (request) => ({ text: await reply(request), model: name }) };
  return { candidate: { name, model: `stub:${name}`, template, params }, providerFor: () => provider };
}

/** Hands every customer to a person at once (through the transfer tool and the marker). */
const transfersEveryone = stub('transfer-all', async (request) => {
  await request.toolRunner!.call('transfer_to_human', { queue: 'human', summary: 'customer needs help' });
  return "I'll pass you to a colleague right away. [[handoff:human]]";
});
/** Never calls a tool: polite words and nothing done. */
const neverCallsATool = stub('no-tools', (request) => (request.case?.language === 'zh' ? '感谢您的耐心，我们会尽快为您处理。' : "Thanks for your patience, we'll look into it as soon as possible."));

describe('runConversation with local:agent', () => {
  for (const id of ['screen-crack-3-weeks-zh', 'screen-crack-3-weeks-en']) {
    it(`meets the goal on ${id}: a free in-warranty repair ticket, pass^3 = 1 over 3 trials`, async () => {
      const results = await runConversations({ scenarios: [scenario(id)], candidates: [agent], trials: 3 });
      expect(results).toHaveLength(3);
      for (const r of results) {
        expect(r.judgement).toMatchObject({ goal_met: true, goal_basis: 'state', fcr: true, handed_off: false, escalation_correct: true, repeated_asks: 0, state_mismatches: [] });
        expect(r.ended).toBe('goal_met');
        expect(r.diff).toEqual([expect.objectContaining({ collection: 'tickets', op: 'added', record: expect.objectContaining({ order_id: 'DD20260209111111', charge: 'free', issue_kind: 'screen_damage' }) })]);
        expect(r.tool_calls.map((c) => c.name)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket']);
        expect(r.turns[0]).toEqual({ role: 'customer', text: scenario(id).script[0] });
        expect(r.judgement.tone).toBeGreaterThan(0.6);
      }
      const [summary] = summarizeConversations(results);
      expect(summary).toMatchObject({ candidate: 'agent-empathetic', scenarios: 1, conversations: 3, k: 3, errors: 0 });
      expect(summary!.pass_k?.mean).toBe(1);
      expect(summary!.goal_success?.mean).toBe(1);
    });
  }

  it('keeps one sandbox across turns: the paid repair offered in turn 1 is booked in turn 2', async () => {
    const r = await runConversation({ scenario: scenario('phone-14-months-en'), candidate: agent });
    expect(r.judgement).toMatchObject({ goal_met: true, agent_turns: 2, customer_turns: 3 });
    expect(r.final_state.tickets).toEqual([expect.objectContaining({ order_id: 'DD20250102333333', charge: 'paid' })]);
    expect(r.tool_calls.filter((c) => c.name === 'create_repair_ticket').map((c) => c.agent_turn)).toEqual([2]);
    expect(r.turns.filter((t) => t.role === 'customer')[1]!.text).toMatch(/^Yes/);
  });

  it('meets every hand-written scenario, the angry customer by a hand-off', async () => {
    const results = await runConversations({ scenarios, candidates: [agent], trials: 1 });
    for (const r of results) expect(r.judgement.goal_met, `${r.scenario_id}: ${r.judgement.state_mismatches.join('; ')}`).toBe(true);
    expect(results.find((r) => r.scenario_id === 'angry-wants-human-zh')).toMatchObject({ ended: 'handed_off', judgement: { handed_off: true, escalation_correct: true, fcr: true } });
  });
});

describe('worse bots score worse', () => {
  it('a bot that transfers every customer, and one that never calls a tool, score visibly lower on goal success', async () => {
    const agentResults = await runConversations({ scenarios, candidates: [agent], trials: 2 });
    const transferResults = await runConversations({ scenarios, candidates: [transfersEveryone.candidate], providerFor: transfersEveryone.providerFor, trials: 2 });
    const silentResults = await runConversations({ scenarios, candidates: [neverCallsATool.candidate], providerFor: neverCallsATool.providerFor, trials: 2 });
    const [a, t, n] = summarizeConversations([...agentResults, ...transferResults, ...silentResults]);
    expect([a!.candidate, t!.candidate, n!.candidate]).toEqual(['agent-empathetic', 'transfer-all', 'no-tools']);
    expect(a!.goal_success!.mean).toBe(1);
    expect(t!.goal_success!.mean).toBeLessThanOrEqual(0.2);
    expect(n!.goal_success!.mean).toBeLessThanOrEqual(0.2);
    // The transfer bot fails on needless hand-offs, the silent one by leaving customers to give up.
    expect(transferResults.filter((r) => r.scenario_id !== 'angry-wants-human-zh').every((r) => r.judgement.needless_handoff && !r.judgement.fcr)).toBe(true);
    expect(t!.escalation_accuracy!.mean).toBeLessThan(0.3);
    expect(silentResults.some((r) => r.ended === 'gave_up')).toBe(true);
    expect(n!.turns!.mean).toBeGreaterThan(a!.turns!.mean);
    // Intervals are over scenarios; by language and intent too.
    expect(t!.goal_success).toMatchObject({ n: scenarios.length });
    expect(t!.goal_success!.low).toBeLessThanOrEqual(t!.goal_success!.mean);
    expect(Object.keys(a!.by_language).sort()).toEqual(['en', 'zh']);
    expect(a!.by_intent.screen_repair).toMatchObject({ scenarios: 2, conversations: 4, k: 2 });
  });

  it('counts a question for what the customer already gave as a repeated ask, which costs FCR', async () => {
    const asker = stub('asks-twice', () => 'Could you give me the order number, please?');
    const r = await runConversation({ scenario: scenario('screen-crack-3-weeks-en'), candidate: asker.candidate, providerFor: asker.providerFor });
    expect(r.judgement.repeated_asks).toBeGreaterThanOrEqual(2);
    expect(r.judgement.fcr).toBe(false);
    expect(r.customer_events.flat()).toContain('repeated_ask:order_id');
    expect(r.ended).toBe('gave_up');
  });

  it('records a provider failure as an error conversation that did not meet the goal', async () => {
    const broken = stub('broken', () => {
      throw new Error('model down');
    });
    const r = await runConversation({ scenario: scenario('screen-crack-3-weeks-en'), candidate: broken.candidate, providerFor: broken.providerFor });
    expect(r).toMatchObject({ ended: 'error', error: 'model down', judgement: { goal_met: false } });
    expect(summarizeConversations([r])[0]!.errors).toBe(1);
  });
});

describe('cached replies', () => {
  it("warns that a cached reply's tool calls were not replayed on the sandbox", async () => {
    const provider: Provider = { id: 'stub:cached', generate: async () => ({ text: "I've opened repair ticket RT20260302-0001.", model: 'cached', cached: { latency_ms: 3 } }) };
    const r = await runConversation({ scenario: scenario('screen-crack-3-weeks-en'), candidate: { name: 'cached', model: 'openai:cached', template, params }, providerFor: () => provider });
    expect(r.warnings).toEqual(['agent turn 1: a cached reply; any tool calls it made were not replayed on the sandbox']);
    expect(r.judgement.goal_met).toBe(false);
  });
});

describe('LLM simulated customer', () => {
  /** Plays a customer: gives the order number when asked, then thanks and stops. */
  function scriptedCustomerModel() {
    const requests: GenerateRequest[] = [];
    const provider: Provider = {
      id: 'stub:customer',
      async generate(request) {
        requests.push(request);
        const bot = request.messages.at(-1)!.content;
        return { text: /ticket|维修单/i.test(bot) ? `Great, thank you!\n${STOP_MARKER}` : 'The order number is DD20260209111111.', model: 'customer' };
      },
    };
    return { provider, requests };
  }

  it('plays the customer through a provider with a persona prompt and stops at the marker, through the response cache', async () => {
    const { provider, requests } = scriptedCustomerModel();
    const cache = createResponseCache({ mode: 'read', dir: tempDir() });
    const simulator = createLlmSimulator({ provider, cache });
    const s = { ...scenario('screen-crack-3-weeks-en'), script: ['My phone screen cracked.'] };
    const first = await runConversation({ scenario: s, candidate: agent, simulator });
    expect(first.simulator).toBe('llm:stub:customer');
    expect(first.ended).toBe('customer_done');
    expect(first.judgement.goal_met).toBe(true);
    expect(first.turns.filter((t) => t.role === 'customer').map((t) => t.text)).toEqual(['My phone screen cracked.', 'Great, thank you!']);
    const system = requests[0]!.messages[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Your goal: The phone bought three weeks ago fell');
    expect(system.content).toContain('Order number: DD20260209111111');
    expect(system.content).toContain(STOP_MARKER);
    // The bot's turns are the model's user messages, without hand-off markers.
    expect(requests[0]!.messages.slice(1).map((m) => m.role)).toEqual(['user', 'assistant', 'user']);

    const calls = requests.length;
    const again = await runConversation({ scenario: s, candidate: agent, simulator });
    expect(requests.length).toBe(calls);
    expect(again.turns).toEqual(first.turns);
    expect(cache.stats().hits).toBe(calls);
  });

  it('writes the persona prompt in the customer language', async () => {
    const { provider, requests } = scriptedCustomerModel();
    await runConversation({ scenario: scenario('screen-crack-3-weeks-zh'), candidate: agent, simulator: createLlmSimulator({ provider }) });
    expect(requests[0]!.messages[0]!.content).toContain('你在扮演一位联系电商客服的顾客');
    expect(requests[0]!.messages[0]!.content).toContain('订单号: DD20260209111111');
  });
});
