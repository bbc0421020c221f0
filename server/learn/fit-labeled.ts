// Fits a learned whole-dialogue scorer to one store's labels (gold labels, logged outcomes, weak
// FCR-from-logs estimates) for one target and language: fine-tuned from the model it would replace
// (warm start, pulled towards its weights) when there is one, with 5-fold cross-validated agreement
// next to that model and to simple baselines on the same held-out parts. Pure: no I/O.
import { createHash } from 'node:crypto';
import type { Language, TurnRole } from '../domain/dialogue.ts';
import { spearmanRho } from '../metrics/rank-correlation.ts';
import { rocAuc } from '../metrics/roc-auc.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { defaultFeatureSpec, describeFeature, extractFeatures, type FeatureSpec } from './dialogue-features.ts';
import { RECIPES, lastAgentReplyLength } from './fit-stc3.ts';
import { idFraction } from './holdout-split.ts';
import { compressModel, encodeWeights, LearnedModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type LearnedModelFile, type ScorerTarget } from './learned-model.ts';
import type { SparseVector } from './feature-hashing.ts';
import { findIndex, linearScore, prepareDesign, trainOnDesign, type LinearModel } from './sparse-logistic-regression.ts';

/**
 * Extracted feature rows per dialogue's turns (the same array is shared by a dialogue's labels for
 * every target) and feature spec: extracted once, reused across targets, folds and the comparison
 * with the current model. Weak keys: freed with the dialogues.
 */
const featureCache = new WeakMap<object, Map<string, SparseVector>>();

export function cachedFeatures(dialogue: { turns: LabeledDialogue['turns'] }, spec: FeatureSpec, specKey = JSON.stringify(spec)): SparseVector {
  let bySpec = featureCache.get(dialogue.turns);
  if (bySpec === undefined) featureCache.set(dialogue.turns, (bySpec = new Map()));
  let v = bySpec.get(specKey);
  if (v === undefined) bySpec.set(specKey, (v = extractFeatures(dialogue, spec).vector));
  return v;
}

/** Where a label came from, strongest first. */
export const LABEL_SOURCES = ['gold', 'outcome', 'reviewer_csat', 'fcr_estimate'] as const;
export type LabelSource = (typeof LABEL_SOURCES)[number];

export interface LabeledDialogue {
  id: string;
  language: Language;
  turns: ReadonlyArray<{ role: TurnRole; text: string }>;
  /** Training target in 0–1 (hard 0/1, or a 1–5 rating as (r − 1) / 4). */
  label: number;
  /** Sample weight: 1 for a person's label or a logged outcome, less for a weak estimate. */
  weight: number;
  /** The binary judgement AUC is taken against (resolved; rating ≥ 4; correct). */
  positive: boolean;
  /** The graded judgement Spearman's rho is taken against. */
  graded: number;
  source: LabelSource;
}

export interface Agreement {
  n: number;
  auc: number | null;
  spearman: number | null;
}

export interface FitLabeledOptions {
  target: ScorerTarget;
  language: Language;
  /** The model this fit would replace (the store's latest, else the built-in): warm start and comparison. */
  current: { name: string; model: LearnedModel } | null;
  /** Fine-tune from `current` (default) or train from scratch. */
  warmStart: boolean;
  folds: number;
  /** Labels needed on each side (positive, negative; weak labels count by their weight) before a model is stored. */
  minPerSide: number;
  /** λ candidates, picked by the cross-validated AUC; one value skips the search. */
  l2Grid: readonly number[];
  maxIterations: number;
  maxWeights: number;
  /** Salt of the fold assignment (a hash of the dialogue id). */
  salt: string;
}

export const DEFAULT_MIN_PER_SIDE = 50;

export const DEFAULT_FIT_LABELED_OPTIONS: Omit<FitLabeledOptions, 'target' | 'language' | 'current'> = {
  warmStart: true,
  folds: 5,
  minPerSide: DEFAULT_MIN_PER_SIDE,
  l2Grid: [],
  maxIterations: 150,
  maxWeights: 20_000,
  salt: 'firstcall-fit-folds-v1',
};

