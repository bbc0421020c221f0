// `firstcall simulate` as a use case: every scenario of a frozen set × trials per candidate, as
// simulated conversations judged by the engine (server/simulate/run-conversation.ts), concurrently and
// resumably: each conversation is stored as it ends, beside reply runs (eval_runs kind
// 'conversation'), and --resume runs only the missing or failed ones. A run's summary carries the
// per-scenario metrics (goal_success, fcr, tone, escalation) the leaderboard, compare and the
// promotion gate read, and the conversation block (goal success, FCR, pass^k, turns with intervals).
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { AppError, usageError } from '../domain/errors.ts';
import type { Candidate } from '../domain/eval.ts';
import { conversationCaseResult, type Completeness, type ConversationRow, type ConversationSummary, type RunSummary } from '../domain/runs-api.ts';
import { checkCompleteness, NO_ERRORS, type ErrorBudget } from '../eval/error-budget.ts';
import { CONVERSATION_COMPOSITE_SCORERS, summarizeRun } from '../metrics/run-summary.ts';
import { buildKnowledgeBase, createLocalKbProvider } from '../providers/local-kb.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import { createResponseCache, type ResponseCacheCounts, type ResponseCacheMode } from '../providers/response-cache.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import type { ScenarioSet } from '../scenarios/scenario-set.ts';
import { buildConversationReport, type ConversationGate, type ConversationReport } from '../simulate/conversation-report.ts';
import { cachedProviderFor, createCustomerSimulator } from '../simulate/conversation-parties.ts';
import { serveResponseCache } from '../scale/cache-channel.ts';
import { caseForTurn, candidateForConversation, defaultProviderFor, runConversation, type ConversationResult, type ProviderFor } from '../simulate/run-conversation.ts';
import type { CustomerSimulator } from '../simulate/simulator.ts';
import { summarizeConversations } from '../simulate/summarize-conversations.ts';
import { queuedConversations, type ConversationExecutor } from '../scale/queued-conversations.ts';
import { WorkDispatcher } from '../scale/work-dispatcher.ts';
import { ConversationResultRepository, type StoredConversation } from '../storage/conversation-result-repository.ts';
import type { Database } from '../storage/database.ts';
import { EvalRunRepository, type ConversationRunSettings } from '../storage/eval-run-repository.ts';
import { REPO_ROOT } from './evaluate.ts';
import { knowledgeBaseEntries } from './knowledge-base.ts';
import { loadScenarioSet } from './scenarios.ts';

/** The per-scenario scores a conversation run stores (conversationCaseResult). */
export const CONVERSATION_SCORERS = [
  { name: 'goal_success', method: 'final back-office state (and must_say) against the scenario', threshold: 1 },
  { name: 'fcr', method: 'goal met, no needless hand-off, no repeated asks', threshold: 1 },
  { name: 'tone', method: 'tone scorer, mean over the agent turns', threshold: 0.6 },
  { name: 'escalation', method: 'handed off exactly when the scenario needs it', threshold: 1 },
] as const;

export interface SimulateOptions {
  scenarios: string;
  scenariosVersion?: number;
  candidates: readonly string[];
  /** Relative candidate paths resolve against this (default: the working directory, then the repository). */
  root?: string;
  /** `offline` (default) or `provider:model` for the LLM customer. */
  simulator?: string;
  trials?: number;
  /** Overrides every scenario's max_turns. */
  maxTurns?: number;
  concurrency?: number;
  seed?: number;
  /** Finish this conversation run (one candidate). */
  resume?: string;
  runId?: string;
  cache?: ResponseCacheMode;
  cacheDir?: string;
  provider?: Omit<ProviderOptions, 'localKb' | 'env'>;
  /** `production` or a conversation run id on the same set. */
  baseline?: string;
  failUnder?: ConversationGate['failUnder'];
  maxRegression?: number;
  maxErrors?: ErrorBudget;
  onProgress?: (candidate: string, done: number, total: number) => void;
  /** Tests inject a provider per candidate (e.g. a bot that transfers everyone). */
  providerFor?: ProviderFor;
  /** A Redis URL: conversations run on `firstcall worker` processes (server/scale); this process stores them. */
  redis?: string;
}

export interface SimulateResult {
  report: ConversationReport;
  /** Per run id, one row per conversation (for JUnit). */
  conversations: Map<string, ConversationRow[]>;
  cache: { hits: number; misses: number; writes: number } | null;
}

