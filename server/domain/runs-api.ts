// Eval runs: what a run's results and summary look like, and the HTTP contract of the runs API
// (suites and candidates to choose from, starting a run, its progress, the leaderboard, a run's
// cases, two runs compared). Shared by the server, the CLI and the UI. No I/O.
import { z } from 'zod';
import type { ScoreResult } from './eval.ts';
import { RUN_STATUSES } from './eval.ts';

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

export const LeaderboardQuery = z.object({ suite: z.string() });
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
