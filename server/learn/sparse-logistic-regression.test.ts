import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../metrics/seeded-random.ts';
import type { SparseVector } from './feature-hashing.ts';
import { linearScore, sigmoid, trainLogisticRegression } from './sparse-logistic-regression.ts';

/** Rows over 1,000 sparse columns: column 7 marks class 1, column 9 class 0, plus 5 noise columns each. */
function toyProblem(seed: number, n: number): { rows: SparseVector[]; labels: number[] } {
  const random = createSeededRandom(seed);
  const rows: SparseVector[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 2;
    const cols = new Set<number>([label === 1 ? 7 : 9]);
    while (cols.size < 6) cols.add(20 + random.nextIndex(980));
    const indices = Int32Array.from(cols).sort();
    rows.push({ indices, values: new Float64Array(indices.length).fill(1) });
    labels.push(label);
  }
  return { rows, labels };
}

describe('trainLogisticRegression', () => {
  it('learns a separable toy problem and generalises to fresh rows', () => {
    const train = toyProblem(1, 200);
    const { model, report } = trainLogisticRegression(train.rows, train.labels, { l2: 1e-3, minRowFrequency: 1 });
    expect(report.converged).toBe(true);
    const test = toyProblem(2, 100);
    const correct = test.rows.filter((row, i) => (sigmoid(linearScore(model, row)) >= 0.5 ? 1 : 0) === test.labels[i]).length;
    expect(correct).toBe(100);
    // The informative columns carry the largest weights, with the right signs.
    const weight = (col: number) => model.weights[Array.from(model.indices).indexOf(col)]!;
    expect(weight(7)).toBeGreaterThan(1);
    expect(weight(9)).toBeLessThan(-1);
  });

  it('gives identical weights on identical input (no hidden randomness)', () => {
    const { rows, labels } = toyProblem(5, 120);
    const a = trainLogisticRegression(rows, labels, { l2: 1e-2 });
    const b = trainLogisticRegression(rows, labels, { l2: 1e-2 });
    expect(Array.from(a.model.weights)).toEqual(Array.from(b.model.weights));
    expect(a.model.bias).toBe(b.model.bias);
  });

  it('reproduces the base rate with soft labels and no informative column', () => {
    const rows: SparseVector[] = Array.from({ length: 50 }, () => ({ indices: Int32Array.of(3), values: Float64Array.of(1) }));
    const { model } = trainLogisticRegression(rows, rows.map(() => 0.3), { l2: 1e-6, minRowFrequency: 1 });
    expect(sigmoid(linearScore(model, rows[0]!))).toBeCloseTo(0.3, 3);
  });

  it('matches the closed-form optimum of a one-feature problem', () => {
    // With column x=1 on all rows, bias and w are not identified separately, but with L2 on w only
    // the optimum puts everything in the bias: w → 0 and σ(b) = mean label.
    const rows: SparseVector[] = [0, 1, 1, 1].map(() => ({ indices: Int32Array.of(0), values: Float64Array.of(1) }));
    const { model } = trainLogisticRegression(rows, [0, 1, 1, 1], { l2: 1, minRowFrequency: 1 });
    expect(Math.abs(model.weights[0]!)).toBeLessThan(1e-3);
    expect(sigmoid(model.bias)).toBeCloseTo(0.75, 3);
  });

  it('drops columns seen in too few rows and rejects bad targets', () => {
    const rows: SparseVector[] = [
      { indices: Int32Array.of(1, 2), values: Float64Array.of(1, 1) },
      { indices: Int32Array.of(1), values: Float64Array.of(1) },
    ];
    const { model } = trainLogisticRegression(rows, [1, 0], { minRowFrequency: 2 });
    expect(Array.from(model.indices)).toEqual([1]);
    expect(() => trainLogisticRegression(rows, [1, 2])).toThrow(RangeError);
    expect(() => trainLogisticRegression(rows, [1])).toThrow(RangeError);
  });
});
