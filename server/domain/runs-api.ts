// Eval runs: what a run's results and summary look like, and the HTTP contract of the runs API
// (suites and candidates to choose from, starting a run, its progress, the leaderboard, a run's
// cases, two runs compared). Shared by the server, the CLI and the UI. No I/O.
import { z } from 'zod';
import type { ScoreResult } from './eval.ts';
import { RUN_STATUSES } from './eval.ts';

/** `reply`: a suite, one scored reply per case; `conversation`: a scenario set, whole simulated conversations. */
export const RUN_KINDS = ['reply', 'conversation'] as const;
export const RunKind = z.enum(RUN_KINDS);
export type RunKind = z.infer<typeof RunKind>;

/** Stored with a run's summary: whether its failed cases stayed within what it was allowed (`--max-errors`). */
export const Completeness = z.object({
  complete: z.boolean(),
  /** Results that failed, plus any that are missing. */
  errors: z.number(),
  /** Results the run should have (cases × trials). */
  total: z.number(),
  /** The most `errors` could be for the run to count as complete. */
  allowed: z.number(),
  /** `--max-errors` as given: `0`, `3`, `5%`. */
  max_errors: z.string(),
  first_error: z.string().nullable(),
  /** "74 of 74 cases failed (first error: …)" when incomplete, else null. */
  reason: z.string().nullable(),
});
export type Completeness = z.infer<typeof Completeness>;

export const MetricSummary = z.object({
  mean: z.number(),
  low: z.number(),
  high: z.number(),
  n: z.number(),
  pass_rate: z.number(),
  /** Results with no evidence to score on (n/a), left out of mean, n and pass rate. */
  na: z.number().optional(),
});
export type MetricSummary = z.infer<typeof MetricSummary>;

const MetricMap = z.record(z.string(), MetricSummary);
const nullableNumber = z.number().nullable();

/** Interval of a conversation metric over scenarios (each scenario's mean over its trials); `high` is null when unbounded (a count over one scenario). */
export const ConversationInterval = z.object({ mean: z.number(), low: z.number(), high: z.number().nullable(), n: z.number() });
export type ConversationInterval = z.infer<typeof ConversationInterval>;

/** Whole-conversation numbers of one group (a run, a language, an intent). */
export const ConversationMetricsSummary = z.object({
  scenarios: z.number(),
  conversations: z.number(),
  /** pass^k's k: the fewest trials any scenario had. */
  k: z.number(),
  goal_success: ConversationInterval.nullable(),
  fcr: ConversationInterval.nullable(),
  pass_k: ConversationInterval.nullable(),
  turns: ConversationInterval.nullable(),
  handling_time_s: ConversationInterval.nullable(),
  repeated_asks: ConversationInterval.nullable(),
  escalation_accuracy: ConversationInterval.nullable(),
  tone: ConversationInterval.nullable(),
  errors: z.number(),
  /** How conversations ended: goal_met, handed_off, gave_up, max_turns, error, … */
  ended: z.record(z.string(), z.number()),
});
export type ConversationMetricsSummary = z.infer<typeof ConversationMetricsSummary>;

