// Eval runs for the team lead: suites and candidates to choose from, starting a run in the server,
// runs newest first, the leaderboard per suite, a run's cases with the scorers' reasons, and two
// runs compared case by case. Every run says how many of its cases failed and whether it is
// incomplete (not promotable); the leaderboard ranks each candidate's latest complete run and lists
// a newer incomplete one apart, so a broken rerun never hides the last good one.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { AppError } from '../domain/errors.ts';
import { CHANNELS } from '../domain/promotion.ts';
import type {
  CandidateRow,
  CaseRow,
  Comparison,
  ConversationDetail,
  ConversationsResponse,
  EvalRun,
  Leaderboard,
  Progress,
  RunDetail,
  RunKind,
  RunRow,
  StartRunBody,
  SuiteRow,
} from '../domain/runs-api.ts';
import { incompleteReason } from '../eval/error-budget.ts';
import { compositeByCase } from '../metrics/run-summary.ts';
import { SCORERS } from '../scorers/registry.ts';
import type { Database } from '../storage/database.ts';
import { ConversationResultRepository } from '../storage/conversation-result-repository.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { getConfig } from './configs.ts';
import { REPO_ROOT } from './evaluate.ts';
import type { RunManager } from './run-manager.ts';
import { loadScenarioSet } from './scenarios.ts';
import { listSuites, loadSuite } from './suites.ts';

/** The shipped candidate files the UI and API may run. */
export const CANDIDATES_DIR = join(REPO_ROOT, 'evals', 'candidates');

/** A run with its failed-case count and whether it is incomplete (not promotable). */
export function withRunFlags<T extends Pick<EvalRun, 'status' | 'summary' | 'kind' | 'source'>>(run: T): T & Pick<RunRow, 'errors' | 'incomplete' | 'incomplete_reason' | 'kind' | 'source'> {
  const reason = incompleteReason(run);
  return { ...run, kind: run.kind ?? 'reply', source: run.source ?? 'firstcall', errors: run.summary?.completeness?.errors ?? run.summary?.errors ?? 0, incomplete: reason !== null, incomplete_reason: reason };
}

export class RunService {
  private readonly runs: EvalRunRepository;

  constructor(
    private readonly db: Database,
    private readonly manager: RunManager,
  ) {
    this.runs = new EvalRunRepository(db);
  }

  suites(): Promise<SuiteRow[]> {
    return listSuites(this.db);
  }

  async candidates(): Promise<CandidateRow[]> {
    const files = readdirSync(CANDIDATES_DIR).filter((f) => /\.ya?ml$|\.json$/.test(f)).sort();
    const candidates: CandidateRow[] = [];
    for (const file of files) {
      const c = await loadCandidate(join(CANDIDATES_DIR, file), { root: REPO_ROOT });
      candidates.push({ file, name: c.spec.name, model: c.spec.model, hash: c.hash });
    }
    return candidates;
  }

  /** Starts a run of a shipped candidate in this process; an unknown suite is a 400 now, not a failed run later. */
  async start(body: StartRunBody): Promise<Progress> {
    await loadSuite(this.db, body.suite);
    return this.manager.start({ suite: body.suite, candidate: join(CANDIDATES_DIR, body.candidate), repeat: body.repeat });
  }

  /** A run started in this process; undefined for any other. */
  progress(runId: string): Progress | undefined {
    return this.manager.progress(runId);
  }

  /** Calls `listener` on every change until the run ends; returns the unsubscribe function. */
  subscribe(runId: string, listener: (p: Progress) => void): () => void {
    return this.manager.subscribe(runId, listener);
  }

  async list(options: { suite?: string; limit: number }): Promise<RunRow[]> {
    return (await this.runs.list(options)).map(withRunFlags);
  }