export async function simulate(db: Database, options: SimulateOptions): Promise<SimulateResult> {
  if (options.candidates.length === 0) throw usageError('give at least one --candidate FILE');
  if (options.resume && options.candidates.length > 1) throw usageError('--resume finishes one run: give the one candidate it was started with');
  const runs = new EvalRunRepository(db);
  let resumed: ConversationRunSettings | undefined;
  let setVersion = options.scenariosVersion;
  if (options.resume) {
    const run = await runs.get(options.resume);
    if (!run) throw usageError(`no run ${options.resume} to resume`);
    if (run.kind !== 'conversation') throw usageError(`run ${options.resume} is a reply run: finish it with firstcall eval --resume`);
    resumed = await runs.conversationSettings(run.id);
    if (run.suite_name !== options.scenarios) throw usageError(`run ${run.id} was made on scenario set ${run.suite_name}, not ${options.scenarios}`);
    setVersion = run.suite_version;
  }
  const set = await loadScenarioSet(db, options.scenarios, setVersion);
  const candidates = await Promise.all(options.candidates.map((path) => loadCandidateFrom(path, options.root)));
  const settings: ConversationRunSettings = resumed ?? {
    simulator: options.simulator ?? 'offline',
    trials: options.trials ?? 1,
    max_turns: options.maxTurns ?? null,
    seed: options.seed ?? 42,
  };

  const cache = options.cache && options.cache !== 'off' ? createResponseCache({ mode: options.cache, dir: options.cacheDir }) : undefined;
  const needsKb = candidates.some((c) => c.spec.model === 'local:kb');
  const localKb = needsKb ? createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(await knowledgeBaseEntries(db)) }) : undefined;
  const providerOptions: ProviderOptions = { ...options.provider, localKb };
  const simulator = createCustomerSimulator(settings.simulator, providerOptions, cache);
  // A request that carries a tool runner is never served from the cache (withCache), so tool-using candidates always act on the sandbox.
  const providerFor = cachedProviderFor(options.providerFor ?? defaultProviderFor(providerOptions), cache);
  // Bad configuration (no key, unknown model) stops before any conversation.
  if (!options.providerFor) for (const c of candidates) if (!/^local:/.test(c.spec.model)) resolveProvider(c.spec.model, providerOptions);

  const baseline = options.baseline ? await resolveBaseline(db, options.baseline, set) : undefined;
  const reports: Parameters<typeof buildConversationReport>[1][number][] = [];
  const rows = new Map<string, ConversationRow[]>();
  const queue = options.redis ? new WorkDispatcher(options.redis) : undefined;
  // local:kb needs the store's knowledge base and an injected provider lives here: those run here.
  // Workers look up and record in this run's cache folder over Redis; what their calls did is counted with this one's.
  const channel = queue && cache && !options.providerFor ? await serveResponseCache(options.redis!, cache) : undefined;
  const remoteCache: ResponseCacheCounts = { hits: 0, misses: 0, writes: 0 };
  const countRemote = (counts: ResponseCacheCounts) => {
    remoteCache.hits += counts.hits;
    remoteCache.misses += counts.misses;
    remoteCache.writes += counts.writes;
  };
  const executor =
    queue && !options.providerFor
      ? queuedConversations(queue, {
          simulator: settings.simulator,
          settings: options.provider,
          cache: cache?.mode ?? 'off',
          ...(channel ? { cacheChannel: { name: channel.name, dir: cache!.dir } } : {}),
          onCacheCounts: countRemote,
        })
      : undefined;
  try {
    for (const candidate of candidates) {
      const outcome = await runConversationRun(db, {
        set,
        candidate,
        settings,
        simulator,
        providerFor,
        runId: options.resume ?? (options.candidates.length === 1 ? options.runId : undefined),
        resume: options.resume !== undefined,
        concurrency: options.concurrency ?? 4,
        maxErrors: options.maxErrors,
        onProgress: (done, total) => options.onProgress?.(candidate.spec.name, done, total),
        ...(executor && candidate.spec.model !== 'local:kb' ? { execute: executor } : {}),
      });
      rows.set(outcome.run_id, await new ConversationResultRepository(db).rows(outcome.run_id));
      reports.push({ name: candidate.spec.name, hash: candidate.hash, model: candidate.spec.model, run_id: outcome.run_id, summary: outcome.summary.conversation!, completeness: outcome.completeness });
    }
  } finally {
    await queue?.close();
    await channel?.close();
  }
  const report = buildConversationReport(
    { name: set.name, version: set.version, hash: set.hash, scenarios: set.scenarios.length },
    reports,
    { simulator: simulator.id, trials: settings.trials, gate: { failUnder: options.failUnder, maxRegression: options.maxRegression, baseline } },
  );
  const stats = cache?.stats();
  return {
    report,
    conversations: rows,
    cache: stats ? { hits: stats.hits + remoteCache.hits, misses: stats.misses + remoteCache.misses, writes: stats.writes + remoteCache.writes } : null,
  };
}

