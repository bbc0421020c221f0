// Runs one candidate over a suite: concurrent calls with timeouts and retries, every reply scored,
// every result (or the error that ended it) stored as it comes, so a killed run resumes with only
// the missing cases. A failed case is recorded and the run goes on; only bad configuration stops it.
// A case fails when its call fails or when any scorer (the judge too) cannot score it; a run with
// more failed cases than `maxErrors` allows ends `incomplete` instead of `done`.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { renderMessages } from '../candidates/render-prompt.ts';
import { AppError } from '../domain/errors.ts';
import { parseReply, type Candidate, type Provider, type RunStatus, type Scorer, type Suite, type SuiteCase } from '../domain/eval.ts';
import { textualHandoff } from '../scorers/handoff.ts';
import type { Database } from '../storage/database.ts';
import { checkCompleteness, NO_ERRORS, type Completeness, type ErrorBudget } from './error-budget.ts';
import { CallFailedError, withRetry } from './retry.ts';
import type { ScoringPool } from './scoring-pool.ts';
import { summarizeRun, type CaseResult, type RunSummary } from './summarize.ts';

export interface RunEvalOptions {
  suite: Suite;
  candidate: Candidate;
  provider: Provider;
  scorers: readonly Scorer[];
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  repeat?: number;
  /** Finish this earlier run instead of starting a new one. */
  resume?: string;
  /** The id of a new run (generated when absent). */
  runId?: string;
  judge?: string;
  onProgress?: (done: number, total: number) => void;
  /** Results kept in memory before they are written (a crash loses at most these). */
  flushEvery?: number;
  retryBaseDelayMs?: number;
  /** Score in worker threads instead (offline scorers only; the same names as `scorers`). */
  scoringPool?: ScoringPool;
  /** Failed cases the run may have and still be complete (default none). */
  maxErrors?: ErrorBudget;
}

export interface RunOutcome {
  run_id: string;
  summary: RunSummary;
  /** Results run now (a resumed run skips what was stored). */
  ran: number;
  completeness: Completeness;
}

const RESULT_SHAPE =
  '[{"run_id":"VARCHAR","case_id":"VARCHAR","trial":"INTEGER","output":"VARCHAR","handoff_queue":"VARCHAR","error":"VARCHAR","attempts":"INTEGER","latency_ms":"DOUBLE","input_tokens":"INTEGER","output_tokens":"INTEGER","cached":"BOOLEAN","scores":"JSON"}]';