  /**
   * Per candidate its latest complete run on the suite's latest version, best composite first; newer
   * incomplete runs apart. `kind: 'conversation'`: conversation runs on a scenario set's latest
   * version (composite = goal_success, fcr, tone).
   */
  async leaderboard(suiteName: string, kind: RunKind = 'reply'): Promise<Leaderboard> {
    const suite = kind === 'conversation' ? await this.setAsSuite(suiteName) : await loadSuite(this.db, suiteName);
    const complete = new Map<string, RunRow>();
    const newerIncomplete = new Map<string, RunRow>();
    for (const run of (await this.runs.finishedOnSuite(suite.hash)).map(withRunFlags)) {
      if (complete.has(run.candidate_hash)) continue;
      if (!run.incomplete) complete.set(run.candidate_hash, run);
      else if (!newerIncomplete.has(run.candidate_hash)) newerIncomplete.set(run.candidate_hash, run);
    }
    const composite = (r: RunRow) => r.summary?.metrics.composite?.mean ?? 0;
    const production: Record<string, string | null> = {};
    for (const channel of CHANNELS) production[channel] = (await getConfig(this.db, channel))?.version ?? null;
    return {
      suite: { name: suite.name, version: suite.version, cases: suite.cases.length },
      entries: [...complete.values()].sort((a, b) => composite(b) - composite(a)),
      incomplete: [...newerIncomplete.values()],
      production,
    };
  }

  async detail(runId: string): Promise<RunDetail> {
    const run = await this.runs.get(runId);
    if (!run) throw new AppError('not_found', `no run ${runId}`);
    return { run: withRunFlags(run), results: await this.runs.results(run.id), cases: await this.casesOf(run) };
  }

  /** A conversation run's conversations, one row each (404 for an unknown run; a reply run has none). */
  async conversations(runId: string): Promise<ConversationsResponse> {
    const run = await this.runs.get(runId);
    if (!run) throw new AppError('not_found', `no run ${runId}`);
    return { run: withRunFlags(run), conversations: run.kind === 'conversation' ? await new ConversationResultRepository(this.db).rows(runId) : [] };
  }

  /** One conversation in full: transcript, tool calls, end state and diff, expectation, judgement. */
  async conversation(runId: string, scenarioId: string, trial: number): Promise<ConversationDetail> {
    const found = await new ConversationResultRepository(this.db).get(runId, scenarioId, trial);
    if (!found) throw new AppError('not_found', `no conversation ${scenarioId} #${trial} in run ${runId}`);
    return found;
  }

  /** A scenario set seen as a suite (name, version, hash, one case per scenario), for the leaderboard. */
  private async setAsSuite(name: string): Promise<{ name: string; version: number; hash: string; cases: unknown[] }> {
    const set = await loadScenarioSet(this.db, name);
    return { name: set.name, version: set.version, hash: set.hash, cases: set.scenarios };
  }

  /** The cases of a run: a suite's, or one per scenario of a conversation run's set (the first customer message, the goal as reference). */
  private async casesOf(run: EvalRun): Promise<CaseRow[]> {
    if (run.kind === 'conversation') {
      const set = await loadScenarioSet(this.db, run.suite_name, run.suite_version);
      return set.scenarios.map((s) => ({ case_id: s.id, dialogue_id: s.source_dialogue_id ?? `scenario:${s.id}`, language: s.language, intent: s.goal.intent, customer_message: s.script[0]!, reference_answer: s.goal.description }));
    }
    const suite = await loadSuite(this.db, run.suite_name, run.suite_version);
    return suite.cases.map(({ case_id, dialogue_id, language, intent, customer_message, reference_answer }) => ({ case_id, dialogue_id, language, intent, customer_message, reference_answer }));
  }

  /** Two runs on the same suite, case by case, with the composite delta (b - a). */
  async compare(aId: string, bId: string): Promise<Comparison> {
    const [a, b] = await Promise.all([this.runs.get(aId), this.runs.get(bId)]);
    if (!a || !b) throw new AppError('not_found', `no run ${!a ? aId : bId}`);
    if (a.suite_hash !== b.suite_hash) throw new AppError('validation', 'the two runs were made on different suites');
    const cases = await this.casesOf(a);
    const [ra, rb] = await Promise.all([this.runs.results(a.id), this.runs.results(b.id)]);
    const composite = SCORERS.withTrait('composite');
    const [ca, cb] = [compositeByCase(ra, composite), compositeByCase(rb, composite)];
    const first = (rows: typeof ra, id: string) => rows.find((r) => r.case_id === id) ?? null;
    return {
      a: withRunFlags(a),
      b: withRunFlags(b),
      cases: cases.map((c) => ({
        case_id: c.case_id,
        customer_message: c.customer_message,
        a: first(ra, c.case_id),
        b: first(rb, c.case_id),
        delta: ca.has(c.case_id) && cb.has(c.case_id) ? Math.round((cb.get(c.case_id)! - ca.get(c.case_id)!) * 10_000) / 10_000 : null,
      })),
    };
  }
}
