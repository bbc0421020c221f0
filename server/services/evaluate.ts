// `firstcall eval` as a use case: load the suite and candidates, resolve providers (with the
// response cache and the offline knowledge base), run each candidate, and build the gated report.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { AppError, usageError } from '../domain/errors.ts';
import type { Candidate, Provider, ScorerName, Suite } from '../domain/eval.ts';
import { buildKnowledgeBase, createLocalKbProvider } from '../providers/local-kb.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import { createResponseCache, throughCache, type ResponseCacheMode } from '../providers/response-cache.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import type { ErrorBudget } from '../eval/error-budget.ts';
import { buildReport, gateMetrics, measuredMetrics, type CandidateReport, type EvalReport, type GateOptions } from '../eval/report.ts';
import { runEval } from '../eval/run-eval.ts';
import { createQueuedProvider } from '../scale/queued-provider.ts';
import { WorkDispatcher } from '../scale/work-dispatcher.ts';
import { collectTrustSamples, scorersTrust, type ScorerTrust } from '../eval/scorer-trust.ts';
import { createScoringPool } from '../eval/scoring-pool.ts';
import { SCORERS, type ScorerRegistry } from '../scorers/registry.ts';
import { LANGUAGES } from '../domain/dialogue.ts';
import type { Database } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { knowledgeBaseEntries } from './knowledge-base.ts';
import { getGateSettings } from './settings.ts';
import { resolveScorerModels, type ScorerModelSelector } from './scorer-models.ts';
import { loadSuite } from './suites.ts';

/** The repository's root: shipped candidates, prompts and suites are found relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface EvaluateOptions {
  suite: string;
  suiteVersion?: number;
  candidates: readonly string[];
  /** Relative candidate and prompt paths resolve against this (default: the working directory, then the repository). */
  root?: string;
  /** Names in the scorer registry (default: its `default` scorers); an unknown name is a usage error listing the known ones. */
  scorers?: readonly ScorerName[];
  /** The scorer registry (default the built-in one; tests pass their own). */
  registry?: ScorerRegistry;
  /** `provider:model` of an LLM judge for the judgeable scorers. */
  judge?: string;
  cache?: ResponseCacheMode;
  cacheDir?: string;
  provider?: Omit<ProviderOptions, 'localKb' | 'env'>;
  concurrency?: number;
  timeoutMs?: number;
  retries?: number;
  repeat?: number;
  resume?: string;
  /** Id for the new run (one candidate only). */
  runId?: string;
  /** `production` or a run id. */
  baseline?: string;
  failUnder?: Record<string, number>;
  maxRegression?: number;
  /** Failed cases a run may have and still be complete (default none). */
  maxErrors?: ErrorBudget;
  onProgress?: (candidate: string, done: number, total: number) => void;
  retryBaseDelayMs?: number;
  /** Gate on every scorer, even one that does not agree well enough with this store's labels (default: the gate_untrusted setting). */
  gateUntrusted?: boolean;
  /** Gold-labeled examples the judge sees in the case's language (default 3; 0 for none). */
  judgeExamples?: number;
  /**
   * Which learned models the learned scorers (csat) use: `latest` (default: the newest fitted on this
   * store per language, else the built-in), `builtin`, or a stored model's id (an unknown id is a usage error).
   */
  scorerModel?: ScorerModelSelector;
  /**
   * A Redis URL: the candidates' calls run on `firstcall worker` processes (server/scale) instead of
   * here; scoring and storing stay in this process. local:kb (it needs the store) still runs here.
   */
  redis?: string;
}

export interface EvaluateResult {
  report: EvalReport;
  results: Map<string, CaseResult[]>;
  cache: { hits: number; misses: number; writes: number } | null;
}

/** The scorers a run uses when none are named: the registry's `default` ones. */
export const DEFAULT_SCORERS: readonly ScorerName[] = SCORERS.withTrait('default');

