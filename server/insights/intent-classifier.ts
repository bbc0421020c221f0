// A multi-class intent classifier: one-vs-rest L2 logistic regressions (server/learn, L-BFGS) on the
// customer's hashed n-grams, with k-fold cross-validated accuracy and macro-F1 next to the majority
// class. Confidence is the winning class's own probability (not renormalised over the classes), so a
// dialogue about something no class knows scores low everywhere: that is what topic discovery reads.
// Pure: no I/O.
import { z } from 'zod';
import { Language } from '../domain/dialogue.ts';
import { idFraction } from '../learn/holdout-split.ts';
import { compressModel, encodeWeights } from '../learn/learned-model.ts';
import type { SparseVector } from '../learn/feature-hashing.ts';
import { linearScore, sigmoid, trainLogisticRegression, type LinearModel } from '../learn/sparse-logistic-regression.ts';
import { confusionMatrix, labelScores } from '../metrics/confusion-matrix.ts';
import { IntentFeatureSpec, intentFeatures, intentFeatureSpec } from './intent-features.ts';

export const INTENT_MODEL_FORMAT = 'firstcall.intent-classifier';

const Weights = z.object({
  /** Weight = value × scale. */
  scale: z.number().positive(),
  /** Hashed indices, delta-encoded (first absolute, then gaps). */
  index_deltas: z.array(z.number().int().min(0)),
  values: z.array(z.number().int()),
});

export const IntentModelFile = z.object({
  format: z.literal(INTENT_MODEL_FORMAT),
  version: z.literal(1),
  language: Language,
  features: IntentFeatureSpec,
  classes: z.array(z.object({ intent: z.string().min(1), examples: z.number().int().min(0), bias: z.number(), weights: Weights })).min(2),
  /**
   * Platt scaling of the winning class's log-odds z: confidence = σ(a·z + b), fitted on out-of-fold
   * predictions to the chance that the winner is right. Null: the raw σ(z).
   */
  calibration: z.object({ a: z.number(), b: z.number() }).nullable(),
});
export type IntentModelFile = z.infer<typeof IntentModelFile>;

export interface IntentExample {
  id: string;
  text: string;
  intent: string;
}

export interface IntentPrediction {
  intent: string;
  /** The winning class's probability, 0–1. */
  confidence: number;
  /** The runner-up, for people deciding whether to trust it. */
  second: { intent: string; confidence: number } | null;
}

export interface TrainIntentOptions {
  l2: number;
  maxIterations: number;
  /** Per class, at most this many weights are kept (the largest). */
  maxWeights: number;
}

export const DEFAULT_TRAIN_INTENT_OPTIONS: TrainIntentOptions = { l2: 1e-3, maxIterations: 100, maxWeights: 6000 };

export class IntentClassifier {
  private readonly classes: ReadonlyArray<{ intent: string; model: LinearModel }>;

  constructor(readonly file: IntentModelFile) {
    this.classes = file.classes.map((c) => ({ intent: c.intent, model: decodeWeights(c.bias, c.weights) }));
  }

  static fromJson(json: unknown): IntentClassifier {
    return new IntentClassifier(IntentModelFile.parse(json));
  }

  get intents(): string[] {
    return this.classes.map((c) => c.intent);
  }

  /** The winning intent with its raw log-odds (what calibration is fitted on). */
  topLogits(row: SparseVector): Array<{ intent: string; logit: number }> {
    return this.classes.map((c) => ({ intent: c.intent, logit: linearScore(c.model, row) })).sort((a, b) => b.logit - a.logit || a.intent.localeCompare(b.intent));
  }

  predictVector(row: SparseVector): IntentPrediction {
    const scored = this.topLogits(row);
    const confidence = (z: number) => {
      const c = this.file.calibration;
      return c === null ? sigmoid(z) : sigmoid(c.a * z + c.b);
    };
    const second = scored[1];
    return { intent: scored[0]!.intent, confidence: confidence(scored[0]!.logit), second: second ? { intent: second.intent, confidence: confidence(second.logit) } : null };
  }

  predict(text: string): IntentPrediction {
    return this.predictVector(intentFeatures(text, this.file.features));
  }
}

function decodeWeights(bias: number, weights: z.infer<typeof Weights>): LinearModel {
  const indices = new Int32Array(weights.index_deltas.length);
  let at = 0;
  weights.index_deltas.forEach((d, k) => {
    at += d;
    indices[k] = at;
  });
  if (weights.values.length !== indices.length) throw new RangeError('intent model: index_deltas and values differ in length');
  return { bias, indices, weights: Float64Array.from(weights.values, (v) => v * weights.scale) };
}

/** Intents in a stable order: most examples first, then by key. */
export function intentCounts(examples: readonly { intent: string }[]): Array<{ intent: string; examples: number }> {
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.intent, (counts.get(e.intent) ?? 0) + 1);
  return [...counts.entries()].map(([intent, n]) => ({ intent, examples: n })).sort((a, b) => b.examples - a.examples || a.intent.localeCompare(b.intent));
}

/** Trains on vectors already extracted (cross-validation extracts once). Needs at least two intents. */
export function trainOnVectors(
  rows: readonly SparseVector[],
  intents: readonly string[],
  language: Language,
  options: Partial<TrainIntentOptions> = {},
): IntentClassifier {
  const o = { ...DEFAULT_TRAIN_INTENT_OPTIONS, ...options };
  const classes = intentCounts(intents.map((intent) => ({ intent })));
  if (classes.length < 2) throw new RangeError(`an intent classifier needs at least two intents (got ${classes.length})`);
  const file: IntentModelFile = {
    format: INTENT_MODEL_FORMAT,
    version: 1,
    language,
    features: intentFeatureSpec(language),
    classes: classes.map(({ intent, examples }) => {
      const targets = intents.map((i) => (i === intent ? 1 : 0));
      const { model } = trainLogisticRegression(rows, targets, { l2: o.l2, maxIterations: o.maxIterations, minRowFrequency: 2, tolerance: 1e-6 });
      const small = compressModel(model, { maxWeights: o.maxWeights, levels: 2047 });
      return { intent, examples, bias: small.bias, weights: encodeWeights(small.indices, small.values, small.scale) };
    }),
    calibration: null,
  };
  return new IntentClassifier(file);
}