/** λ grids: pulled towards a prior, the penalty is on the change, so it can be larger than from scratch. */
export const L2_GRID_WARM = [3e-3, 1e-2, 3e-2, 1e-1] as const;
export const L2_GRID_SCRATCH = [3e-4, 1e-3, 3e-3] as const;
/** Above this many labels one λ per case is used (the grid costs a fit per value and fold). */
export const GRID_SEARCH_MAX_LABELS = 3000;

export interface LabelCounts {
  total: number;
  positive: number;
  negative: number;
  /** Sums of sample weights per side: what the minimum is checked against. */
  weighted_positive: number;
  weighted_negative: number;
  by_source: Partial<Record<LabelSource, number>>;
}

export interface FitLabeledReport {
  target: ScorerTarget;
  language: Language;
  labels: LabelCounts;
  /** sha256 over the training labels and texts. */
  data_sha256: string;
  /** Cross-validated (pooled held-out predictions, folds by dialogue id). */
  cv: {
    folds: number;
    fitted: Agreement | null;
    current: (Agreement & { name: string }) | null;
    baselines: { reply_length: Agreement; no_handoff: Agreement };
  };
  l2: number | null;
  warm_start: string | null;
  /** Fitted on every label; null when there were too few to fit at all. */
  model: LearnedModel | null;
  /** At least `minPerSide` labels on each side. */
  enough_labels: boolean;
  /** Good enough to be stored: enough labels, and not worse than the model it would replace. */
  store: boolean;
  /** Why it is (not) stored. */
  reason: string;
  seconds: number;
}

export function countLabels(examples: readonly LabeledDialogue[]): LabelCounts {
  const c: LabelCounts = { total: examples.length, positive: 0, negative: 0, weighted_positive: 0, weighted_negative: 0, by_source: {} };
  for (const e of examples) {
    if (e.positive) {
      c.positive++;
      c.weighted_positive += e.weight;
    } else {
      c.negative++;
      c.weighted_negative += e.weight;
    }
    c.by_source[e.source] = (c.by_source[e.source] ?? 0) + 1;
  }
  c.weighted_positive = round(c.weighted_positive, 1);
  c.weighted_negative = round(c.weighted_negative, 1);
  return c;
}

/** sha256 over ids, labels, weights and texts, in id order: which data a model was fitted on. */
export function hashLabeledDialogues(examples: readonly LabeledDialogue[]): string {
  const h = createHash('sha256');
  for (const e of [...examples].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    h.update(JSON.stringify([e.id, e.label, e.weight, e.source, e.turns.map((t) => [t.role, t.text])]));
    h.update('\n');
  }
  return h.digest('hex');
}

export function foldOf(id: string, folds: number, salt: string): number {
  return Math.min(folds - 1, Math.floor(idFraction(id, salt) * folds));
}

const handedOff = (turns: LabeledDialogue['turns']) => turns.some((t) => t.role === 'agent' && textualHandoff(t.text) !== null);

export function agreementOf(scores: readonly number[], examples: readonly LabeledDialogue[]): Agreement {
  return {
    n: examples.length,
    auc: roundOrNull(rocAuc(scores, examples.map((e) => e.positive))),
    spearman: roundOrNull(spearmanRho(scores, examples.map((e) => e.graded))),
  };
}

/** The features a fit uses: the warm-start model's, else the target's default blocks. */
export function fitFeatureSpec(target: ScorerTarget, language: Language, prior: LearnedModel | null): FeatureSpec {
  return prior?.file.features ?? defaultFeatureSpec(language, RECIPES[target === 'accuracy' ? 'fcr' : target].blocks);
}

