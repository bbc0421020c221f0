// Zod schemas for the eval-run endpoints (server/routes/runs.ts). Summaries have the shape of
// RunSummary (server/eval/summarize.ts); the `satisfies` checks keep the two in step.
import { z } from 'zod';
import type { MetricSummary as ServerMetricSummary, RunSummary as ServerRunSummary } from '../../../../../server/eval/summarize.ts';

export const MetricSummary = z.object({ mean: z.number(), low: z.number(), high: z.number(), n: z.number(), pass_rate: z.number() });
export type MetricSummary = z.infer<typeof MetricSummary>;

const MetricMap = z.record(z.string(), MetricSummary);
const nullableNumber = z.number().nullable();

export const RunSummary = z.object({
  cases: z.number(),
  trials: z.number(),
  errors: z.number(),
  first_error: z.string().nullable().optional(),
  metrics: MetricMap,
  by_language: z.record(z.string(), MetricMap),
  by_intent: z.record(z.string(), MetricMap),
  by_channel: z.record(z.string(), MetricMap).optional(),
  escalation: z.object({ tp: z.number(), fp: z.number(), fn: z.number(), tn: z.number(), precision: nullableNumber, recall: nullableNumber }),
  pass_hat_k: z.object({ k: z.number(), value: z.number() }).nullable().optional(),
  latency_ms: z.object({ p50: nullableNumber, p95: nullableNumber }),
  tokens: z.object({ input: z.number(), output: z.number() }),
});
export type RunSummary = z.infer<typeof RunSummary>;

// Compile-time: what the server produces is accepted by what we parse.
type Assignable<A, B extends A> = B;
export type _MetricCheck = Assignable<MetricSummary, ServerMetricSummary>;
export type _SummaryCheck = Assignable<RunSummary, ServerRunSummary>;

export const RunRow = z.object({
  id: z.string(),
  suite_name: z.string(),
  suite_version: z.number(),
  candidate_name: z.string(),
  candidate_hash: z.string(),
  model: z.string(),
  status: z.string(),
  started_at: z.string(),
  summary: RunSummary.nullable(),
  /** Results that could not be run or scored. */
  errors: z.number(),
  /** More failed cases than the run allowed: never ranked, never promotable. */
  incomplete: z.boolean(),
  incomplete_reason: z.string().nullable(),
});
export type RunRow = z.infer<typeof RunRow>;

export const Score = z.object({ score: z.number(), pass: z.boolean(), reason: z.string() });
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

export const Progress = z.object({
  run_id: z.string(),
  candidate: z.string().optional(),
  status: z.enum(['running', 'done', 'incomplete', 'failed']),
  done: z.number(),
  total: z.number(),
  error: z.string().nullable().optional(),
});
export type Progress = z.infer<typeof Progress>;
