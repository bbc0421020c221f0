// One simulated conversation: scenario × candidate × trial. The candidate answers the whole
// conversation so far (a SuiteCase built from the scenario and the history) on one sandbox kept
// across turns (local:agent through its `sandboxFor`, tool-calling models through the request's tool
// runner); the simulated customer replies; until the customer stops, the bot hands off, or max turns.
// Judged as τ-bench judges: the final back-office state against the scenario's expected state, plus
// FCR (goal met, no needless hand-off, no repeated asks), turns, simulated handling time, repeated
// asks, the escalation decision and tone over the agent's turns.
import pLimit from 'p-limit';
import { anonymousCustomerViewAsOf } from '../domain/customer-view.ts';
import type { Turn } from '../domain/dialogue.ts';
import { parseReply, SuiteCase, type Candidate, type GenerateToolRunner, type ModelParams, type PromptTemplate, type Provider, type ToolCallRecord } from '../domain/eval.ts';
import { renderMessages } from '../candidates/render-prompt.ts';
import { createLocalAgentProvider, LOCAL_AGENT_ID } from '../providers/local-agent.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { analyzeTone, textSize } from '../scorers/tone.ts';
import { policyFromTemplate } from '../tools/policy.ts';
import { createToolRunner, openAiTools } from '../tools/registry.ts';
import { BackOfficeState, checkFinalState, createSandbox, diffStates, seedFromCustomer, type Sandbox, type StateChange } from '../tools/sandbox.ts';
import type { ToolName } from '../tools/tool.ts';
import { repeatedAsks, slotsAsked, slotsGiven, type Slot } from './asks.ts';
import { createOfflineSimulator } from './offline-simulator.ts';
import type { CustomerSimulator, StopReason } from './simulator.ts';

/** What a conversation needs of a candidate. */
export interface ConversationCandidate {
  name: string;
  /** `provider:model`. */
  model: string;
  template: PromptTemplate;
  params: ModelParams;
}

export const candidateForConversation = (c: Candidate): ConversationCandidate => ({ name: c.spec.name, model: c.spec.model, template: c.template, params: c.spec.params });

/** Makes the candidate's provider for one conversation, bound to its sandbox where the provider runs its own tools. */
export type ProviderFor = (candidate: ConversationCandidate, sandbox: Sandbox) => Provider;

/** local:agent on the conversation's sandbox; any other id through the registry (tools then go through the request's runner). */
export function defaultProviderFor(options: ProviderOptions = {}): ProviderFor {
  return (candidate, sandbox) => (candidate.model === LOCAL_AGENT_ID ? createLocalAgentProvider({ sandboxFor: () => sandbox }) : resolveProvider(candidate.model, options));
}

/** Simulated handling time: a fixed cost per turn plus reading/typing per text unit (a Han character, or 1.5 per Latin word). */
export const HANDLING_TIME = { per_turn_s: 5, per_unit_s: 0.3 } as const;

export const CONVERSATION_ENDS = ['goal_met', 'gave_up', 'customer_done', 'script_end', 'handed_off', 'max_turns', 'error'] as const;
export type ConversationEnd = StopReason | 'handed_off' | 'max_turns' | 'error';

export interface ConversationJudgement {
  goal_met: boolean;
  /** `state`: the end state was checked; `facts`: no expected state, so the escalation decision and required facts decide. */
  goal_basis: 'state' | 'facts';
  state_mismatches: string[];
  missing_must_say: string[];
  handed_off: boolean;
  escalation_expected: boolean;
  escalation_correct: boolean;
  /** A hand-off the scenario did not call for. */
  needless_handoff: boolean;
  /** Agent asks for something the customer had already given. */
  repeated_asks: number;
  /** Goal met, no needless hand-off, no repeated asks. */
  fcr: boolean;
  agent_turns: number;
  customer_turns: number;
  handling_time_s: number;
  /** Mean tone (0–1) over the agent's turns; null with no agent turn. */
  tone: number | null;
  required_facts_missing: string[];
  /** Share of required facts the agent stated; null when there are none. */
  facts_coverage: number | null;
}

export interface ConversationResult {
  scenario_id: string;
  scenario_version: number;
  language: Scenario['language'];
  intent: string;
  candidate: string;
  model: string;
  simulator: string;
  trial: number;
  /** Customer, tool and agent turns in order (tool turns come before the agent reply that made them). */
  turns: Turn[];
  /** Every tool call with its arguments and result, and the agent turn (1-based) it belongs to. */
  tool_calls: (ToolCallRecord & { agent_turn: number })[];
  /** What the simulated customer did each move (repeated_ask, ignored, asked_for_human, …). */
  customer_events: string[][];
  initial_state: BackOfficeState;
  final_state: BackOfficeState;
  diff: StateChange[];
  ended: ConversationEnd;
  error?: string;
  /** Things that make the judgement less trustworthy (e.g. a cached reply whose tool calls were not replayed on the sandbox). */
  warnings: string[];
  judgement: ConversationJudgement;
}