export async function runEval(db: Database, options: RunEvalOptions): Promise<RunOutcome> {
  const { suite, candidate, scorers } = options;
  const repeat = options.repeat ?? 1;
  const runId = options.resume ?? options.runId ?? `run-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
  let done = new Set<string>();
  if (options.resume) {
    const [run] = await db.all<{ suite_hash: string; candidate_hash: string; repeat: number }>('SELECT suite_hash, candidate_hash, repeat FROM eval_runs WHERE id = $id', { id: runId });
    if (!run) throw new AppError('usage', `no run ${runId} to resume`);
    if (run.suite_hash !== suite.hash || run.candidate_hash !== candidate.hash) {
      throw new AppError('usage', `run ${runId} was made with another suite or candidate version; start a new run instead of --resume`);
    }
    await db.run('DELETE FROM eval_results WHERE run_id = $id AND error IS NOT NULL', { id: runId }); // failed cases are run again
    const rows = await db.all<{ case_id: string; trial: number }>('SELECT case_id, trial FROM eval_results WHERE run_id = $id', { id: runId });
    done = new Set(rows.map((r) => `${r.case_id}|${r.trial}`));
    await db.run("UPDATE eval_runs SET status = 'running', finished_at = NULL WHERE id = $id", { id: runId });
  } else {
    await db.run(
      `INSERT INTO eval_runs (id, suite_name, suite_version, suite_hash, candidate_name, candidate_hash, candidate, model, judge, repeat, scorers, status, started_at)
       VALUES ($id, $suite, $version, $suite_hash, $name, $hash, $candidate, $model, $judge, $repeat, $scorers, 'running', now())`,
      {
        id: runId,
        suite: suite.name,
        version: suite.version,
        suite_hash: suite.hash,
        name: candidate.spec.name,
        hash: candidate.hash,
        candidate: JSON.stringify({ spec: candidate.spec, template: candidate.template }),
        model: candidate.spec.model,
        judge: options.judge ?? null,
        repeat,
        scorers: JSON.stringify(scorers.map((s) => ({ name: s.name, method: s.method, threshold: s.threshold }))),
      },
    );
  }

  const work: { case: SuiteCase; trial: number }[] = [];
  for (const c of suite.cases) for (let trial = 1; trial <= repeat; trial++) if (!done.has(`${c.case_id}|${trial}`)) work.push({ case: c, trial });

  const pending: (CaseResult & { attempts: number; cached: boolean })[] = [];
  const flushEvery = options.flushEvery ?? 50;
  let writing = Promise.resolve();
  const flush = () => {
    const rows = pending.splice(0, pending.length);
    if (rows.length === 0) return writing;
    writing = writing.then(() =>
      db.run(
        `INSERT OR REPLACE INTO eval_results
         SELECT r.run_id, r.case_id, r.trial, r.output, r.handoff_queue, r.error, r.attempts, r.latency_ms,
                r.input_tokens, r.output_tokens, r.cached, r.scores, now()
         FROM (SELECT unnest(from_json($rows, '${RESULT_SHAPE}')) AS r)`,
        { rows: JSON.stringify(rows.map((r) => ({ ...r, run_id: runId }))) },
      ),
    );
    return writing;
  };

  // Calls and scoring are limited separately: a slot is free for the next call while a reply is
  // being scored (judge scorers make calls of their own, so scoring is bounded too).
  const limits = { call: pLimit(options.concurrency ?? 8), score: pLimit(options.concurrency ?? 8) };
  let finished = 0;
  options.onProgress?.(0, work.length);
  // Results are also written at least every second, so a killed run loses little.
  const ticker = setInterval(() => void flush(), 1000);
  try {
    await Promise.all(
      work.map((item) =>
        (async () => {
          const result = await runCase(item.case, item.trial, options, limits);
          pending.push(result);
          if (pending.length >= flushEvery) void flush();
          options.onProgress?.(++finished, work.length);
        })(),
      ),
    );
  } finally {
    clearInterval(ticker);
    await flush();
  }

  const summary = await summarizeStoredRun(db, runId, suite);
  const expected = suite.cases.length * repeat;
  const missing = Math.max(0, expected - summary.trials);
  const completeness = checkCompleteness(
    { errors: summary.errors + missing, total: expected, first_error: summary.first_error ?? (missing > 0 ? `${missing} results are missing` : null), unit: repeat > 1 ? 'trials' : 'cases' },
    options.maxErrors ?? NO_ERRORS,
  );
  summary.completeness = completeness;
  const status: RunStatus = completeness.complete ? 'done' : 'incomplete';
  await db.run('UPDATE eval_runs SET status = $status, finished_at = now(), summary = $summary WHERE id = $id', { id: runId, status, summary: JSON.stringify(summary) });
  return { run_id: runId, summary, ran: work.length, completeness };
}

type Limit = ReturnType<typeof pLimit>;

async function runCase(
  c: SuiteCase,
  trial: number,
  options: RunEvalOptions,
  limits: { call: Limit; score: Limit },
): Promise<CaseResult & { attempts: number; cached: boolean }> {
  const { candidate, provider, scorers } = options;
  let started = 0;
  try {
    const { value, attempts, latency } = await limits.call(async () => {
      const messages = renderMessages(candidate.template, c);
      started = performance.now();
      const answer = await withRetry(
        (signal) => provider.generate({ messages, params: candidate.spec.params, case: c, template: candidate.template, signal, trial: options.repeat && options.repeat > 1 ? trial : undefined }),
        { retries: options.retries ?? 4, timeoutMs: options.timeoutMs ?? 30_000, baseDelayMs: options.retryBaseDelayMs },
      );
      // A recorded answer reports the latency of the call that recorded it.
      return { ...answer, latency: answer.value.cached?.latency_ms ?? performance.now() - started };
    });
    const parsed = parseReply(value.text);
    // A reply that transfers the customer in words (转人工, "transfer you to") hands off too.
    const reply = { ...parsed, handoff: parsed.handoff ?? (textualHandoff(parsed.answer) ? { queue: 'human' } : null) };
    let scores: CaseResult['scores'] = {};
    let failures: ScorerFailure[] = [];
    const input = { case: c, reply: reply.answer, handoff: reply.handoff, latency_ms: latency, usage: value.usage, model: candidate.spec.model };
    await limits.score(async () => {
      if (options.scoringPool) {
        ({ scores, failures } = await options.scoringPool.score(input));
        return;
      }
      for (const scorer of scorers) {
        try {
          scores[scorer.name] = await scorer.score(input);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          scores[scorer.name] = { score: 0, pass: false, reason: `scorer failed: ${message}` };
          failures.push({ scorer: scorer.name, message });
        }
      }
    });
    return {
      case_id: c.case_id,
      trial,
      output: value.text,
      handoff_queue: reply.handoff?.queue ?? null,
      // The reply is kept, but a case that could not be scored is a failed case, not a bad reply.
      error: scoringError(failures),
      attempts,
      latency_ms: latency,
      input_tokens: value.usage?.input_tokens ?? null,
      output_tokens: value.usage?.output_tokens ?? null,
      cached: value.cached !== undefined,
      scores,
    };
  } catch (error) {
    const attempts = error instanceof CallFailedError ? error.attempts : 1;
    const cause = error instanceof CallFailedError ? error.cause : error;
    // Bad configuration (no API key, unknown model) stops the run instead of failing every case.
    if (AppError.isInstance(cause) && cause.code === 'usage') throw cause;
    return {
      case_id: c.case_id,
      trial,
      output: null,
      handoff_queue: null,
      error: `${cause instanceof Error ? cause.message : String(cause)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
      attempts,
      latency_ms: started === 0 ? null : performance.now() - started,
      input_tokens: null,
      output_tokens: null,
      cached: false,
      scores: {},
    };
  }
}