interface RunConversationRunOptions {
  set: ScenarioSet;
  candidate: Candidate;
  settings: ConversationRunSettings;
  simulator: CustomerSimulator;
  providerFor: ProviderFor;
  runId?: string;
  resume: boolean;
  concurrency: number;
  maxErrors?: ErrorBudget;
  onProgress?: (done: number, total: number) => void;
  /** Runs a conversation elsewhere (workers); default runConversation here. */
  execute?: ConversationExecutor;
}

async function runConversationRun(db: Database, o: RunConversationRunOptions): Promise<{ run_id: string; summary: RunSummary; completeness: Completeness; ran: number }> {
  const runs = new EvalRunRepository(db);
  const store = new ConversationResultRepository(db);
  const runId = o.runId ?? `conv-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
  let done = new Set<string>();
  if (o.resume) {
    const run = (await runs.get(runId))!;
    if (run.suite_hash !== o.set.hash || run.candidate_hash !== o.candidate.hash) {
      throw new AppError('usage', `run ${runId} was made with another scenario set or candidate version; start a new run instead of --resume`);
    }
    done = new Set((await store.keepSucceeded(runId)).map((r) => `${r.scenario_id}|${r.trial}`));
    await runs.reopen(runId);
  } else {
    await runs.create({
      id: runId,
      suite: { name: o.set.name, version: o.set.version, hash: o.set.hash },
      candidate: o.candidate,
      judge: null,
      repeat: o.settings.trials,
      scorers: CONVERSATION_SCORERS,
      conversation: o.settings,
    });
  }
  const conversationCandidate = candidateForConversation(o.candidate);
  const work: { scenario: Scenario; trial: number }[] = [];
  for (const s of o.set.scenarios) {
    const scenario = o.settings.max_turns === null ? s : { ...s, max_turns: o.settings.max_turns };
    for (let trial = 1; trial <= o.settings.trials; trial++) if (!done.has(`${s.id}|${trial}`)) work.push({ scenario, trial });
  }

  const pending: StoredConversation[] = [];
  let writing = Promise.resolve();
  const flush = () => {
    const batch = pending.splice(0, pending.length);
    if (batch.length > 0) writing = writing.then(() => store.save(runId, batch));
    return writing;
  };
  const limit = pLimit(o.concurrency);
  let finished = 0;
  o.onProgress?.(0, work.length);
  const ticker = setInterval(() => void flush(), 1000);
  try {
    await Promise.all(
      work.map((item) =>
        limit(async () => {
          const input = { scenario: item.scenario, candidate: conversationCandidate, simulator: o.simulator, providerFor: o.providerFor, trial: item.trial, seed: o.settings.seed };
          const result = o.execute ? await o.execute(input, runId) : await runConversation(input);
          pending.push(toStored(result, item.scenario));
          if (pending.length >= 25) void flush();
          o.onProgress?.(++finished, work.length);
        }),
      ),
    );
  } finally {
    clearInterval(ticker);
    await flush();
  }

  const stored = await store.all(runId);
  const summary = summarizeConversationRun(o.set, stored, o.candidate, o.simulator.id, o.settings.trials);
  const expected = o.set.scenarios.length * o.settings.trials;
  const missing = Math.max(0, expected - stored.length);
  const firstError = stored.find((c) => c.error)?.error ?? null;
  const completeness = checkCompleteness(
    { errors: summary.errors + missing, total: expected, first_error: firstError ?? (missing > 0 ? `${missing} conversations are missing` : null), unit: 'trials' },
    o.maxErrors ?? NO_ERRORS,
  );
  summary.completeness = completeness;
  await runs.finish(runId, completeness.complete ? 'done' : 'incomplete', summary);
  return { run_id: runId, summary, completeness, ran: work.length };
}

function toStored(r: ConversationResult, s: Scenario): StoredConversation {
  return {
    scenario_id: r.scenario_id,
    trial: r.trial,
    language: r.language,
    intent: r.intent,
    turns: r.turns.map((t) => ({ role: t.role, text: t.text, ...(t.name ? { name: t.name } : {}) })),
    tool_calls: r.tool_calls,
    customer_events: r.customer_events,
    ended: r.ended,
    warnings: r.warnings,
    final_state: r.final_state as unknown as Record<string, unknown>,
    state_diff: r.diff as unknown as StoredConversation['state_diff'],
    expected: { state: (s.expected.state as Record<string, unknown> | null) ?? null, escalation: s.expected.escalation, required_facts: s.expected.required_facts, must_say: s.expected.must_say, resolved: s.expected.resolved },
    judgement: r.judgement,
    error: r.error ?? null,
  };
}

/**
 * A conversation run's summary: the per-scenario metrics (goal_success, fcr, tone, escalation and
 * their composite, by language, intent and channel) plus the conversation block with intervals over
 * scenarios; pass^k is on the goal.
 */
export function summarizeConversationRun(
  set: Pick<ScenarioSet, 'scenarios'>,
  stored: readonly Pick<StoredConversation, 'scenario_id' | 'trial' | 'language' | 'intent' | 'turns' | 'judgement' | 'error' | 'ended'>[],
  candidate: Pick<Candidate, 'spec'>,
  simulator: string,
  trials: number,
): RunSummary {
  const cases = set.scenarios.map((s) => ({ ...caseForTurn(s, [{ role: 'customer', text: s.script[0]! }], 0), case_id: s.id }));
  const caseResults = stored.map(conversationCaseResult);
  const summary = summarizeRun(
    cases,
    caseResults,
    CONVERSATION_SCORERS.map((s) => s.name),
    trials,
    { escalation: (c) => ({ expected: c.expected_escalation, known: true }), price: () => null },
    { composite: CONVERSATION_COMPOSITE_SCORERS, passScorers: ['goal_success'] },
  );
  const results = stored.map((c) => ({ ...c, candidate: candidate.spec.name, model: candidate.spec.model }) as unknown as ConversationResult);
  const [conv] = summarizeConversations(results);
  const empty = { scenarios: 0, conversations: 0, k: trials, goal_success: null, fcr: null, pass_k: null, turns: null, handling_time_s: null, repeated_asks: null, escalation_accuracy: null, tone: null, errors: 0, ended: {}, by_language: {}, by_intent: {} };
  const { candidate: _c, model: _m, ...metrics } = conv ?? { candidate: '', model: '', ...empty };
  const conversation: ConversationSummary = { ...round(metrics), simulator };
  return {
    ...summary,
    errors: stored.filter((c) => c.error !== null).length,
    pass_hat_k: conversation.pass_k ? { k: conversation.k, value: conversation.pass_k.mean } : summary.pass_hat_k,
    conversation,
  };
}

/** Intervals to 4 decimals (JSON and the UI need no more); an unbounded end becomes null. */
function round<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v !== 'number' ? v : !Number.isFinite(v) ? null : Number.isInteger(v) ? v : Math.round(v * 10_000) / 10_000))) as T;
}

async function loadCandidateFrom(path: string, root?: string): Promise<Candidate> {
  const base = root ?? process.cwd();
  try {
    return await loadCandidate(path, { root: base });
  } catch (error) {
    if (!root && base !== REPO_ROOT && AppError.isInstance(error) && /no such|not found|cannot read|ENOENT/i.test(error.message)) return loadCandidate(path, { root: REPO_ROOT });
    throw error;
  }
}

async function resolveBaseline(db: Database, baseline: string, set: ScenarioSet): Promise<ConversationGate['baseline']> {
  const runs = new EvalRunRepository(db);
  const runId = baseline === 'production' ? await runs.latestDoneInProduction(set.hash) : baseline;
  if (!runId) throw usageError(`the production config has no finished conversation run on ${set.name} v${set.version}: simulate it first, or use --baseline RUN`);
  const run = await runs.get(runId);
  if (!run || !run.summary?.conversation) throw usageError(`no finished conversation run ${runId} to compare with`);
  if (run.suite_hash !== set.hash) throw usageError(`baseline run ${runId} was made on ${run.suite_name} v${run.suite_version}, not on ${set.name} v${set.version}: compare runs on the same scenario set`);
  return { label: baseline === 'production' ? `production (${run.candidate_name})` : runId, run_id: runId, summary: run.summary.conversation };
}
