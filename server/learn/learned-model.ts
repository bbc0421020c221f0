// A learned whole-dialogue scorer as a JSON file: feature spec, pruned and quantised sparse weights,
// a reverse map of the strongest features, and a card (data, licence, held-out agreement).
import { z } from 'zod';
import { Language } from '../domain/dialogue.ts';
import { describeFeature, extractFeatures, FeatureSpec, splitFeatureName, type DialogueTurns } from './dialogue-features.ts';
import type { SparseVector } from './feature-hashing.ts';
import { findIndex, sigmoid, type LinearModel } from './sparse-logistic-regression.ts';

/** Targets with a built-in model (trained on STC-3). */
export const LEARNED_TARGETS = ['fcr', 'csat', 'tone'] as const;
export const LearnedTarget = z.enum(LEARNED_TARGETS);
export type LearnedTarget = z.infer<typeof LearnedTarget>;

/** Targets a store's labels can fit (`firstcall scorers fit`): the built-in ones, and accuracy from reviewers' labels. */
export const SCORER_TARGETS = ['fcr', 'csat', 'tone', 'accuracy'] as const;
export const ScorerTarget = z.enum(SCORER_TARGETS);
export type ScorerTarget = z.infer<typeof ScorerTarget>;

export const MODEL_FORMAT = 'firstcall.learned-scorer';
export const MODEL_FORMAT_VERSION = 1;

const HeldOut = z.object({
  dialogues: z.number().int().min(0),
  /** ROC AUC against the binary label (problem solved / satisfied). */
  auc: z.number().nullable(),
  /** Spearman's rho against the annotators' mean judgement. */
  spearman: z.number().nullable(),
  /** The same figures for a simple baseline, so the gain is visible. */
  baseline: z.object({ name: z.string(), auc: z.number().nullable(), spearman: z.number().nullable() }).optional(),
});
export type HeldOut = z.infer<typeof HeldOut>;

export const ModelCard = z.object({
  summary: z.string(),
  /** What the model predicts and how the training label was made from the annotations. */
  label: z.string(),
  /** How the probability maps to the reported score. */
  output: z.string(),
  data: z.object({
    name: z.string(),
    file: z.string(),
    dialogues: z.number().int(),
    /** sha256 over the training dialogues' ids, judgements and text (hashJudgedDialogues). */
    sha256: z.string(),
    split: z.string(),
  }),
  licence: z.string(),
  trainer: z.object({
    algorithm: z.string(),
    l2: z.number(),
    label_mode: z.string(),
    iterations: z.number().int(),
    columns: z.number().int(),
    kept_weights: z.number().int(),
    quantisation_levels: z.number().int(),
  }),
  held_out: HeldOut,
  limitations: z.array(z.string()),
});
export type ModelCard = z.infer<typeof ModelCard>;

export const LearnedModelFile = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.literal(MODEL_FORMAT_VERSION),
  language: Language,
  target: ScorerTarget,
  features: FeatureSpec,
  bias: z.number(),
  weights: z.object({
    /** Weight = value × scale. */
    scale: z.number().positive(),
    /** Hashed indices, delta-encoded (first absolute, then gaps). */
    index_deltas: z.array(z.number().int().min(0)),
    values: z.array(z.number().int()),
  }),
  /** The strongest weights with the feature text that trained them (a reverse map of the hash). */
  top_features: z.array(z.object({ index: z.number().int().min(0), name: z.string(), weight: z.number() })),
  card: ModelCard,
});
export type LearnedModelFile = z.infer<typeof LearnedModelFile>;

export interface CompressOptions {
  /** Keep at most this many weights, the largest in magnitude. */
  maxWeights: number;
  /** Integer levels on each side of zero (e.g. 2047 for 12-bit values). */
  levels: number;
}