export interface RunConversationOptions {
  scenario: Scenario;
  candidate: ConversationCandidate;
  simulator?: CustomerSimulator;
  providerFor?: ProviderFor;
  /** 1-based; trials of the same scenario differ in the customer's phrasing (and in a sampling model's replies). */
  trial?: number;
  seed?: number;
  signal?: AbortSignal;
}

function emptySeed(s: Scenario): BackOfficeState {
  return BackOfficeState.parse({ today: s.contact_date, customer: { customer_id: 'unknown', tier: s.persona.tier, language: s.language }, orders: [], tickets: [], returns: [], address_changes: [], transfers: [] });
}

/** The suite case a candidate answers: the scenario's customer and expectations, the conversation so far. */
export function caseForTurn(s: Scenario, turns: readonly Turn[], agentTurn: number): SuiteCase {
  const last = turns.findLast((t) => t.role === 'customer');
  const view = s.customer === null ? null : anonymousCustomerViewAsOf(s.customer, s.contact_date);
  return SuiteCase.parse({
    case_id: `${s.id}#${agentTurn}`,
    dialogue_id: `scenario:${s.id}`,
    history: [...turns],
    customer_message: last?.text ?? '',
    customer: view,
    contact_date: s.contact_date,
    reference_answer: '',
    required_facts: s.expected.required_facts,
    expected_escalation: s.expected.escalation,
    intent: s.goal.intent,
    language: s.language,
    channel: s.channel,
    human_reply: null,
    gold: { fcr: null, accuracy: null, tone: null },
  });
}

export async function runConversation(options: RunConversationOptions): Promise<ConversationResult> {
  const { scenario, candidate, signal } = options;
  const trial = options.trial ?? 1;
  const seed = options.seed ?? 42;
  const simulator = options.simulator ?? createOfflineSimulator();
  const policy = policyFromTemplate(candidate.template);
  const sandbox = createSandbox(scenario.customer === null ? emptySeed(scenario) : seedFromCustomer(scenario.customer, scenario.contact_date, { statuses: scenario.order_statuses }), policy);
  const runner = createToolRunner({ sandbox, ...(signal ? { signal } : {}) });
  const toolRunner: GenerateToolRunner = { call: (name, args) => runner.call(name as ToolName, args as never) };
  const provider = (options.providerFor ?? defaultProviderFor())(candidate, sandbox);
  const session = simulator.start(scenario, { seed, trial });
  const tools = openAiTools();

  const turns: Turn[] = [];
  const toolCalls: ConversationResult['tool_calls'] = [];
  const events: string[][] = [];
  let ended: ConversationEnd = 'max_turns';
  let error: string | undefined;
  const warnings: string[] = [];
  let agentTurns = 0;
  try {
    const opener = await session.next([], signal);
    events.push(opener.events ?? []);
    if (opener.text !== null) turns.push({ role: 'customer', text: opener.text });
    if (opener.stop || opener.text === null) ended = opener.reason ?? 'customer_done';
    else {
      while (agentTurns < scenario.max_turns) {
        agentTurns++;
        const c = caseForTurn(scenario, turns, agentTurns);
        const transfersBefore = sandbox.state().transfers.length;
        const result = await provider.generate({
          messages: renderMessages(candidate.template, c),
          params: candidate.params,
          case: c,
          template: candidate.template,
          trial,
          tools,
          toolRunner,
          ...(signal ? { signal } : {}),
        });
        // The response cache records text only: a recorded reply of a tool-calling model did not act on this sandbox.
        if (result.cached !== undefined && result.tool_calls === undefined && candidate.model !== LOCAL_AGENT_ID) {
          warnings.push(`agent turn ${agentTurns}: a cached reply; any tool calls it made were not replayed on the sandbox`);
        }
        for (const call of result.tool_calls ?? []) {
          toolCalls.push({ ...call, agent_turn: agentTurns });
          turns.push({ role: 'tool', name: call.name, text: JSON.stringify(call.result ?? null) });
        }
        turns.push({ role: 'agent', text: result.text.trim() === '' ? '…' : result.text });
        if (parseReply(result.text).handoff !== null || sandbox.state().transfers.length > transfersBefore) {
          ended = 'handed_off';
          break;
        }
        const move = await session.next(turns, signal);
        events.push(move.events ?? []);
        if (move.text !== null && move.text.trim() !== '') turns.push({ role: 'customer', text: move.text });
        if (move.stop) {
          ended = move.reason ?? 'customer_done';
          break;
        }
      }
    }
  } catch (e) {
    ended = 'error';
    error = e instanceof Error ? e.message : String(e);
  }

  const final = sandbox.state();
  return {
    scenario_id: scenario.id,
    scenario_version: scenario.version,
    language: scenario.language,
    intent: scenario.goal.intent,
    candidate: candidate.name,
    model: candidate.model,
    simulator: simulator.id,
    trial,
    turns,
    tool_calls: toolCalls,
    customer_events: events,
    initial_state: sandbox.initial,
    final_state: final,
    diff: diffStates(sandbox.initial, final),
    ended,
    ...(error === undefined ? {} : { error }),
    warnings,
    judgement: judgeConversation(scenario, turns, sandbox.initial, final, ended),
  };
}