/** Set on a conversation run's summary (server/simulate/summarize-conversations.ts). */
export const ConversationSummary = ConversationMetricsSummary.extend({
  simulator: z.string(),
  by_language: z.record(z.string(), ConversationMetricsSummary),
  by_intent: z.record(z.string(), ConversationMetricsSummary),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

/** A run's numbers as the runner computes them (server/metrics/run-summary.ts). */
export const RunSummary = z.object({
  cases: z.number(),
  trials: z.number(),
  /** Results that could not be run or scored (they score 0 on every metric). */
  errors: z.number(),
  /** The first of those errors (by case id), to say why. */
  first_error: z.string().nullable(),
  /** Set by the runner: whether the errors stayed within `--max-errors` (absent on older runs). */
  completeness: Completeness.optional(),
  metrics: MetricMap,
  by_language: z.record(z.string(), MetricMap),
  by_intent: z.record(z.string(), MetricMap),
  by_channel: z.record(z.string(), MetricMap),
  escalation: z.object({ tp: z.number(), fp: z.number(), fn: z.number(), tn: z.number(), precision: nullableNumber, recall: nullableNumber }),
  /** Consistency over repeated trials: a trial passes when every quality scorer passes. */
  pass_hat_k: z.object({ k: z.number(), value: z.number() }).nullable(),
  latency_ms: z.object({ p50: nullableNumber, p95: nullableNumber }),
  tokens: z.object({ input: z.number(), output: z.number() }),
  /** The LLM judge's own calls (absent without a judge): tokens and, when the price table knows the model, USD. */
  judge: z.object({ model: z.string(), calls: z.number(), input_tokens: z.number(), output_tokens: z.number(), cost_usd: nullableNumber }).optional(),
  /** Conversation runs only: goal success, FCR, pass^k, turns … with intervals over scenarios. */
  conversation: ConversationSummary.optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** A summary as stored by any version: runs stored before these fields existed lack them. */
export const StoredRunSummary = RunSummary.extend({
  first_error: z.string().nullable().optional(),
  by_channel: z.record(z.string(), MetricMap).optional(),
  pass_hat_k: z.object({ k: z.number(), value: z.number() }).nullable().optional(),
});
export type StoredRunSummary = z.infer<typeof StoredRunSummary>;

/** One case's result in a run (one trial), as stored. */
export interface CaseResult {
  case_id: string;
  trial: number;
  output: string | null;
  handoff_queue: string | null;
  error: string | null;
  latency_ms: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  scores: Record<string, Pick<ScoreResult, 'score' | 'pass' | 'reason' | 'na' | 'judge_usage'>>;
}

/** A stored eval run: which suite and candidate, where it stands, and its summary once finished. */
export interface EvalRun {
  id: string;
  suite_name: string;
  suite_version: number;
  suite_hash: string;
  candidate_name: string;
  candidate_hash: string;
  model: string;
  status: string;
  started_at: string;
  summary: RunSummary | null;
  /** `reply` (a suite, one reply per case) or `conversation` (a scenario set, whole simulated conversations); suite_* then name the set. */
  kind?: RunKind;
  /** `firstcall` (its own runner) or the tool whose results were imported (`promptfoo`). */
  source?: string;
}

/** A stored score that counts: not n/a. */
export function applies(result: { na?: boolean } | undefined): boolean {
  return result !== undefined && result.na !== true;
}

// --- HTTP: /api/suites, /api/candidates, /api/runs, /api/leaderboard, /api/compare ---------------

export const SuiteRow = z.object({ name: z.string(), version: z.number(), hash: z.string(), created_at: z.string(), split: z.string(), n_cases: z.number() });
export type SuiteRow = z.infer<typeof SuiteRow>;
export const SuitesResponse = z.object({ suites: z.array(SuiteRow) });

export const CandidateRow = z.object({ file: z.string(), name: z.string(), model: z.string(), hash: z.string() });
export type CandidateRow = z.infer<typeof CandidateRow>;
export const CandidatesResponse = z.object({ candidates: z.array(CandidateRow) });

export const RunRow = z.object({
  id: z.string(),
  /** A conversation run's suite_name / suite_version name its scenario set. */
  kind: RunKind.default('reply'),
  suite_name: z.string(),
  suite_version: z.number(),
  candidate_name: z.string(),
  candidate_hash: z.string(),
  model: z.string(),
  /** running | done | incomplete | failed (RUN_STATUSES). */
  status: z.string(),
  started_at: z.string(),
  summary: StoredRunSummary.nullable(),
  /** Results that could not be run or scored. */
  errors: z.number().int(),
  /** More failed cases than the run allowed (--max-errors, default 0): not ranked, not promotable. */
  incomplete: z.boolean(),
  /** "74 of 74 cases failed (first error: …)" when incomplete. */
  incomplete_reason: z.string().nullable(),
  /** Where the run was made: `firstcall`, or the tool whose results were imported (`promptfoo`). */
  source: z.string().default('firstcall'),
});
export type RunRow = z.infer<typeof RunRow>;

export const Score = z.object({ score: z.number(), pass: z.boolean(), reason: z.string() });
/** A case's result as the API shows it. */
export const ResultRow = z.object({
  case_id: z.string(),
  trial: z.number(),
  output: z.string().nullable(),
  handoff_queue: z.string().nullable(),
  error: z.string().nullable(),
  latency_ms: z.number().nullable(),
  scores: z.record(z.string(), Score),
});
export type ResultRow = z.infer<typeof ResultRow>;

export const CaseRow = z.object({
  case_id: z.string(),
  dialogue_id: z.string(),
  language: z.string(),
  intent: z.string().nullable(),
  customer_message: z.string(),
  reference_answer: z.string(),
});
export type CaseRow = z.infer<typeof CaseRow>;

/** A run started in the server: how far it is (`incomplete`: finished, but cases failed; `error` then says why). */
export const Progress = z.object({
  run_id: z.string(),
  candidate: z.string(),
  status: z.enum(RUN_STATUSES),
  done: z.number(),
  total: z.number(),
  error: z.string().nullable(),
});
export type Progress = z.infer<typeof Progress>;

export const StartRunBody = z.object({
  suite: z.string().min(1),
  candidate: z.string().regex(/^[a-z0-9._-]+\.(ya?ml|json)$/i, 'a candidate file name from evals/candidates'),
  repeat: z.number().int().min(1).max(10).optional(),
});
export type StartRunBody = z.infer<typeof StartRunBody>;

export const RunIdParams = z.object({ id: z.string() });

export const RunsQuery = z.object({ suite: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) });
export const RunsResponse = z.object({ runs: z.array(RunRow) });

/** `suite` names a suite, or a scenario set with `kind=conversation`. */
export const LeaderboardQuery = z.object({ suite: z.string(), kind: RunKind.default('reply') });
export const Leaderboard = z.object({
  suite: z.object({ name: z.string(), version: z.number(), cases: z.number() }),
  /** Per candidate, its latest complete run on the latest version of the suite, best composite first. */
  entries: z.array(RunRow),
  /** Per candidate, a newer run that is incomplete (shown apart; never ranked or promoted). */
  incomplete: z.array(RunRow),
  /** Per channel, the config version in production (null: none yet). */
  production: z.record(z.string(), z.string().nullable()),
});
export type Leaderboard = z.infer<typeof Leaderboard>;

export const RunDetail = z.object({ run: RunRow, results: z.array(ResultRow), cases: z.array(CaseRow) });
export type RunDetail = z.infer<typeof RunDetail>;

export const CompareQuery = z.object({ a: z.string(), b: z.string() });
export const ComparedCase = z.object({ case_id: z.string(), customer_message: z.string(), a: ResultRow.nullable(), b: ResultRow.nullable(), delta: z.number().nullable() });
export type ComparedCase = z.infer<typeof ComparedCase>;
/** Two runs on the same suite, case by case, with the composite delta (b - a). */
export const Comparison = z.object({ a: RunRow, b: RunRow, cases: z.array(ComparedCase) });
export type Comparison = z.infer<typeof Comparison>;

// --- Conversation runs: /api/runs/:id/conversations[/:scenario_id/:trial] --------------------------

/** One tool call the agent made in a conversation: arguments and result as plain JSON, and the agent turn (1-based) it belongs to. */
export const ConversationToolCall = z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()), result: z.unknown(), agent_turn: z.number() });
export type ConversationToolCall = z.infer<typeof ConversationToolCall>;