/** Prunes to the largest weights and quantises them; returns the model as it will be shipped. */
export function compressModel(model: LinearModel, options: CompressOptions): LinearModel & { scale: number; values: Int32Array } {
  const order = Array.from(model.weights.keys()).sort((a, b) => Math.abs(model.weights[b]!) - Math.abs(model.weights[a]!) || model.indices[a]! - model.indices[b]!);
  const kept = order.slice(0, options.maxWeights).sort((a, b) => model.indices[a]! - model.indices[b]!);
  const maxAbs = kept.reduce((m, j) => Math.max(m, Math.abs(model.weights[j]!)), 0) || 1;
  const scale = maxAbs / options.levels;
  const entries = kept.map((j) => [model.indices[j]!, Math.round(model.weights[j]! / scale)] as const).filter(([, v]) => v !== 0);
  const values = Int32Array.from(entries.map(([, v]) => v));
  return {
    bias: model.bias,
    indices: Int32Array.from(entries.map(([i]) => i)),
    weights: Float64Array.from(values, (v) => v * scale),
    scale,
    values,
  };
}

export function encodeWeights(indices: Int32Array, values: Int32Array, scale: number): LearnedModelFile['weights'] {
  const index_deltas: number[] = [];
  let prev = 0;
  for (let k = 0; k < indices.length; k++) {
    index_deltas.push(indices[k]! - prev);
    prev = indices[k]!;
  }
  return { scale, index_deltas, values: Array.from(values) };
}

export interface Contribution {
  /** Readable feature, e.g. customer's last turn “谢谢”. */
  name: string;
  /** Where it was read: customer, agent, customer's last turn, …, or shape (structure). */
  block: string;
  /** The n-gram or the structure feature's name. */
  text: string;
  /** Weight × feature value, in log-odds. */
  value: number;
}

export interface ModelScore {
  /** Log-odds. */
  logit: number;
  /** σ(logit), 0–1. */
  probability: number;
}

/** A loaded model, ready to score dialogues. */
export class LearnedModel {
  readonly file: LearnedModelFile;
  readonly linear: LinearModel;

  constructor(file: LearnedModelFile) {
    this.file = file;
    const indices = new Int32Array(file.weights.index_deltas.length);
    let at = 0;
    file.weights.index_deltas.forEach((d, k) => {
      at += d;
      indices[k] = at;
    });
    if (file.weights.values.length !== indices.length) throw new RangeError('model weights: index_deltas and values differ in length');
    for (let k = 1; k < indices.length; k++) if (indices[k]! <= indices[k - 1]!) throw new RangeError('model weights: indices must increase');
    this.linear = { bias: file.bias, indices, weights: Float64Array.from(file.weights.values, (v) => v * file.weights.scale) };
  }

  static fromJson(json: unknown): LearnedModel {
    return new LearnedModel(LearnedModelFile.parse(json));
  }

  get language() {
    return this.file.language;
  }

  get target(): ScorerTarget {
    return this.file.target;
  }

  scoreVector(row: SparseVector): ModelScore {
    let z = this.linear.bias;
    for (let k = 0; k < row.indices.length; k++) {
      const j = findIndex(this.linear.indices, row.indices[k]!);
      if (j >= 0) z += this.linear.weights[j]! * row.values[k]!;
    }
    return { logit: z, probability: sigmoid(z) };
  }

  score(dialogue: DialogueTurns): ModelScore {
    return this.scoreVector(extractFeatures(dialogue, this.file.features).vector);
  }

  /** Score plus every feature's contribution (weight × value, in log-odds), largest first. */
  explain(dialogue: DialogueTurns): ModelScore & { contributions: Contribution[] } {
    const { vector, names } = extractFeatures(dialogue, this.file.features, true);
    const contributions: Contribution[] = [];
    for (let k = 0; k < vector.indices.length; k++) {
      const j = findIndex(this.linear.indices, vector.indices[k]!);
      if (j < 0) continue;
      const value = this.linear.weights[j]! * vector.values[k]!;
      const raw = names!.get(vector.indices[k]!)!;
      if (value !== 0) contributions.push({ name: describeFeature(raw), ...splitFeatureName(raw), value });
    }
    contributions.sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.name.localeCompare(b.name));
    return { ...this.scoreVector(vector), contributions };
  }
}

/** The model file as text: readable card and feature list, the weight arrays on one line each. */
export function serialiseModel(file: LearnedModelFile): string {
  const checked = LearnedModelFile.parse(file);
  const marker = '"__WEIGHTS__"';
  const body = JSON.stringify({ ...checked, weights: '__WEIGHTS__' }, null, 1);
  return body.replace(marker, JSON.stringify(checked.weights)) + '\n';
}