export function fitLabeled(examples: readonly LabeledDialogue[], options: Partial<FitLabeledOptions> & Pick<FitLabeledOptions, 'target' | 'language' | 'current'>): FitLabeledReport {
  const started = performance.now();
  const o = { ...DEFAULT_FIT_LABELED_OPTIONS, ...options };
  const counts = countLabels(examples);
  const prior = o.warmStart && o.current !== null ? o.current.model : null;
  const spec = fitFeatureSpec(o.target, o.language, prior);
  const baselines = {
    reply_length: agreementOf(examples.map(lastAgentReplyLength), examples),
    no_handoff: agreementOf(examples.map((e) => (handedOff(e.turns) ? 0 : 1)), examples),
  };
  const specKey = JSON.stringify(spec);
  const currentScores = (model: LearnedModel) => {
    const key = JSON.stringify(model.file.features);
    return examples.map((e) => model.scoreVector(cachedFeatures(e, model.file.features, key)).logit);
  };
  const current = o.current === null ? null : { name: o.current.name, ...agreementOf(currentScores(o.current.model), examples) };
  const report: FitLabeledReport = {
    target: o.target,
    language: o.language,
    labels: counts,
    data_sha256: hashLabeledDialogues(examples),
    cv: { folds: o.folds, fitted: null, current, baselines },
    l2: null,
    warm_start: prior === null ? null : o.current!.name,
    model: null,
    enough_labels: false,
    store: false,
    reason: '',
    seconds: 0,
  };
  const done = (reason: string) => {
    report.reason = reason;
    report.seconds = round((performance.now() - started) / 1000, 2);
    return report;
  };
  // Fewer than this on a side and there is nothing to cross-validate.
  if (counts.positive < o.folds || counts.negative < o.folds) {
    return done(`too few labels to fit: ${counts.positive} positive and ${counts.negative} negative (at least ${o.minPerSide} on each side are needed to store a model)`);
  }

  const rows = examples.map((e) => cachedFeatures(e, spec, specKey));
  const design = prepareDesign(rows);
  const fold = examples.map((e) => foldOf(e.id, o.folds, o.salt));
  const priorLinear = prior?.linear;
  const grid = o.l2Grid.length > 0 ? o.l2Grid : prior !== null ? (examples.length > GRID_SEARCH_MAX_LABELS ? [1e-2] : L2_GRID_WARM) : examples.length > GRID_SEARCH_MAX_LABELS ? [1e-3] : L2_GRID_SCRATCH;
  let best: { l2: number; agreement: Agreement } | null = null;
  for (const l2 of grid) {
    const held = new Array<number>(examples.length).fill(0);
    for (let k = 0; k < o.folds; k++) {
      const trainIdx = examples.flatMap((_, i) => (fold[i] !== k ? [i] : []));
      const testIdx = examples.flatMap((_, i) => (fold[i] === k ? [i] : []));
      if (testIdx.length === 0) continue;
      const model = train(trainIdx, l2);
      for (const i of testIdx) held[i] = linearScore(model, rows[i]!);
    }
    const agreement = agreementOf(held, examples);
    if (best === null || (agreement.auc ?? 0) > (best.agreement.auc ?? 0)) best = { l2, agreement };
  }
  report.l2 = best!.l2;
  report.cv.fitted = best!.agreement;

  const full = train(examples.map((_, i) => i), best!.l2);
  report.model = toLearnedModel(full, spec, o, examples, rows, report);
  const enough = counts.weighted_positive >= o.minPerSide && counts.weighted_negative >= o.minPerSide;
  report.enough_labels = enough;
  if (!enough) {
    return done(
      `not stored: ${counts.weighted_positive} positive and ${counts.weighted_negative} negative labels (weak ones counted by weight); at least ${o.minPerSide} on each side are needed`,
    );
  }
  const fittedAuc = best!.agreement.auc ?? 0;
  const currentAuc = current?.auc ?? null;
  if (currentAuc !== null && fittedAuc < currentAuc - 0.01) {
    return done(`not stored: its cross-validated AUC ${fittedAuc.toFixed(3)} is below the current model's ${currentAuc.toFixed(3)} (${current!.name}) on the same held-out parts`);
  }
  report.store = true;
  return done(
    `stored: ${counts.total} labels, cross-validated AUC ${fittedAuc.toFixed(3)}${currentAuc === null ? '' : ` vs ${currentAuc.toFixed(3)} for ${current!.name}`}`,
  );

  function train(indices: readonly number[], l2: number): LinearModel {
    return trainOnDesign(
      design,
      Int32Array.from(indices),
      indices.map((i) => examples[i]!.label),
      { l2, sampleWeights: indices.map((i) => examples[i]!.weight), maxIterations: o.maxIterations, ...(priorLinear ? { prior: priorLinear } : {}) },
    ).model;
  }
}