export async function evaluate(db: Database, options: EvaluateOptions): Promise<EvaluateResult> {
  if (options.candidates.length === 0) throw usageError('give at least one --candidate FILE');
  if (options.resume && options.candidates.length > 1) throw usageError('--resume finishes one run: give the one candidate it was started with');
  const registry: ScorerRegistry = options.registry ?? SCORERS;
  const scorerNames = options.scorers ?? registry.withTrait('default');
  registry.assertNames(scorerNames);
  // A threshold on a metric the run will not measure is a typo: say so before any call is made.
  const measured = measuredMetrics(scorerNames, registry);
  for (const metric of Object.keys(options.failUnder ?? {})) {
    if (!measured.includes(metric)) throw usageError(`--fail-under: ${metric} is not ${gateMetrics(registry).includes(metric) ? 'measured by these scorers' : 'a metric'}; measured: ${measured.join(', ')}`);
  }
  const learned = await learnedScorerConfig(db, scorerNames, options.scorerModel);
  const suite = await loadSuite(db, options.suite, options.suiteVersion);
  const candidates = await Promise.all(options.candidates.map((path) => loadCandidateFrom(path, options.root)));

  const cache = options.cache && options.cache !== 'off' ? createResponseCache({ mode: options.cache, dir: options.cacheDir }) : undefined;
  const needsKb = candidates.some((c) => c.spec.model === 'local:kb');
  const localKb = needsKb ? createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(await knowledgeBaseEntries(db)) }) : undefined;
  const providerOptions: ProviderOptions = { ...options.provider, localKb };
  const cached = (provider: Provider) => throughCache(provider, cache);
  const judge = options.judge ? cached(resolveProvider(options.judge, providerOptions)) : undefined;
  // The judge sees gold-labeled cases of the suite in the judged case's language as worked examples.
  const scorers = registry.create(scorerNames, { judge, config: learned?.config, judgeOptions: { examples: suite.cases, max_examples: options.judgeExamples ?? 3 } });

  const baseline = options.baseline ? await resolveBaseline(db, options.baseline, suite) : undefined;
  const reports: CandidateReport[] = [];
  const results = new Map<string, CaseResult[]>();
  // Offline scoring runs in a worker thread on bigger suites (a judge makes calls: main thread); the
  // worker builds its scorers from the built-in registry, so another registry scores on this thread.
  const scoringPool = !judge && registry === SCORERS && suite.cases.length >= 200 ? createScoringPool(scorers.map((s) => s.name), 1, learned?.workerConfig) : undefined;
  const queue = options.redis ? new WorkDispatcher(options.redis) : undefined;
  try {
    for (const candidate of candidates) {
      // Queued calls are named by run, case and trial, so the run id is known before the run starts.
      const runId = options.resume ?? (options.candidates.length === 1 ? options.runId : undefined) ?? (queue ? newRunId() : undefined);
      const remote = queue && candidate.spec.model !== 'local:kb';
      const provider = cached(remote ? createQueuedProvider(queue, { model: candidate.spec.model, settings: options.provider, runId: runId! }) : resolveProvider(candidate.spec.model, providerOptions));
      const outcome = await runEval(db, {
        suite,
        candidate,
        provider,
        scorers,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        repeat: options.repeat,
        resume: options.resume,
        runId,
        judge: options.judge,
        retryBaseDelayMs: options.retryBaseDelayMs,
        scoringPool,
        maxErrors: options.maxErrors,
        registry,
        onProgress: (done, total) => options.onProgress?.(candidate.spec.name, done, total),
      });
      const rows = await new EvalRunRepository(db).results(outcome.run_id);
      results.set(outcome.run_id, rows);
      reports.push({ name: candidate.spec.name, hash: candidate.hash, model: candidate.spec.model, run_id: outcome.run_id, summary: outcome.summary, completeness: outcome.completeness, results: rows });
    }
  } finally {
    await Promise.all([scoringPool?.close(), queue?.close()]);
  }
  // Which scorers may gate: their agreement with this store's labels on the suite (no model calls).
  const settings = await getGateSettings(db);
  const samples = await collectTrustSamples(suite.cases, scorers, [...results.values()].flat(), registry);
  const trust = scorersTrust(
    scorers.map((s) => s.name),
    samples,
    { ...settings, gate_untrusted: options.gateUntrusted ?? settings.gate_untrusted },
    registry,
  );
  const gate: GateOptions = { failUnder: options.failUnder, maxRegression: options.maxRegression, baseline, trust };
  const stats = cache?.stats();
  return { report: buildReport(suite, reports, gate), results, cache: stats ? { hits: stats.hits, misses: stats.misses, writes: stats.writes } : null };
}

