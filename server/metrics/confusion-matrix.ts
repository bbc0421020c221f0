// Confusion matrix of a classifier (a judge, an escalation decision) against the truth, with the
// per-label precision and recall that reports show.
import { assertSameLength } from './input-checks.ts';

export interface ConfusionMatrix<L> {
  labels: L[];
  /** counts[t][p]: cases whose truth is labels[t] and prediction labels[p]. */
  counts: number[][];
  total: number;
}

export interface LabelScores<L> {
  label: L;
  /** Of the cases predicted `label`, the share that truly were; NaN when none were predicted. */
  precision: number;
  /** Of the cases truly `label`, the share predicted so; NaN when there were none. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0, NaN when either is NaN. */
  f1: number;
  /** Cases truly `label`. */
  support: number;
}

/**
 * Counts truth × prediction over `labels`, in their order. A label outside `labels` throws:
 * a judge's unexpected output should be caught by its scorer, not vanish from the totals.
 */
export function confusionMatrix<L>(truth: readonly L[], predicted: readonly L[], labels: readonly L[]): ConfusionMatrix<L> {
  assertSameLength(truth, predicted, 'truth and predicted');
  const index = new Map<L, number>();
  labels.forEach((label, i) => {
    if (index.has(label)) throw new RangeError(`label ${String(label)} is listed twice`);
    index.set(label, i);
  });
  const counts = labels.map(() => labels.map(() => 0));
  const lookup = (label: L, side: string, i: number): number => {
    const found = index.get(label);
    if (found === undefined) throw new RangeError(`${side}[${i}] = ${String(label)} is not one of the labels`);
    return found;
  };
  for (let i = 0; i < truth.length; i++) {
    counts[lookup(truth[i]!, 'truth', i)]![lookup(predicted[i]!, 'predicted', i)]!++;
  }
  return { labels: [...labels], counts, total: truth.length };
}

/** Precision, recall, F1 and support for each label of a confusion matrix. */
export function labelScores<L>(matrix: ConfusionMatrix<L>): LabelScores<L>[] {
  const { labels, counts } = matrix;
  return labels.map((label, k) => {
    const truePositives = counts[k]![k]!;
    let support = 0;
    let predictedCount = 0;
    for (let j = 0; j < labels.length; j++) {
      support += counts[k]![j]!;
      predictedCount += counts[j]![k]!;
    }
    const precision = predictedCount === 0 ? NaN : truePositives / predictedCount;
    const recall = support === 0 ? NaN : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support };
  });
}

/** Share of cases on the diagonal; NaN for an empty matrix. */
export function accuracy<L>(matrix: ConfusionMatrix<L>): number {
  let correct = 0;
  matrix.counts.forEach((row, i) => (correct += row[i]!));
  return matrix.total === 0 ? NaN : correct / matrix.total;
}
