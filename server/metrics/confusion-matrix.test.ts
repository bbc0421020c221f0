import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, labelScores } from './confusion-matrix.ts';

describe('confusionMatrix', () => {
  it('counts truth as rows and predictions as columns, in the order of labels', () => {
    const truth = ['yes', 'yes', 'no', 'no', 'no', 'maybe'];
    const predicted = ['yes', 'no', 'no', 'no', 'yes', 'no'];
    expect(confusionMatrix(truth, predicted, ['no', 'yes', 'maybe'])).toEqual({
      labels: ['no', 'yes', 'maybe'],
      counts: [
        [2, 1, 0],
        [1, 1, 0],
        [1, 0, 0],
      ],
      total: 6,
    });
  });

  it('works on booleans (escalate or not)', () => {
    const matrix = confusionMatrix([true, true, false, false], [true, false, true, false], [true, false]);
    expect(matrix.counts).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('is all zeros for no items', () => {
    expect(confusionMatrix([], [], ['a', 'b'])).toEqual({ labels: ['a', 'b'], counts: [[0, 0], [0, 0]], total: 0 });
  });

  it('rejects a label outside the list, a duplicated label and unpaired input', () => {
    expect(() => confusionMatrix(['a'], ['c'], ['a', 'b'])).toThrow(/predicted\[0\] = c is not one of the labels/);
    expect(() => confusionMatrix(['a'], ['a'], ['a', 'a'])).toThrow(RangeError);
    expect(() => confusionMatrix(['a'], [], ['a'])).toThrow(RangeError);
  });
});

describe('labelScores', () => {
  it('computes precision, recall, F1 and support per label', () => {
    // escalation: truth true = should escalate
    const truth = [true, true, true, true, false, false, false, false, false, false];
    const predicted = [true, true, true, false, true, false, false, false, false, false];
    const [escalate, keep] = labelScores(confusionMatrix(truth, predicted, [true, false]));
    expect(escalate).toEqual({ label: true, precision: 0.75, recall: 0.75, f1: 0.75, support: 4 });
    expect(keep!.precision).toBeCloseTo(5 / 6, 15);
    expect(keep!.recall).toBeCloseTo(5 / 6, 15);
    expect(keep!.support).toBe(6);
  });

  it('uses NaN for a precision or recall with nothing to divide by, and F1 0 when both are 0', () => {
    const [a, b, c] = labelScores(confusionMatrix(['a', 'a', 'b'], ['b', 'b', 'a'], ['a', 'b', 'c']));
    expect(a).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 2 });
    expect(b).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(c!.precision).toBeNaN();
    expect(c!.recall).toBeNaN();
    expect(c!.f1).toBeNaN();
  });
});

describe('accuracy', () => {
  it('is the diagonal share, NaN for no items', () => {
    expect(accuracy(confusionMatrix([1, 2, 3, 1], [1, 2, 1, 1], [1, 2, 3]))).toBe(0.75);
    expect(accuracy(confusionMatrix([], [], [1]))).toBeNaN();
  });
});