const said = (text: string, phrase: string) => text.toLowerCase().includes(phrase.trim().toLowerCase());

/** Judges a finished conversation (pure: the scenario, the turns and the two states). */
export function judgeConversation(scenario: Scenario, turns: readonly Turn[], initial: BackOfficeState, final: BackOfficeState, ended: ConversationEnd): ConversationJudgement {
  const lang = scenario.language;
  const agentTexts = turns.filter((t) => t.role === 'agent').map((t) => t.text);
  const allAgent = agentTexts.join('\n');
  const handedOff = final.transfers.length > initial.transfers.length || agentTexts.some((t) => parseReply(t).handoff !== null);
  const escalationCorrect = handedOff === scenario.expected.escalation;
  const missingMustSay = scenario.expected.must_say.filter((p) => !said(allAgent, p));
  const factsMissing = scenario.expected.required_facts.filter((p) => !said(allAgent, p));

  let basis: ConversationJudgement['goal_basis'];
  let mismatches: string[] = [];
  let goal: boolean;
  if (scenario.expected.state !== null) {
    basis = 'state';
    mismatches = checkFinalState(initial, final, scenario.expected.state).mismatches;
    goal = mismatches.length === 0 && missingMustSay.length === 0;
  } else {
    basis = 'facts';
    goal = escalationCorrect && factsMissing.length === 0 && missingMustSay.length === 0;
  }
  if (ended === 'error') goal = false;

  // Repeated asks: each agent question for something given in an earlier customer turn (a yes/no once answered counts too).
  const given = new Set<Slot>();
  let repeated = 0;
  let pendingConfirm = false;
  const tones: number[] = [];
  let units = 0;
  let spoken = 0;
  turns.forEach((turn, i) => {
    if (turn.role === 'customer') {
      for (const s of slotsGiven(turn.text, scenario.knows)) given.add(s);
      if (scenario.knows.product !== undefined && turn.text.includes(scenario.knows.product)) given.add('which');
      if (pendingConfirm) given.add('confirm');
      pendingConfirm = false;
    } else if (turn.role === 'agent') {
      repeated += repeatedAsks(turn.text, lang, given).length;
      pendingConfirm = slotsAsked(turn.text, lang).includes('confirm');
      tones.push(analyzeTone({ case: caseForTurn(scenario, turns.slice(0, i), 0), reply: parseReply(turn.text).answer }).score);
    }
    if (turn.role !== 'tool') {
      units += textSize(turn.text);
      spoken++;
    }
  });
  const needless = handedOff && !scenario.expected.escalation;
  return {
    goal_met: goal,
    goal_basis: basis,
    state_mismatches: mismatches,
    missing_must_say: missingMustSay,
    handed_off: handedOff,
    escalation_expected: scenario.expected.escalation,
    escalation_correct: escalationCorrect,
    needless_handoff: needless,
    repeated_asks: repeated,
    fcr: goal && !needless && repeated === 0,
    agent_turns: agentTexts.length,
    customer_turns: turns.filter((t) => t.role === 'customer').length,
    handling_time_s: Math.round(spoken * HANDLING_TIME.per_turn_s + units * HANDLING_TIME.per_unit_s),
    tone: tones.length === 0 ? null : tones.reduce((a, b) => a + b, 0) / tones.length,
    required_facts_missing: factsMissing,
    facts_coverage: scenario.expected.required_facts.length === 0 ? null : 1 - factsMissing.length / scenario.expected.required_facts.length,
  };
}

export interface RunConversationsOptions extends Omit<RunConversationOptions, 'scenario' | 'candidate' | 'trial'> {
  scenarios: readonly Scenario[];
  candidates: readonly ConversationCandidate[];
  /** Trials per scenario × candidate (pass^k needs k ≤ trials). */
  trials?: number;
  /** Conversations at once (default 2: the build machines have 2 cores). */
  concurrency?: number;
  onResult?: (result: ConversationResult) => void;
}

/** Every scenario × candidate × trial, `concurrency` at a time; results in that order. */
export async function runConversations(options: RunConversationsOptions): Promise<ConversationResult[]> {
  const { scenarios, candidates, trials = 1, concurrency = 2, onResult, ...rest } = options;
  const limit = pLimit(concurrency);
  const jobs: Promise<ConversationResult>[] = [];
  for (const candidate of candidates) {
    for (const scenario of scenarios) {
      for (let trial = 1; trial <= trials; trial++) {
        jobs.push(
          limit(async () => {
            const result = await runConversation({ ...rest, scenario, candidate, trial });
            onResult?.(result);
            return result;
          }),
        );
      }
    }
  }
  return Promise.all(jobs);
}
