// Eval runs and their per-case results (eval_runs, eval_results): a run is created `running`, its
// results are written in bulk as they come, and it ends with a status and its summary.
import type { CandidateSpec, PromptTemplate } from '../domain/eval.ts';
import type { CaseResult, EvalRun, RunSummary } from '../domain/runs-api.ts';
import type { Database } from './database.ts';
import { ConversationResultRepository } from './conversation-result-repository.ts';
import { toCaseResult, toEvalRun } from './eval-run-converters.ts';

export interface NewEvalRun {
  id: string;
  suite: { name: string; version: number; hash: string };
  candidate: { spec: CandidateSpec; template: PromptTemplate; hash: string };
  judge: string | null;
  repeat: number;
  scorers: readonly { name: string; method: string; threshold: number }[];
  /** A conversation run (suite = the scenario set): how its conversations are made. */
  conversation?: ConversationRunSettings;
}

/** How a conversation run's conversations are made; a resumed run keeps them. */
export interface ConversationRunSettings {
  simulator: string;
  trials: number;
  max_turns: number | null;
  seed: number;
}

/** A result as the runner stores it. */
export type StoredResult = CaseResult & { attempts: number; cached: boolean };

const RESULT_SHAPE =
  '[{"run_id":"VARCHAR","case_id":"VARCHAR","trial":"INTEGER","output":"VARCHAR","handoff_queue":"VARCHAR","error":"VARCHAR","attempts":"INTEGER","latency_ms":"DOUBLE","input_tokens":"INTEGER","output_tokens":"INTEGER","cached":"BOOLEAN","scores":"JSON"}]';

const RUN_COLUMNS = `id, kind, suite_name, suite_version, suite_hash, candidate_name, candidate_hash, model, status,
  strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') AS started_at, summary, coalesce(source, 'firstcall') AS source`;

export class EvalRunRepository {
  constructor(private readonly db: Database) {}

  async create(run: NewEvalRun): Promise<void> {
    await this.db.run(
      `INSERT INTO eval_runs (id, suite_name, suite_version, suite_hash, candidate_name, candidate_hash, candidate, model, judge, repeat, scorers, status, started_at, kind, conversation)
       VALUES ($id, $suite, $version, $suite_hash, $name, $hash, $candidate, $model, $judge, $repeat, $scorers, 'running', now(), $kind, $conversation)`,
      {
        id: run.id,
        suite: run.suite.name,
        version: run.suite.version,
        suite_hash: run.suite.hash,
        name: run.candidate.spec.name,
        hash: run.candidate.hash,
        candidate: JSON.stringify({ spec: run.candidate.spec, template: run.candidate.template }),
        model: run.candidate.spec.model,
        judge: run.judge,
        repeat: run.repeat,
        scorers: JSON.stringify(run.scorers.map((s) => ({ name: s.name, method: s.method, threshold: s.threshold }))),
        kind: run.conversation ? 'conversation' : 'reply',
        conversation: run.conversation ? JSON.stringify(run.conversation) : null,
      },
    );
  }

  async get(id: string): Promise<EvalRun | undefined> {
    const [row] = await this.db.all<Record<string, unknown>>(`SELECT ${RUN_COLUMNS} FROM eval_runs WHERE id = $id`, { id });
    return row ? toEvalRun(row) : undefined;
  }

  /** How a run was made: the repeat count, the scorers' names in order, and the candidate's `provider:model`. */
  async setup(id: string): Promise<{ repeat: number; scorers: string[]; model: string } | undefined> {
    const [row] = await this.db.all<{ scorers: string; repeat: number; model: string }>(
      "SELECT scorers, repeat, json_extract_string(candidate, '$.spec.model') AS model FROM eval_runs WHERE id = $id",
      { id },
    );
    return row ? { repeat: Number(row.repeat), scorers: (JSON.parse(row.scorers) as { name: string }[]).map((s) => s.name), model: row.model } : undefined;
  }

  /** A conversation run's settings (simulator, trials, max turns, seed); undefined for a reply run. */
  async conversationSettings(id: string): Promise<ConversationRunSettings | undefined> {
    const [row] = await this.db.all<{ conversation: string | null }>('SELECT conversation FROM eval_runs WHERE id = $id', { id });
    return row?.conversation ? (JSON.parse(row.conversation) as ConversationRunSettings) : undefined;
  }

  /** The candidate (spec and template) as it was run. */
  async candidate(id: string): Promise<{ spec: { name: string; model: string; params: unknown }; template: unknown } | undefined> {
    const [row] = await this.db.all<{ candidate: string }>('SELECT candidate FROM eval_runs WHERE id = $id', { id });
    return row ? (JSON.parse(row.candidate) as { spec: { name: string; model: string; params: unknown }; template: unknown }) : undefined;
  }

