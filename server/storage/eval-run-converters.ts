// Rows of eval_runs and eval_results as domain objects (snake_case stays in SQL and here).
import type { CaseResult, EvalRun, RunSummary } from '../domain/runs-api.ts';

export function toEvalRun(row: Record<string, unknown>): EvalRun {
  return {
    id: String(row.id),
    suite_name: String(row.suite_name),
    suite_version: Number(row.suite_version),
    suite_hash: String(row.suite_hash),
    candidate_name: String(row.candidate_name),
    candidate_hash: String(row.candidate_hash),
    model: String(row.model),
    status: String(row.status),
    started_at: String(row.started_at),
    summary: row.summary ? (JSON.parse(String(row.summary)) as RunSummary) : null,
    kind: row.kind === 'conversation' ? 'conversation' : 'reply',
    source: row.source == null ? 'firstcall' : String(row.source),
  };
}

export function toCaseResult(row: Record<string, unknown>): CaseResult {
  return {
    case_id: String(row.case_id),
    trial: Number(row.trial),
    output: (row.output as string | null) ?? null,
    handoff_queue: (row.handoff_queue as string | null) ?? null,
    error: (row.error as string | null) ?? null,
    latency_ms: row.latency_ms == null ? null : Number(row.latency_ms),
    input_tokens: row.input_tokens == null ? null : Number(row.input_tokens),
    output_tokens: row.output_tokens == null ? null : Number(row.output_tokens),
    scores: JSON.parse(String(row.scores)) as CaseResult['scores'],
  };
}