export interface ScorerFailure {
  scorer: string;
  message: string;
}

/** `scorer fcr failed: …` or `scorers fcr, tone failed: <the first message>`; null when none failed. */
export function scoringError(failures: readonly ScorerFailure[]): string | null {
  if (failures.length === 0) return null;
  const names = failures.map((f) => f.scorer).join(', ');
  return `scorer${failures.length > 1 ? 's' : ''} ${names} failed: ${failures[0]!.message}`;
}

export async function loadResults(db: Database, runId: string): Promise<CaseResult[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT case_id, trial, output, handoff_queue, error, latency_ms, input_tokens, output_tokens, scores FROM eval_results WHERE run_id = $id ORDER BY case_id, trial`,
    { id: runId },
  );
  return rows.map((r) => ({
    case_id: String(r.case_id),
    trial: Number(r.trial),
    output: (r.output as string | null) ?? null,
    handoff_queue: (r.handoff_queue as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    latency_ms: r.latency_ms == null ? null : Number(r.latency_ms),
    input_tokens: r.input_tokens == null ? null : Number(r.input_tokens),
    output_tokens: r.output_tokens == null ? null : Number(r.output_tokens),
    scores: JSON.parse(String(r.scores)),
  }));
}

export async function summarizeStoredRun(db: Database, runId: string, suite: Suite): Promise<RunSummary> {
  const [run] = await db.all<{ scorers: string; repeat: number }>('SELECT scorers, repeat FROM eval_runs WHERE id = $id', { id: runId });
  const scorers = (JSON.parse(run!.scorers) as { name: string }[]).map((s) => s.name);
  return summarizeRun(suite.cases, await loadResults(db, runId), scorers, Number(run!.repeat));
}

export interface RunInfo {
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

export async function getRun(db: Database, runId: string): Promise<RunInfo | undefined> {
  const [row] = await db.all<Record<string, unknown>>(
    `SELECT id, suite_name, suite_version, suite_hash, candidate_name, candidate_hash, model, status,
            strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, summary FROM eval_runs WHERE id = $id`,
    { id: runId },
  );
  return row ? ({ ...row, suite_version: Number(row.suite_version), summary: row.summary ? JSON.parse(String(row.summary)) : null } as RunInfo) : undefined;
}
