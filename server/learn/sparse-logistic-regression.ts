// L2-regularised logistic regression on sparse hashed rows, fitted by full-batch L-BFGS. Targets
// may be soft (any value in 0–1, e.g. the share of annotators who said "solved"): the loss is the
// cross-entropy against them. Only columns seen in enough training rows get a weight.
import type { SparseVector } from './feature-hashing.ts';
import { minimiseLbfgs } from './lbfgs.ts';

export interface LogisticRegressionOptions {
  /** λ in mean loss + λ/2·‖w‖² (the bias is not penalised). */
  l2: number;
  maxIterations: number;
  tolerance: number;
  /** Columns present in fewer training rows than this get no weight. */
  minRowFrequency: number;
  memory: number;
  /** Per-row weights (e.g. 0.3 for a weak label); the loss is their weighted mean. Default 1 each. */
  sampleWeights?: readonly number[];
  /**
   * Warm start: begin at this model's weights and pull towards them (λ/2·‖w − w_prior‖²) instead of
   * towards 0, so a few hundred labels adjust a model trained elsewhere instead of replacing it.
   * Its weights on columns the training rows never reach are kept as they are.
   */
  prior?: LinearModel;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticRegressionOptions = {
  l2: 1e-3,
  maxIterations: 300,
  tolerance: 1e-7,
  minRowFrequency: 2,
  memory: 10,
};

export interface LinearModel {
  bias: number;
  /** Hashed indices (increasing) with their weights. */
  indices: Int32Array;
  weights: Float64Array;
}

export interface TrainReport {
  iterations: number;
  converged: boolean;
  objective: number;
  columns: number;
}

export function trainLogisticRegression(
  rows: readonly SparseVector[],
  targets: readonly number[],
  options: Partial<LogisticRegressionOptions> = {},
): { model: LinearModel; report: TrainReport } {
  const o = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  if (rows.length !== targets.length) throw new RangeError(`rows and targets must have the same length (${rows.length} vs ${targets.length})`);
  if (rows.length === 0) throw new RangeError('no training rows');
  for (const t of targets) if (!(t >= 0 && t <= 1)) throw new RangeError(`targets must lie in 0–1, got ${t}`);
  const sampleWeights = o.sampleWeights ?? null;
  if (sampleWeights !== null) {
    if (sampleWeights.length !== rows.length) throw new RangeError('sampleWeights must have one weight per row');
    for (const w of sampleWeights) if (!(w > 0)) throw new RangeError(`sample weights must be positive, got ${w}`);
  }

  // Compact the hashed space to the columns that occur often enough.
  const frequency = new Map<number, number>();
  for (const row of rows) for (const index of row.indices) frequency.set(index, (frequency.get(index) ?? 0) + 1);
  const kept = [...frequency.entries()].filter(([, f]) => f >= o.minRowFrequency).map(([i]) => i).sort((a, b) => a - b);
  const prior = o.prior ?? null;
  const column = new Map<number, number>(kept.map((index, c) => [index, c]));
  const d = kept.length;

  // CSR over compact columns.
  const rowStart = new Int32Array(rows.length + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  rows.forEach((row, r) => {
    for (let k = 0; k < row.indices.length; k++) {
      const c = column.get(row.indices[k]!);
      if (c !== undefined) {
        cols.push(c);
        vals.push(row.values[k]!);
      }
    }
    rowStart[r + 1] = cols.length;
  });
  const colIdx = Int32Array.from(cols);
  const val = Float64Array.from(vals);
  const n = rows.length;
  const y = Float64Array.from(targets);
  const sw = sampleWeights === null ? null : Float64Array.from(sampleWeights);
  const totalWeight = sw === null ? n : sw.reduce((a, b) => a + b, 0);
  // The prior's weight on each compact column (0 where it has none).
  const w0 = new Float64Array(d);
  if (prior !== null) {
    for (let c = 0; c < d; c++) {
      const j = findIndex(prior.indices, kept[c]!);
      if (j >= 0) w0[c] = prior.weights[j]!;
    }
  }

  // Parameters: [w_0 … w_{d-1}, bias].
  const objective = (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    const bias = theta[d]!;
    let loss = 0;
    for (let r = 0; r < n; r++) {
      let z = bias;
      for (let k = rowStart[r]!; k < rowStart[r + 1]!; k++) z += theta[colIdx[k]!]! * val[k]!;
      // log(1 + e^z) - y·z, computed stably.
      const weight = sw === null ? 1 : sw[r]!;
      loss += weight * ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[r]! * z);
      const residual = weight * (sigmoid(z) - y[r]!);
      for (let k = rowStart[r]!; k < rowStart[r + 1]!; k++) grad[colIdx[k]!]! += residual * val[k]!;
      grad[d]! += residual;
    }
    let penalty = 0;
    for (let j = 0; j < d; j++) {
      const delta = theta[j]! - w0[j]!;
      grad[j] = grad[j]! / totalWeight + o.l2 * delta;
      penalty += delta * delta;
    }
    grad[d] = grad[d]! / totalWeight;
    return loss / totalWeight + 0.5 * o.l2 * penalty;
  };

  const theta0 = new Float64Array(d + 1);
  if (prior !== null) {
    theta0.set(w0);
    theta0[d] = prior.bias;
  } else {
    const mean = sw === null ? targets.reduce((a, b) => a + b, 0) / n : targets.reduce((a, t, r) => a + t * sw[r]!, 0) / totalWeight;
    theta0[d] = Math.log(Math.max(1e-6, mean) / Math.max(1e-6, 1 - mean));
  }
  const result = minimiseLbfgs(objective, theta0, { memory: o.memory, maxIterations: o.maxIterations, tolerance: o.tolerance });
  const fitted = new Map<number, number>();
  if (prior !== null) prior.indices.forEach((index, j) => fitted.set(index, prior.weights[j]!));
  kept.forEach((index, c) => fitted.set(index, result.x[c]!));
  const indices = Int32Array.from(fitted.keys()).sort();
  const weights = Float64Array.from(indices, (index) => fitted.get(index)!);
  return {
    model: { bias: result.x[d]!, indices, weights },
    report: { iterations: result.iterations, converged: result.converged, objective: result.value, columns: d },
  };
}

export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The linear score (log-odds) of a row; weights are looked up by binary search over the model's indices. */
export function linearScore(model: LinearModel, row: SparseVector): number {
  let z = model.bias;
  for (let k = 0; k < row.indices.length; k++) {
    const j = findIndex(model.indices, row.indices[k]!);
    if (j >= 0) z += model.weights[j]! * row.values[k]!;
  }
  return z;
}

export function findIndex(sorted: Int32Array, value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v === value) return mid;
    if (v < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
