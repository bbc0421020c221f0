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

/**
 * Rows laid out once in CSR over the hashed indices they use (sorted), so that many fits on
 * subsets of them (cross-validation folds, λ values, targets sharing features) skip re-hashing.
 */
export interface SparseDesign {
  /** The distinct hashed indices, increasing; a column number is a position in it. */
  hashed: Int32Array;
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

export function prepareDesign(rows: readonly SparseVector[]): SparseDesign {
  let nnz = 0;
  for (const row of rows) nnz += row.indices.length;
  const all = new Int32Array(nnz);
  let p = 0;
  for (const row of rows) {
    all.set(row.indices, p);
    p += row.indices.length;
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < nnz; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  const hashed = all.slice(0, distinct);
  const rowStart = new Int32Array(rows.length + 1);
  const col = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  p = 0;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (let k = 0; k < row.indices.length; k++) {
      col[p] = findIndex(hashed, row.indices[k]!);
      val[p] = row.values[k]!;
      p++;
    }
    rowStart[r + 1] = p;
  }
  return { hashed, rowStart, col, val };
}

export function trainLogisticRegression(
  rows: readonly SparseVector[],
  targets: readonly number[],
  options: Partial<LogisticRegressionOptions> = {},
): { model: LinearModel; report: TrainReport } {
  if (rows.length !== targets.length) throw new RangeError(`rows and targets must have the same length (${rows.length} vs ${targets.length})`);
  return trainOnDesign(prepareDesign(rows), null, targets, options);
}

/**
 * Fits on the design's rows listed in `subset` (all, in order, when null); `targets` and
 * `sampleWeights` are per listed row. Same result as `trainLogisticRegression` on those rows.
 */
export function trainOnDesign(
  design: SparseDesign,
  subset: Int32Array | null,
  targets: readonly number[],
  options: Partial<LogisticRegressionOptions> = {},
): { model: LinearModel; report: TrainReport } {
  const o = { ...DEFAULT_LOGISTIC_OPTIONS, ...options };
  const n = subset === null ? design.rowStart.length - 1 : subset.length;
  if (n !== targets.length) throw new RangeError(`rows and targets must have the same length (${n} vs ${targets.length})`);
  if (n === 0) throw new RangeError('no training rows');
  for (const t of targets) if (!(t >= 0 && t <= 1)) throw new RangeError(`targets must lie in 0–1, got ${t}`);
  const sampleWeights = o.sampleWeights ?? null;
  if (sampleWeights !== null) {
    if (sampleWeights.length !== n) throw new RangeError('sampleWeights must have one weight per row');
    for (const w of sampleWeights) if (!(w > 0)) throw new RangeError(`sample weights must be positive, got ${w}`);
  }
  const { rowStart: designStart, col: designCol, val: designVal, hashed } = design;
  const rowOf = (r: number) => (subset === null ? r : subset[r]!);

  // Compact the hashed space to the columns that occur often enough (indices in a row are distinct).
  const frequency = new Int32Array(hashed.length);
  let nnz = 0;
  for (let r = 0; r < n; r++) {
    const dr = rowOf(r);
    for (let k = designStart[dr]!; k < designStart[dr + 1]!; k++) frequency[designCol[k]!]!++;
    nnz += designStart[dr + 1]! - designStart[dr]!;
  }
  const column = new Int32Array(hashed.length).fill(-1);
  let d = 0;
  for (let g = 0; g < hashed.length; g++) if (frequency[g]! >= o.minRowFrequency) column[g] = d++;
  const kept = new Int32Array(d);
  for (let g = 0; g < hashed.length; g++) if (column[g]! >= 0) kept[column[g]!] = hashed[g]!;
  const prior = o.prior ?? null;

  // CSR over compact columns.
  const rowStart = new Int32Array(n + 1);
  const colIdx = new Int32Array(nnz);
  const val = new Float64Array(nnz);
  let p = 0;
  for (let r = 0; r < n; r++) {
    const dr = rowOf(r);
    for (let k = designStart[dr]!; k < designStart[dr + 1]!; k++) {
      const c = column[designCol[k]!]!;
      if (c >= 0) {
        colIdx[p] = c;
        val[p] = designVal[k]!;
        p++;
      }
    }
    rowStart[r + 1] = p;
  }
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
  const l2 = o.l2;

  // Parameters: [w_0 … w_{d-1}, bias]. A named function over its arguments only: the loops read
  // locals, not closure slots.
  const objective = (theta: Float64Array, grad: Float64Array): number =>
    logisticObjective(theta, grad, d, n, rowStart, colIdx, val, y, sw, w0, l2, totalWeight);

  const theta0 = new Float64Array(d + 1);
  if (prior !== null) {
    theta0.set(w0);
    theta0[d] = prior.bias;
  } else {
    const mean = sw === null ? targets.reduce((a, b) => a + b, 0) / n : targets.reduce((a, t, r) => a + t * sw[r]!, 0) / totalWeight;
    theta0[d] = Math.log(Math.max(1e-6, mean) / Math.max(1e-6, 1 - mean));
  }
  const result = minimiseLbfgs(objective, theta0, { memory: o.memory, maxIterations: o.maxIterations, tolerance: o.tolerance });
  // Merge: the fitted columns, and the prior's weights on columns the rows never reach.
  const pi = prior?.indices ?? new Int32Array(0);
  const pw = prior?.weights ?? new Float64Array(0);
  const indices = new Int32Array(pi.length + d);
  const weights = new Float64Array(pi.length + d);
  let a = 0;
  let b = 0;
  let m = 0;
  while (a < pi.length || b < d) {
    if (b >= d || (a < pi.length && pi[a]! < kept[b]!)) {
      indices[m] = pi[a]!;
      weights[m++] = pw[a++]!;
    } else {
      if (a < pi.length && pi[a] === kept[b]) a++;
      indices[m] = kept[b]!;
      weights[m++] = result.x[b++]!;
    }
  }
  return {
    model: { bias: result.x[d]!, indices: indices.slice(0, m), weights: weights.slice(0, m) },
    report: { iterations: result.iterations, converged: result.converged, objective: result.value, columns: d },
  };
}

/** Weighted mean cross-entropy + λ/2·‖w − w0‖² at theta, its gradient written into grad. */
function logisticObjective(
  theta: Float64Array,
  grad: Float64Array,
  d: number,
  n: number,
  rowStart: Int32Array,
  colIdx: Int32Array,
  val: Float64Array,
  y: Float64Array,
  sw: Float64Array | null,
  w0: Float64Array,
  l2: number,
  totalWeight: number,
): number {
  grad.fill(0);
  const bias = theta[d]!;
  let loss = 0;
  let gradBias = 0;
  for (let r = 0; r < n; r++) {
    const from = rowStart[r]!;
    const to = rowStart[r + 1]!;
    let z = bias;
    for (let k = from; k < to; k++) z += theta[colIdx[k]!]! * val[k]!;
    // log(1 + e^z) - y·z and σ(z), computed stably from one exponential.
    const weight = sw === null ? 1 : sw[r]!;
    const e = Math.exp(z > 0 ? -z : z);
    const yr = y[r]!;
    loss += weight * ((z > 0 ? z + Math.log1p(e) : Math.log1p(e)) - yr * z);
    const residual = weight * ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - yr);
    for (let k = from; k < to; k++) grad[colIdx[k]!]! += residual * val[k]!;
    gradBias += residual;
  }
  let penalty = 0;
  for (let j = 0; j < d; j++) {
    const delta = theta[j]! - w0[j]!;
    grad[j] = grad[j]! / totalWeight + l2 * delta;
    penalty += delta * delta;
  }
  grad[d] = gradBias / totalWeight;
  return loss / totalWeight + 0.5 * l2 * penalty;
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