  /** Newest first, optionally on one suite (or scenario set) and of one kind. */
  async list(options: { suite?: string; limit: number; kind?: 'reply' | 'conversation' }): Promise<EvalRun[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT ${RUN_COLUMNS} FROM eval_runs WHERE ($suite IS NULL OR suite_name = $suite) AND ($kind IS NULL OR coalesce(kind, 'reply') = $kind)
       ORDER BY eval_runs.started_at DESC LIMIT $limit`,
      { suite: options.suite ?? null, limit: options.limit, kind: options.kind ?? null },
    );
    return rows.map(toEvalRun);
  }

  /** Finished runs (done or incomplete) on one suite version, newest first. */
  async finishedOnSuite(suiteHash: string): Promise<EvalRun[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT ${RUN_COLUMNS} FROM eval_runs WHERE suite_hash = $hash AND status IN ('done', 'incomplete') ORDER BY eval_runs.started_at DESC, id DESC`,
      { hash: suiteHash },
    );
    return rows.map(toEvalRun);
  }

  /** The latest done run on a suite of the candidate a config version was made from. */
  async latestDoneOfConfig(versionId: string, suiteHash: string): Promise<string | null> {
    const [row] = await this.db.all<{ id: string }>(
      `SELECT r.id FROM eval_runs r JOIN config_versions v ON v.candidate_hash = r.candidate_hash
       WHERE v.id = $version AND r.suite_hash = $suite AND r.status = 'done' ORDER BY r.started_at DESC LIMIT 1`,
      { version: versionId, suite: suiteHash },
    );
    return row?.id ?? null;
  }

  /** The latest done run on a suite of a config now in production (any channel). */
  async latestDoneInProduction(suiteHash: string): Promise<string | null> {
    const [row] = await this.db.all<{ id: string }>(
      `SELECT r.id FROM eval_runs r JOIN config_versions v ON v.candidate_hash = r.candidate_hash
       JOIN config_pointers p ON p.version_id = v.id AND p.label = 'production'
       WHERE r.suite_hash = $hash AND r.status = 'done' ORDER BY r.started_at DESC LIMIT 1`,
      { hash: suiteHash },
    );
    return row?.id ?? null;
  }

  /** Sets a run back to running to finish it: its failed results are dropped (they run again); returns the results it keeps. */
  async reopen(id: string): Promise<{ case_id: string; trial: number }[]> {
    await this.db.run('DELETE FROM eval_results WHERE run_id = $id AND error IS NOT NULL', { id });
    const rows = await this.db.all<{ case_id: string; trial: number }>('SELECT case_id, trial FROM eval_results WHERE run_id = $id', { id });
    await this.db.run("UPDATE eval_runs SET status = 'running', finished_at = NULL WHERE id = $id", { id });
    return rows;
  }

  async finish(id: string, status: string, summary: RunSummary): Promise<void> {
    await this.db.run('UPDATE eval_runs SET status = $status, finished_at = now(), summary = $summary WHERE id = $id', { id, status, summary: JSON.stringify(summary) });
  }

  /** Writes results in one statement (a result already stored for the same case and trial is replaced). */
  async saveResults(runId: string, results: readonly StoredResult[]): Promise<void> {
    await this.writeResults('INSERT OR REPLACE', runId, results);
  }

  /**
   * Writes results the run has not stored yet (the runner's: a new run's, or the cases a resumed run
   * reopened), in one statement; a case and trial already stored is an error. About half the time of
   * saveResults, which looks up every row first (bench:eval, 250 rows: 10–20 ms against 20–45 ms).
   */
  async addResults(runId: string, results: readonly StoredResult[]): Promise<void> {
    await this.writeResults('INSERT', runId, results);
  }

  private async writeResults(insert: 'INSERT' | 'INSERT OR REPLACE', runId: string, results: readonly StoredResult[]): Promise<void> {
    await this.db.run(
      `${insert} INTO eval_results
       SELECT r.run_id, r.case_id, r.trial, r.output, r.handoff_queue, r.error, r.attempts, r.latency_ms,
              r.input_tokens, r.output_tokens, r.cached, r.scores, now()
       FROM (SELECT unnest(from_json($rows, '${RESULT_SHAPE}')) AS r)`,
      { rows: JSON.stringify(results.map((r) => ({ ...r, run_id: runId }))) },
    );
  }

  /** A run's results by case and trial (a conversation run's conversations as per-scenario results: goal_success, fcr, tone, escalation). */
  async results(runId: string): Promise<CaseResult[]> {
    const [run] = await this.db.all<{ kind: string | null }>('SELECT kind FROM eval_runs WHERE id = $id', { id: runId });
    if (run?.kind === 'conversation') return new ConversationResultRepository(this.db).caseResults(runId);
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT case_id, trial, output, handoff_queue, error, latency_ms, input_tokens, output_tokens, scores FROM eval_results WHERE run_id = $id ORDER BY case_id, trial`,
      { id: runId },
    );
    return rows.map(toCaseResult);
  }

  /** Marks a run as imported from another tool (`source`: `promptfoo`), with where it came from. */
  async setSource(id: string, source: string, detail: Record<string, unknown>): Promise<void> {
    await this.db.run('UPDATE eval_runs SET source = $source, source_detail = $detail WHERE id = $id', { id, source, detail: JSON.stringify(detail) });
  }

  /** Where a run came from: `firstcall` (its own runner) or the tool it was imported from, with the import's details. */
  async source(id: string): Promise<{ source: string; detail: Record<string, unknown> | null } | undefined> {
    const [row] = await this.db.all<{ source: string | null; source_detail: string | null }>('SELECT source, source_detail FROM eval_runs WHERE id = $id', { id });
    if (!row) return undefined;
    return { source: row.source ?? 'firstcall', detail: row.source_detail ? (JSON.parse(row.source_detail) as Record<string, unknown>) : null };
  }
}
