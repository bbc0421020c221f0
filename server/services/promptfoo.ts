// promptfoo interop as use cases: export a suite and candidates as a folder promptfoo runs with
// firstcall's providers and scorers, and import promptfoo's results as runs beside firstcall's own
// (one per provider, marked as imported), so they rank on the leaderboard and compare case by case.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { AppError, formatIssues, usageError } from '../domain/errors.ts';
import type { Candidate, RunStatus } from '../domain/eval.ts';
import { checkCompleteness } from '../eval/error-budget.ts';
import { summarizeStoredRun } from '../eval/run-eval.ts';
import { CONFIG_FILE, KNOWLEDGE_BASE_FILE, promptfooCommand, promptfooExportFiles, refersTo } from '../interop/promptfoo-export.ts';
import { exportMetadataOf, firstcallProviders, providerKey, PromptfooResultsFile, resultsOf, type PromptfooResultRow } from '../interop/promptfoo-results.ts';
import { PROVIDER_IDS } from '../providers/registry.ts';
import { SCORERS } from '../scorers/registry.ts';
import type { Database } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { DEFAULT_SCORERS, REPO_ROOT } from './evaluate.ts';
import { knowledgeBaseEntries } from './knowledge-base.ts';
import { loadSuite } from './suites.ts';

/** promptfoo as installed beside firstcall (scripts/setup-promptfoo.mjs). */
export const PROMPTFOO_BIN = join(REPO_ROOT, 'tools', 'promptfoo', 'node_modules', '.bin', 'promptfoo');

export interface ExportPromptfooOptions {
  suite: string;
  suiteVersion?: number;
  /** Candidate files; relative ones resolve against the working directory, then the repository. */
  candidates: readonly string[];
  /** Scorer names (default: the registry's default scorers). */
  scorers?: readonly string[];
  /** The folder to write (created when missing; the files it writes are replaced). */
  out: string;
}

export interface ExportPromptfooResult {
  dir: string;
  config: string;
  files: string[];
  suite: { name: string; version: number; cases: number };
  candidates: Array<{ name: string; model: string }>;
  scorers: string[];
  /** The line that runs it. */
  command: string;
}

