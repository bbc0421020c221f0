// Runs one candidate over a suite: concurrent calls with timeouts and retries, every reply scored,
// every result (or the error that ended it) stored as it comes, so a killed run resumes with only
// the missing cases. A failed case is recorded and the run goes on; only bad configuration stops it.
// A case fails when its call fails or when any scorer (the judge too) cannot score it; a run with
// more failed cases than `maxErrors` allows ends `incomplete` instead of `done`.
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { renderMessages } from '../candidates/render-prompt.ts';
import { AppError } from '../domain/errors.ts';
import { parseReply, type Candidate, type ChatMessage, type Provider, type RunStatus, type Scorer, type Suite, type SuiteCase } from '../domain/eval.ts';
import type { Completeness, RunSummary } from '../domain/runs-api.ts';
import { RunSummaryBuilder, summarizeRun } from '../metrics/run-summary.ts';
import { actsOffRecord, canActInEval } from '../providers/registry.ts';
import { CallFailedError, withRetry } from '../providers/retry.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { SCORERS, type ScorerRegistry } from '../scorers/registry.ts';
import { scorerFacts } from '../scorers/run-summary-facts.ts';
import type { Database } from '../storage/database.ts';
import { actionsTaken } from '../tools/actions.ts';
import { EvalRunRepository, type StoredResult } from '../storage/eval-run-repository.ts';
import { checkCompleteness, NO_ERRORS, type ErrorBudget } from './error-budget.ts';
import { scoreReply, scoringError, type ReplyScores } from './score-reply.ts';
import type { ScoringPool } from './scoring-pool.ts';

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
  /**
   * Results kept in memory before they are written (default 250; they are also written every second,
   * so a crash loses at most a second's or these). Each write costs DuckDB ~5 ms of CPU however many
   * rows it has.
   */
  flushEvery?: number;
  retryBaseDelayMs?: number;
  /** Score in worker threads instead (offline scorers only; the same names as `scorers`). */
  scoringPool?: ScoringPool;
  /** Failed cases the run may have and still be complete (default none). */
  maxErrors?: ErrorBudget;
  /** Which scorers are quality and composite in the summary (default the scorer registry). */
  registry?: ScorerRegistry;
}

export interface RunOutcome {
  run_id: string;
  summary: RunSummary;
  /** Results run now (a resumed run skips what was stored). */
  ran: number;
  completeness: Completeness;
}

