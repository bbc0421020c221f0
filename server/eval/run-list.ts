// Eval runs as the API lists them: newest first, each with its failed-case count and whether it is
// incomplete; and the leaderboard's choice per candidate (its latest complete run, plus a newer
// incomplete one shown apart, so a broken rerun never hides the last good one).
import type { Database } from '../storage/database.ts';
import { incompleteReason } from './error-budget.ts';
import type { RunSummary } from './summarize.ts';

export interface RunView {
  id: string;
  suite_name: string;
  suite_version: number;
  candidate_name: string;
  candidate_hash: string;
  model: string;
  status: string;
  started_at: string;
  summary: RunSummary | null;
  /** Results that could not be run or scored. */
  errors: number;
  /** Finished with more failed cases than allowed (or any, for runs stored before --max-errors): not promotable. */
  incomplete: boolean;
  incomplete_reason: string | null;
}

const COLUMNS = `id, suite_name, suite_version, candidate_name, candidate_hash, model, status,
  strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, summary`;

export function toRunView(row: Record<string, unknown>): RunView {
  return withRunFlags({
    id: String(row.id),
    suite_name: String(row.suite_name),
    suite_version: Number(row.suite_version),
    candidate_name: String(row.candidate_name),
    candidate_hash: String(row.candidate_hash),
    model: String(row.model),
    status: String(row.status),
    started_at: String(row.started_at),
    summary: row.summary ? (JSON.parse(String(row.summary)) as RunSummary) : null,
  });
}

/** A run (as getRun or a row gives it) with its failed-case count and incomplete flag. */
export function withRunFlags<T extends { status: string; summary: RunSummary | null }>(run: T): T & Pick<RunView, 'errors' | 'incomplete' | 'incomplete_reason'> {
  const reason = incompleteReason(run);
  return { ...run, errors: run.summary?.completeness?.errors ?? run.summary?.errors ?? 0, incomplete: reason !== null, incomplete_reason: reason };
}

export async function listRuns(db: Database, options: { suite?: string; limit: number }): Promise<RunView[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM eval_runs WHERE $suite IS NULL OR suite_name = $suite ORDER BY eval_runs.started_at DESC LIMIT $limit`,
    { suite: options.suite ?? null, limit: options.limit },
  );
  return rows.map(toRunView);
}

export interface LeaderboardRuns {
  /** Per candidate, its latest complete run, best composite first. */
  entries: RunView[];
  /** Per candidate, its latest incomplete run when that is newer than its latest complete one. */
  incomplete: RunView[];
}

export async function leaderboardRuns(db: Database, suiteHash: string): Promise<LeaderboardRuns> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT ${COLUMNS} FROM eval_runs WHERE suite_hash = $hash AND status IN ('done', 'incomplete') ORDER BY eval_runs.started_at DESC, id DESC`,
    { hash: suiteHash },
  );
  const complete = new Map<string, RunView>();
  const newerIncomplete = new Map<string, RunView>();
  for (const run of rows.map(toRunView)) {
    if (complete.has(run.candidate_hash)) continue;
    if (!run.incomplete) complete.set(run.candidate_hash, run);
    else if (!newerIncomplete.has(run.candidate_hash)) newerIncomplete.set(run.candidate_hash, run);
  }
  const composite = (r: RunView) => r.summary?.metrics.composite?.mean ?? 0;
  return {
    entries: [...complete.values()].sort((a, b) => composite(b) - composite(a)),
    incomplete: [...newerIncomplete.values()],
  };
}