export function trainIntentClassifier(examples: readonly IntentExample[], language: Language, options: Partial<TrainIntentOptions> = {}): IntentClassifier {
  const spec = intentFeatureSpec(language);
  return trainOnVectors(
    examples.map((e) => intentFeatures(e.text, spec)),
    examples.map((e) => e.intent),
    language,
    options,
  );
}

export interface ClassificationScores {
  accuracy: number;
  macro_f1: number;
}

/** Accuracy and macro-F1 over the intents present in the truth (a class never predicted scores F1 0). */
export function classificationScores(truth: readonly string[], predicted: readonly string[]): ClassificationScores {
  const labels = [...new Set([...truth, ...predicted])].sort();
  const matrix = confusionMatrix(truth, predicted, labels);
  const scores = labelScores(matrix).filter((s) => s.support > 0);
  const correct = truth.filter((t, i) => t === predicted[i]).length;
  const macro = scores.reduce((sum, s) => sum + (Number.isNaN(s.f1) ? 0 : s.f1), 0) / Math.max(1, scores.length);
  return { accuracy: truth.length === 0 ? NaN : correct / truth.length, macro_f1: macro };
}

export interface IntentCrossValidation {
  folds: number;
  n: number;
  fitted: ClassificationScores;
  /** Always the training folds' most frequent intent. */
  majority: ClassificationScores & { intent: string };
  /** Per held-out example: the winner's log-odds and whether it was right (calibration data). */
  outOfFold: Array<{ logit: number; correct: boolean }>;
}

/** k-fold cross-validation, folds by a salted hash of the dialogue id (the same on every machine). */
export function crossValidateIntents(
  examples: readonly IntentExample[],
  language: Language,
  options: Partial<TrainIntentOptions> & { folds?: number; salt?: string } = {},
): IntentCrossValidation {
  const folds = options.folds ?? 5;
  const salt = options.salt ?? 'firstcall-intent-folds-v1';
  const spec = intentFeatureSpec(language);
  const rows = examples.map((e) => intentFeatures(e.text, spec));
  const fold = examples.map((e) => Math.min(folds - 1, Math.floor(idFraction(e.id, salt) * folds)));
  const truth: string[] = [];
  const predicted: string[] = [];
  const majorityPredicted: string[] = [];
  const outOfFold: IntentCrossValidation['outOfFold'] = [];
  for (let f = 0; f < folds; f++) {
    const train = examples.flatMap((_, i) => (fold[i] === f ? [] : [i]));
    const test = examples.flatMap((_, i) => (fold[i] === f ? [i] : []));
    if (test.length === 0) continue;
    const trainIntents = train.map((i) => examples[i]!.intent);
    const counts = intentCounts(trainIntents.map((intent) => ({ intent })));
    const majority = counts[0]?.intent ?? examples[test[0]!]!.intent;
    const model =
      counts.length >= 2
        ? trainOnVectors(
            train.map((i) => rows[i]!),
            trainIntents,
            language,
            options,
          )
        : null;
    for (const i of test) {
      const top = model?.topLogits(rows[i]!)[0];
      const intent = top?.intent ?? majority;
      truth.push(examples[i]!.intent);
      predicted.push(intent);
      majorityPredicted.push(majority);
      if (top) outOfFold.push({ logit: top.logit, correct: intent === examples[i]!.intent });
    }
  }
  const overall = intentCounts(examples)[0]?.intent ?? '';
  return { folds, n: truth.length, fitted: classificationScores(truth, predicted), majority: { intent: overall, ...classificationScores(truth, majorityPredicted) }, outOfFold };
}

/** Platt scaling: a one-feature logistic regression from the winner's log-odds to "it was right". Null when every prediction was right (or wrong). */
export function fitCalibration(outOfFold: ReadonlyArray<{ logit: number; correct: boolean }>): { a: number; b: number } | null {
  const right = outOfFold.filter((o) => o.correct).length;
  if (right === 0 || right === outOfFold.length) return null;
  const rows = outOfFold.map((o) => ({ indices: Int32Array.of(0), values: Float64Array.of(o.logit) }));
  const { model } = trainLogisticRegression(
    rows,
    outOfFold.map((o) => (o.correct ? 1 : 0)),
    { l2: 1e-4, minRowFrequency: 1, maxIterations: 200 },
  );
  const a = model.weights[0] ?? 0;
  // A calibration that inverts the ranking would be nonsense: keep the raw scores then.
  return a > 0 ? { a, b: model.bias } : null;
}

export interface FittedIntentModel {
  classifier: IntentClassifier;
  cv: Omit<IntentCrossValidation, 'outOfFold'>;
}

/** Cross-validates, then trains on everything with confidences calibrated on the out-of-fold predictions. */
export function fitIntentModel(
  examples: readonly IntentExample[],
  language: Language,
  options: Partial<TrainIntentOptions> & { folds?: number; salt?: string } = {},
): FittedIntentModel {
  const { outOfFold, ...cv } = crossValidateIntents(examples, language, options);
  const trained = trainIntentClassifier(examples, language, options);
  const classifier = new IntentClassifier({ ...trained.file, calibration: fitCalibration(outOfFold) });
  return { classifier, cv };
}