export async function runEval(db: Database, options: RunEvalOptions): Promise<RunOutcome> {
  const { suite, candidate, scorers } = options;
  const repeat = options.repeat ?? 1;
  const runId = options.resume ?? options.runId ?? `run-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
  const runs = new EvalRunRepository(db);
  let done = new Set<string>();
  if (options.resume) {
    const run = await runs.get(runId);
    if (!run) throw new AppError('usage', `no run ${runId} to resume`);
    if (run.suite_hash !== suite.hash || run.candidate_hash !== candidate.hash) {
      throw new AppError('usage', `run ${runId} was made with another suite or candidate version; start a new run instead of --resume`);
    }
    // Failed cases are run again.
    done = new Set((await runs.reopen(runId)).map((r) => `${r.case_id}|${r.trial}`));
  } else {
    await runs.create({ id: runId, suite, candidate, judge: options.judge ?? null, repeat, scorers });
  }

  const work: { case: SuiteCase; trial: number }[] = [];
  for (const c of suite.cases) for (let trial = 1; trial <= repeat; trial++) if (!done.has(`${c.case_id}|${trial}`)) work.push({ case: c, trial });

  const pending: StoredResult[] = [];
  // A new run's summary is made as its results come (the rows it stores), so the run's end need not
  // read them back nor go through them all; a resumed run's is made from the store.
  const names = scorers.map((s) => s.name);
  const registry = options.registry ?? SCORERS;
  const summarizing = options.resume ? null : new RunSummaryBuilder(suite.cases, names, repeat, scorerFacts(canActInEval(candidate.spec.model)), registry.summaryOptions());
  const flushEvery = options.flushEvery ?? 250;
  let writing = Promise.resolve();
  const flush = () => {
    const rows = pending.splice(0, pending.length);
    if (rows.length === 0) return writing;
    writing = writing.then(() => runs.addResults(runId, rows));
    return writing;
  };

  // Calls and scoring are limited separately: a slot is free for the next call while a reply is
  // being scored (judge scorers make calls of their own, so scoring is bounded too).
  const concurrency = options.concurrency ?? 8;
  const limits = { call: pLimit(concurrency), score: pLimit(concurrency) };
  const prompts = new PromptsAhead(work, candidate.template, concurrency);
  // Over the last rounds of calls, what is pending is written a round at a time, while the calls
  // after it run: the run's end then writes only the last round's results, and not after a larger
  // write still going on (a write takes a few ms however few rows it has, more with more rows).
  const lastRounds = work.length - LAST_ROUNDS * concurrency;
  let finished = 0;
  options.onProgress?.(0, work.length);
  // Results are also written at least every second, so a killed run loses little.
  const ticker = setInterval(() => void flush(), 1000);
  try {
    await Promise.all(
      work.map((item, index) =>
        (async () => {
          const { result, escalation } = await runCase(item.case, item.trial, options, limits, () => prompts.take(index));
          pending.push(result);
          summarizing?.add(result, escalation);
          if (pending.length >= (++finished >= lastRounds ? Math.min(flushEvery, concurrency) : flushEvery)) void flush();
          options.onProgress?.(finished, work.length);
        })(),
      ),
    );
  } catch (error) {
    clearInterval(ticker);
    await flush();
    throw error;
  }
  clearInterval(ticker);
  // The last results are written while the summary is finished.
  const lastWrite = flush();
  let summary: RunSummary;
  try {
    summary = summarizing ? summarizing.summary() : await lastWrite.then(() => summarizeStoredRun(db, runId, suite, registry));
  } finally {
    await lastWrite;
  }
  const expected = suite.cases.length * repeat;
  const missing = Math.max(0, expected - summary.trials);
  const completeness = checkCompleteness(
    { errors: summary.errors + missing, total: expected, first_error: summary.first_error ?? (missing > 0 ? `${missing} results are missing` : null), unit: repeat > 1 ? 'trials' : 'cases' },
    options.maxErrors ?? NO_ERRORS,
  );
  summary.completeness = completeness;
  const status: RunStatus = completeness.complete ? 'done' : 'incomplete';
  await runs.finish(runId, status, summary);
  return { run_id: runId, summary, ran: work.length, completeness };
}

/** Rounds of calls at the run's end whose results are written a round at a time. */
const LAST_ROUNDS = 3;

type Limit = ReturnType<typeof pLimit>;

/**
 * The work's prompts rendered ahead of their calls, in the order the calls start, while the calls out
 * leave the event loop idle: a freed slot's next call then goes out without being rendered first.
 * Rendered a few at a time after pending I/O (setImmediate), at most two rounds of calls ahead.
 */
class PromptsAhead {
  readonly #rendered = new Map<number, ChatMessage[]>();
  #next = 0;
  #taken = 0;
  #scheduled = false;

  constructor(
    private readonly work: readonly { case: SuiteCase }[],
    private readonly template: Candidate['template'],
    private readonly concurrency: number,
  ) {}

  /** Item `index`'s messages (each taken once), rendered now if they were not rendered ahead. */
  take(index: number): ChatMessage[] {
    this.#taken++;
    const messages = this.#rendered.get(index);
    this.#rendered.delete(index);
    this.#schedule();
    return messages ?? renderMessages(this.template, this.work[index]!.case);
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      const limit = Math.min(this.work.length, this.#taken + 2 * this.concurrency);
      // Calls start in work order, so those up to #taken are started (or taking theirs now).
      this.#next = Math.max(this.#next, this.#taken);
      for (let n = 0; n < RENDER_AHEAD_BATCH && this.#next < limit; n++, this.#next++) {
        this.#rendered.set(this.#next, renderMessages(this.template, this.work[this.#next]!.case));
      }
      if (this.#next < limit) this.#schedule();
    });
  }
}

/** Prompts rendered per turn of the event loop when rendering ahead. */
const RENDER_AHEAD_BATCH = 4;

async function runCase(
  c: SuiteCase,
  trial: number,
  options: RunEvalOptions,
  limits: { call: Limit; score: Limit },
  prompt: () => ChatMessage[],
): Promise<{ result: StoredResult; escalation?: ReplyScores['escalation'] }> {
  const { candidate, provider, scorers } = options;
  const offRecord = actsOffRecord(candidate.spec.model);
  let started = 0;
  try {
    const { value, attempts, latency } = await limits.call(async () => {
      const messages = prompt();
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
    // The scorers are given the marker only: they read a hand-off in words themselves, so that their
    // reasons quote the words (not a marker the reply never had) and escalation's textual_handoff holds.
    const reply = { ...parsed, handoff: parsed.handoff ?? (textualHandoff(parsed.answer) ? { queue: 'human' } : null) };
    // What the candidate did besides answering, so that accuracy can tell a refund it made from one it only mentions.
    const actions = offRecord ? undefined : actionsTaken(value.tool_calls, reply.handoff);
    const input = { case: c, reply: reply.answer, handoff: parsed.handoff, latency_ms: latency, usage: value.usage, model: candidate.spec.model, ...(actions ? { actions } : {}), ...canActInEval(candidate.spec.model) };
    const { scores, failures, escalation } = await limits.score(() => (options.scoringPool ? options.scoringPool.score(input) : scoreReply(scorers, input)));
    const result: StoredResult = {
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
    return { result, escalation };
  } catch (error) {
    const attempts = error instanceof CallFailedError ? error.attempts : 1;
    const cause = error instanceof CallFailedError ? error.cause : error;
    // Bad configuration (no API key, unknown model) stops the run instead of failing every case.
    if (AppError.isInstance(cause) && cause.code === 'usage') throw cause;
    const result: StoredResult = {
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
    return { result };
  }
}

/** A stored run's summary, from its stored results. */
export async function summarizeStoredRun(db: Database, runId: string, suite: Suite, registry: ScorerRegistry = SCORERS): Promise<RunSummary> {
  const runs = new EvalRunRepository(db);
  const setup = await runs.setup(runId);
  return summarizeRun(suite.cases, await runs.results(runId), setup!.scorers, setup!.repeat, scorerFacts(canActInEval(setup!.model)), registry.summaryOptions());
}