/**
 * Options for the learned scorers when they use store-fitted models: the csat model per language,
 * loaded for this thread and as JSON files for the scoring workers. Undefined when every model is a
 * built-in one (the scorer loads those from their files itself, in any thread). The selector is
 * checked whenever one other than `latest` is given, so a mistyped id fails before any call.
 */
async function learnedScorerConfig(db: Database, scorerNames: readonly string[], selector: ScorerModelSelector | undefined): Promise<{ config: Record<string, unknown>; workerConfig: Record<string, unknown> } | undefined> {
  const usesCsat = scorerNames.includes('csat');
  if (!usesCsat && (selector === undefined || selector === 'latest')) return undefined;
  const resolved = await resolveScorerModels(db, selector ?? 'latest');
  if (!usesCsat) return undefined;
  const sources: Record<string, string> = {};
  const models: Record<string, unknown> = {};
  const files: Record<string, unknown> = {};
  for (const language of LANGUAGES) {
    const model = resolved.models[language]?.csat;
    const source = resolved.sources[language]?.csat;
    if (!model || !source) continue;
    sources[language] = source;
    models[language] = model;
    files[language] = model.file;
  }
  if (Object.values(sources).every((s) => s === 'builtin')) return undefined;
  return { config: { csat: { models, sources } }, workerConfig: { csat: { models: files, sources } } };
}

const newRunId = () => `run-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;

async function loadCandidateFrom(path: string, root?: string): Promise<Candidate> {
  const base = root ?? process.cwd();
  try {
    return await loadCandidate(path, { root: base });
  } catch (error) {
    // A path relative to the repository (evals/candidates/…) also works from another directory.
    if (!root && base !== REPO_ROOT && AppError.isInstance(error) && /no such|not found|cannot read|ENOENT/i.test(error.message)) {
      return loadCandidate(path, { root: REPO_ROOT });
    }
    throw error;
  }
}

async function resolveBaseline(db: Database, baseline: string, suite: Suite): Promise<GateOptions['baseline']> {
  const runId = baseline === 'production' ? await productionRunFor(db, suite) : baseline;
  const run = await new EvalRunRepository(db).get(runId);
  if (!run || !run.summary) throw usageError(`no finished run ${runId} to compare with`);
  if (run.suite_hash !== suite.hash) {
    throw usageError(`baseline run ${runId} was made on ${run.suite_name} v${run.suite_version}, not on ${suite.name} v${suite.version}: compare runs on the same suite`);
  }
  return { label: baseline === 'production' ? `production (${run.candidate_name})` : runId, run_id: runId, summary: run.summary };
}

/** The latest run on this suite of the config now in production (any channel). */
async function productionRunFor(db: Database, suite: Suite): Promise<string> {
  const id = await new EvalRunRepository(db).latestDoneInProduction(suite.hash);
  if (!id) throw usageError(`the production config has no finished run on ${suite.name} v${suite.version}: evaluate it first, or use --baseline RUN`);
  return id;
}

/**
 * Which scorers may gate a promotion of runs on a suite: the offline scorers' agreement with the
 * suite's gold labels (and a judge's, on replayed cases), under this store's gate settings.
 */
export async function trustForSuite(db: Database, suiteName: string, suiteVersion: number, scorerNames: readonly string[], results: readonly CaseResult[]): Promise<Record<string, ScorerTrust>> {
  const suite = await loadSuite(db, suiteName, suiteVersion);
  const names = scorerNames.filter((n) => SCORERS.get(n) !== undefined);
  const samples = await collectTrustSamples(suite.cases, SCORERS.create(names), results);
  return scorersTrust(names, samples, await getGateSettings(db));
}