/** A transcript turn: customer, agent, and tool turns (a tool turn's text is its JSON result; tool turns come before the agent reply that made them). */
export const ConversationTurn = z.object({ role: z.string(), text: z.string(), name: z.string().optional() });

/** What the conversation engine judged (server/simulate/run-conversation.ts judgeConversation). */
export const ConversationJudgement = z.object({
  goal_met: z.boolean(),
  /** `state`: the back office's end state was checked; `facts`: no expected state, so escalation and required facts decided. */
  goal_basis: z.enum(['state', 'facts']),
  state_mismatches: z.array(z.string()),
  missing_must_say: z.array(z.string()),
  handed_off: z.boolean(),
  escalation_expected: z.boolean(),
  escalation_correct: z.boolean(),
  needless_handoff: z.boolean(),
  repeated_asks: z.number(),
  /** Goal met, no needless hand-off, no repeated asks. */
  fcr: z.boolean(),
  agent_turns: z.number(),
  customer_turns: z.number(),
  handling_time_s: z.number(),
  tone: z.number().nullable(),
  required_facts_missing: z.array(z.string()),
  facts_coverage: z.number().nullable(),
});
export type ConversationJudgement = z.infer<typeof ConversationJudgement>;

/** One change of the sandboxed back office: a record added, removed or changed (fields from → to). */
export const StateChangeRow = z.object({
  collection: z.string(),
  op: z.enum(['added', 'removed', 'changed']),
  key: z.string(),
  fields: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
  record: z.record(z.string(), z.unknown()).optional(),
});