function toLearnedModel(
  full: LinearModel,
  spec: FeatureSpec,
  o: FitLabeledOptions,
  examples: readonly LabeledDialogue[],
  rows: readonly SparseVector[],
  report: FitLabeledReport,
): LearnedModel {
  const small = compressModel(full, { maxWeights: o.maxWeights, levels: 2047 });
  // Readable names for the strongest weights: from the training dialogues, else the prior's list.
  const names = new Map<number, string>();
  for (const t of o.current?.model.file.top_features ?? []) names.set(t.index, t.name);
  const wanted = new Set(
    Array.from(small.weights.keys())
      .sort((a, b) => Math.abs(small.weights[b]!) - Math.abs(small.weights[a]!) || small.indices[a]! - small.indices[b]!)
      .slice(0, 40)
      .map((j) => small.indices[j]!),
  );
  // The first dialogue (in order) with a feature at an index names it: only those with a wanted,
  // still unnamed index are extracted again with names.
  const unnamed = Int32Array.from([...wanted].filter((index) => !names.has(index))).sort();
  for (let i = 0; i < examples.length; i++) {
    const row = rows[i]!.indices;
    let needed = false;
    for (let k = 0; k < unnamed.length && !needed; k++) needed = !names.has(unnamed[k]!) && findIndex(row, unnamed[k]!) >= 0;
    if (!needed) continue;
    const f = extractFeatures(examples[i]!, spec, true);
    for (const [index, name] of f.names!) if (wanted.has(index) && !names.has(index)) names.set(index, describeFeature(name));
  }
  const top = [...wanted]
    .map((index) => ({ index, weight: small.weights[small.indices.indexOf(index)]! }))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.index - b.index)
    .map(({ index, weight }) => ({ index, name: names.get(index) ?? `#${index}`, weight: round(weight, 4) }));
  const label = LABEL_TEXT[o.target];
  const file: LearnedModelFile = {
    format: MODEL_FORMAT,
    version: MODEL_FORMAT_VERSION,
    language: o.language,
    target: o.target,
    features: spec,
    bias: round(small.bias, 6),
    weights: encodeWeights(small.indices, small.values, small.scale),
    top_features: top,
    card: {
      summary: `${o.target} scorer for ${o.language === 'zh' ? 'Chinese' : 'English'} dialogues fitted on this store's labels${report.warm_start ? `, fine-tuned from ${report.warm_start}` : ', from scratch'}.`,
      label,
      output: o.target === 'csat' || o.target === 'tone' ? 'p in 0–1; rating = 1 + 4p' : 'probability in 0–1',
      data: {
        name: 'this store: gold labels, logged outcomes, FCR-from-logs estimates (weak)',
        file: 'firstcall store',
        dialogues: examples.length,
        sha256: report.data_sha256,
        split: `${o.folds}-fold cross-validation by dialogue id for the figures (λ picked on the same folds); the stored model is fitted on every label`,
      },
      licence: report.warm_start === 'builtin' ? 'Your labels; warm-started from the built-in model (NTCIR-14 STC-3 annotations, CC BY 4.0)' : 'Your labels',
      trainer: {
        algorithm: `L2-regularised logistic regression, full-batch L-BFGS${report.warm_start ? `, pulled towards the weights of ${report.warm_start} (λ/2·‖w − w_prior‖²)` : ''}; sample weights by label source`,
        l2: report.l2!,
        label_mode: o.target === 'fcr' || o.target === 'accuracy' ? 'hard (partial accuracy 0.5)' : 'soft ((rating − 1) / 4)',
        iterations: o.maxIterations,
        columns: full.indices.length,
        kept_weights: small.indices.length,
        quantisation_levels: 2047,
      },
      held_out: {
        dialogues: report.cv.fitted?.n ?? 0,
        auc: report.cv.fitted?.auc ?? null,
        spearman: report.cv.fitted?.spearman ?? null,
        baseline: { name: 'length of the agent’s last reply', auc: report.cv.baselines.reply_length.auc, spearman: report.cv.baselines.reply_length.spearman },
      },
      limitations: ['Fitted on this store only: it reflects how these labels were given, on these channels and intents.'],
    },
  };
  return LearnedModel.fromJson(JSON.parse(JSON.stringify(file)));
}