export async function exportPromptfoo(db: Database, options: ExportPromptfooOptions): Promise<ExportPromptfooResult> {
  if (options.candidates.length === 0) throw usageError('give at least one --candidate FILE');
  const scorerNames = options.scorers ?? DEFAULT_SCORERS;
  SCORERS.assertNames(scorerNames);
  const candidates = await Promise.all(options.candidates.map((path) => loadCandidateFrom(path)));
  const names = candidates.map((c) => c.spec.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw usageError(`two candidates are named ${twice[0]}: promptfoo tells providers apart by label, so give them different names`);
  for (const c of candidates) {
    const prefix = c.spec.model.slice(0, c.spec.model.indexOf(':'));
    if (!(PROVIDER_IDS as readonly string[]).includes(prefix)) throw usageError(`${c.spec.name}: unknown provider "${prefix}" in ${c.spec.model}; available: ${PROVIDER_IDS.join(', ')}`);
  }
  const suite = await loadSuite(db, options.suite, options.suiteVersion);
  const scorers = scorerNames.map((name) => {
    const entry = SCORERS.get(name)!;
    return { name, description: entry.description, threshold: entry.create().threshold };
  });
  const dir = resolve(options.out);
  const files = promptfooExportFiles({ suite, candidates, scorers, firstcallRoot: REPO_ROOT, promptfooBin: PROMPTFOO_BIN });
  // local:kb answers from the store's knowledge base: it goes into the folder, so promptfoo needs no store.
  if (candidates.some((c) => c.spec.model === 'local:kb')) files[KNOWLEDGE_BASE_FILE] = `${JSON.stringify(await knowledgeBaseEntries(db))}\n`;
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return {
    dir,
    config: join(dir, CONFIG_FILE),
    files: Object.keys(files).sort(),
    suite: { name: suite.name, version: suite.version, cases: suite.cases.length },
    candidates: candidates.map((c) => ({ name: c.spec.name, model: c.spec.model })),
    scorers: scorerNames.slice(),
    command: promptfooCommand(PROMPTFOO_BIN, dir),
  };
}

async function loadCandidateFrom(path: string): Promise<Candidate> {
  try {
    return await loadCandidate(path, { root: process.cwd() });
  } catch (error) {
    // A path relative to the repository (evals/candidates/…) also works from another directory.
    if (AppError.isInstance(error) && /not found/.test(error.message) && process.cwd() !== REPO_ROOT) return loadCandidate(path, { root: REPO_ROOT });
    throw error;
  }
}

/** A results file read and checked; `name` is how messages name it. */
export interface PromptfooResults {
  name: string;
  file: PromptfooResultsFile;
  /** sha256 of the file: names the import when promptfoo wrote no eval id. */
  digest: string;
}

/** Reads and validates a results file; a usage error names the file and the field that is wrong. */
export function readPromptfooResults(path: string): PromptfooResults {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(code === 'ENOENT' ? `${path}: no such file` : `cannot read ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw usageError(`${name} is not JSON (${(error as Error).message}): give the file promptfoo eval -o out.json wrote`);
  }
  const parsed = PromptfooResultsFile.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    const more = issues.length > 5 ? `; … and ${issues.length - 5} more` : '';
    throw usageError(`${name} is not a promptfoo results file: ${formatIssues(issues.slice(0, 5))}${more}`);
  }
  return { name, file: parsed.data, digest: createHash('sha256').update(text).digest('hex') };
}

export interface ImportedRun {
  run_id: string;
  candidate: string;
  provider: string;
  cases: number;
  results: number;
  errors: number;
  status: RunStatus;
  /** The same results were imported before: nothing was added. */
  already: boolean;
}

export interface ImportPromptfooResult {
  suite: { name: string; version: number };
  eval_id: string | null;
  runs: ImportedRun[];
  /** Providers that are not firstcall candidates (added to the config by hand): not imported. */
  skipped_providers: string[];
  /** Rows without a case_id var (tests added by hand): not imported. */
  skipped_rows: number;
}

/** The source recorded on imported runs. */
export const PROMPTFOO_SOURCE = 'promptfoo';

/**
 * Stores one run per firstcall provider of the results, on the suite the config was exported from:
 * its cases' outputs, errors, latency and every named score; the summary is computed as for
 * firstcall's own runs. Importing the same results again adds nothing.
 */
export async function importPromptfoo(db: Database, results: PromptfooResults): Promise<ImportPromptfooResult> {
  const { file, name } = results;
  const meta = exportMetadataOf(file);
  if (!meta.success) {
    throw usageError(`${name}: config.metadata.firstcall: ${formatIssues(meta.error.issues)} — import the results of a config written by firstcall export promptfoo (its suite is recorded there)`);
  }
  const ref = meta.data.suite;
  const suite = await loadSuite(db, ref.name, ref.version);
  if (!refersTo(ref, suite)) throw usageError(`${name}: suite ${ref.name} v${ref.version} in this store is not the one exported (hash ${suite.hash.slice(0, 12)}, the results have ${ref.hash.slice(7, 19)})`);
  const caseIds = new Set(suite.cases.map((c) => c.case_id));
  const providers = firstcallProviders(file);
  const byProvider = new Map<string, PromptfooResultRow[]>();
  for (const row of file.results.results) {
    const key = providerKey(row);
    if (!byProvider.has(key)) byProvider.set(key, []);
    byProvider.get(key)!.push(row);
  }
  const runs = new EvalRunRepository(db);
  const evalId = file.evalId ?? null;
  const importId = (evalId ?? results.digest).replace(/[^A-Za-z0-9_-]+/g, '-');
  const known = new Set<string>(SCORERS.names);
  const imported: ImportedRun[] = [];
  const skippedProviders: string[] = [];
  let skippedRows = 0;
  for (const [key, rows] of byProvider) {
    const config = providers.get(key);
    if (!config) {
      skippedProviders.push(key);
      continue;
    }
    const { results: rowsAsResults, scorers, skipped } = resultsOf(rows, known);
    skippedRows += skipped;
    const foreign = rowsAsResults.find((r) => !caseIds.has(r.case_id));
    if (foreign) throw usageError(`${name}: case ${foreign.case_id} (provider ${key}) is not in suite ${suite.name} v${suite.version}`);
    const candidate = config.candidate;
    const runId = `promptfoo-${importId}-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    const repeat = Math.max(1, ...countPerCase(rowsAsResults));
    const existing = await runs.get(runId);
    // A run left `running` is an import that was interrupted: it is finished now (results are replaced, not doubled).
    if (existing && existing.status !== 'running') {
      imported.push({ run_id: runId, candidate: existing.candidate_name, provider: key, cases: existing.summary?.cases ?? 0, results: existing.summary?.trials ?? 0, errors: existing.summary?.errors ?? 0, status: existing.status as RunStatus, already: true });
      continue;
    }
    if (!existing) {
      await runs.create({
        id: runId,
        suite: { name: suite.name, version: suite.version, hash: suite.hash },
        // Its own hash: the imported run ranks beside the candidate's firstcall runs instead of replacing them.
        candidate: { spec: { ...candidate.spec, name: `${key} (promptfoo)` }, template: candidate.template, hash: createHash('sha256').update(`promptfoo|${candidate.hash}`).digest('hex').slice(0, 16) },
        judge: null,
        repeat,
        scorers: orderScorers(scorers).map((s) => ({ name: s.name, method: PROMPTFOO_SOURCE, threshold: s.threshold })),
      });
    }
    await runs.saveResults(runId, rowsAsResults);
    const summary = await summarizeStoredRun(db, runId, suite);
    const expected = suite.cases.length * repeat;
    const missing = Math.max(0, expected - summary.trials);
    summary.completeness = checkCompleteness({ errors: summary.errors + missing, total: expected, first_error: summary.first_error ?? (missing > 0 ? `${missing} results are missing` : null), unit: repeat > 1 ? 'trials' : 'cases' });
    const status: RunStatus = summary.completeness.complete ? 'done' : 'incomplete';
    await runs.finish(runId, status, summary);
    await runs.setSource(runId, PROMPTFOO_SOURCE, {
      promptfoo_version: file.metadata?.promptfooVersion ?? null,
      eval_id: evalId,
      timestamp: file.results.timestamp ?? null,
      file: name,
      provider: key,
      candidate: candidate.spec.name,
      candidate_hash: candidate.hash,
    });
    imported.push({ run_id: runId, candidate: `${key} (promptfoo)`, provider: key, cases: summary.cases, results: summary.trials, errors: summary.errors, status, already: false });
  }
  if (imported.length === 0) {
    throw usageError(`${name}: no firstcall provider in these results${skippedProviders.length > 0 ? ` (only ${skippedProviders.join(', ')})` : ''}: firstcall imports the providers firstcall export promptfoo wrote`);
  }
  return { suite: { name: suite.name, version: suite.version }, eval_id: evalId, runs: imported, skipped_providers: skippedProviders, skipped_rows: skippedRows };
}

/** Known scorers in the registry's order, then other metrics in the order they came. */
function orderScorers<T extends { name: string }>(scorers: readonly T[]): T[] {
  const rank = (name: string) => {
    const i = SCORERS.names.indexOf(name);
    return i < 0 ? SCORERS.names.length : i;
  };
  return [...scorers].sort((a, b) => rank(a.name) - rank(b.name));
}

function countPerCase(results: readonly { case_id: string }[]): number[] {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.case_id, (counts.get(r.case_id) ?? 0) + 1);
  return [...counts.values()];
}