/** A conversation in the list of a run: enough to show a row and its verdict. */
export const ConversationRow = z.object({
  scenario_id: z.string(),
  trial: z.number(),
  language: z.string(),
  intent: z.string(),
  /** How it ended: goal_met, customer_done, gave_up, handed_off, max_turns, error. */
  ended: z.string(),
  goal_met: z.boolean(),
  fcr: z.boolean(),
  escalation_correct: z.boolean(),
  repeated_asks: z.number(),
  agent_turns: z.number(),
  handling_time_s: z.number(),
  tone: z.number().nullable(),
  tool_calls: z.number(),
  error: z.string().nullable(),
});
export type ConversationRow = z.infer<typeof ConversationRow>;
export const ConversationsResponse = z.object({ run: RunRow, conversations: z.array(ConversationRow) });
export type ConversationsResponse = z.infer<typeof ConversationsResponse>;

/** One conversation in full: transcript, tool calls, the back office's end state and diff, what was expected, the judgement. */
export const ConversationDetail = z.object({
  run_id: z.string(),
  scenario_id: z.string(),
  trial: z.number(),
  language: z.string(),
  intent: z.string(),
  turns: z.array(ConversationTurn),
  tool_calls: z.array(ConversationToolCall),
  /** What the simulated customer did each move (repeated_ask, ignored, asked_for_human, …). */
  customer_events: z.array(z.array(z.string())),
  ended: z.string(),
  warnings: z.array(z.string()),
  final_state: z.record(z.string(), z.unknown()),
  state_diff: z.array(StateChangeRow),
  /** The scenario's expectation: end state (null: unknown), escalation, required facts, must_say. */
  expected: z.object({
    state: z.record(z.string(), z.unknown()).nullable(),
    escalation: z.boolean(),
    required_facts: z.array(z.string()),
    must_say: z.array(z.string()),
    resolved: z.boolean().nullable(),
  }),
  judgement: ConversationJudgement,
  error: z.string().nullable(),
});
export type ConversationDetail = z.infer<typeof ConversationDetail>;
export const ConversationParams = z.object({ id: z.string(), scenario_id: z.string(), trial: z.coerce.number().int().min(1) });

/** The scores a conversation gives the gate, compare and the leaderboard (per case = per scenario, one result per trial). */
export const CONVERSATION_SCORES = ['goal_success', 'fcr', 'tone', 'escalation'] as const;

/** A conversation as a per-case result: goal_success, fcr, tone and escalation as 0–1 with pass; the last agent reply as output. */
export function conversationCaseResult(c: Pick<ConversationDetail, 'scenario_id' | 'trial' | 'turns' | 'judgement' | 'error'>): CaseResult {
  const j = c.judgement;
  const last = c.turns.findLast((t) => t.role === 'agent')?.text ?? null;
  const bool = (pass: boolean, reason: string) => ({ score: pass ? 1 : 0, pass, reason });
  const scores: CaseResult['scores'] = {
    goal_success: bool(j.goal_met, j.goal_met ? `goal met (${j.goal_basis})` : [...j.state_mismatches, ...j.missing_must_say.map((p) => `did not say "${p}"`)].join('; ') || 'goal not met'),
    fcr: bool(j.fcr, j.fcr ? 'resolved on first contact' : [!j.goal_met && 'goal not met', j.needless_handoff && 'needless hand-off', j.repeated_asks > 0 && `${j.repeated_asks} repeated asks`].filter(Boolean).join('; ')),
    escalation: bool(j.escalation_correct, `${j.handed_off ? 'handed off' : 'kept'}; ${j.escalation_expected ? 'a person was needed' : 'no person needed'}`),
    tone: j.tone === null ? { score: 0, pass: false, reason: 'no agent turn', na: true } : { score: j.tone, pass: j.tone >= 0.6, reason: 'mean over the agent turns' },
  };
  return { case_id: c.scenario_id, trial: c.trial, output: last, handoff_queue: j.handed_off ? 'human' : null, error: c.error, latency_ms: null, input_tokens: null, output_tokens: null, scores };
}