const LABEL_TEXT: Readonly<Record<ScorerTarget, string>> = {
  fcr: 'resolved on first contact: gold fcr yes/no; logged outcome (escalated or not resolved → 0, resolved → 1); a repeat contact found by FCR-from-logs turns a logged resolution into a weak 0 (weight 0.3)',
  csat: 'customer satisfaction 1–5 as (csat − 1) / 4: the customer’s logged outcome.csat, else a reviewer’s csat estimate',
  tone: 'reviewers’ tone 1–5 as (tone − 1) / 4',
  accuracy: 'reviewers’ accuracy: correct 1, partial 0.5, incorrect 0',
};

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const roundOrNull = (x: number | null) => (x === null || Number.isNaN(x) ? null : round(x, 4));


/** One `fitLabeled` call as data, for a worker thread. */
export interface FitJob {
  examples: LabeledDialogue[];
  options: Omit<Partial<FitLabeledOptions>, 'current'> & Pick<FitLabeledOptions, 'target' | 'language'>;
  current: { name: string; file: LearnedModelFile } | null;
}

/**
 * Runs groups of fits (each group in order, in one worker thread, so a group's jobs share extracted
 * features) on up to `threads` threads; the results are those of `fitLabeled` in the same process
 * (same inputs, same arithmetic). Falls back to this thread when a worker cannot start.
 */
export async function fitLabeledInWorkers(groups: readonly FitJob[][], threads: number): Promise<FitLabeledReport[][]> {
  const runHere = (jobs: readonly FitJob[]) =>
    jobs.map((job) => fitLabeled(job.examples, { ...job.options, current: job.current === null ? null : { name: job.current.name, model: LearnedModel.fromJson(job.current.file) } }));
  if (threads <= 1 || groups.length <= 1) return groups.map(runHere);
  const { Worker } = await import('node:worker_threads');
  const results: FitLabeledReport[][] = new Array(groups.length);
  // Largest groups first (by labels × fits), each to the next free thread.
  const cost = (jobs: readonly FitJob[]) => jobs.reduce((n, j) => n + j.examples.length * (j.current === null ? 2 : 1), 0);
  const order = groups.map((_, g) => g).sort((a, b) => cost(groups[b]!) - cost(groups[a]!) || a - b);
  let next = 0;
  const lane = async () => {
    let worker: InstanceType<typeof Worker> | null = null;
    try {
      while (next < order.length) {
        const g = order[next++]!;
        const jobs = groups[g]!;
        try {
          worker ??= new Worker(new URL('./fit-worker-entry.mjs', import.meta.url));
          const w = worker;
          const reply = await new Promise<{ ok: boolean; out?: Array<{ report: Omit<FitLabeledReport, 'model'>; file: LearnedModelFile | null }>; error?: string }>((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
            w.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
            w.postMessage(jobs);
          });
          w.removeAllListeners('error');
          w.removeAllListeners('exit');
          if (!reply.ok) throw new Error(reply.error);
          results[g] = reply.out!.map(({ report, file }) => ({ ...report, model: file === null ? null : LearnedModel.fromJson(file) }));
        } catch (error) {
          process.emitWarning(`scorer fits run on the main thread: a worker thread failed (${error instanceof Error ? error.message : String(error)})`);
          await worker?.terminate();
          worker = null;
          results[g] = runHere(jobs);
        }
      }
    } finally {
      await worker?.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(threads, groups.length) }, lane));
  return results;
}
