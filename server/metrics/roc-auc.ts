// Area under the ROC curve: the chance that a random positive scores above a random negative, ties
// counting one half (the Mann–Whitney U statistic over n⁺·n⁻), computed from average ranks.
import { assertFiniteNumbers, assertSameLength } from './input-checks.ts';
import { averageRanks } from './rank-correlation.ts';

/**
 * ROC AUC of `scores` against binary `labels` (true = positive). Null when either class is empty
 * (no pair to compare). Ties between a positive and a negative count 0.5, as in sklearn's roc_auc_score.
 */
export function rocAuc(scores: readonly number[], labels: readonly boolean[]): number | null {
  assertSameLength(scores, labels, 'scores and labels');
  assertFiniteNumbers(scores, 'scores');
  const ranks = averageRanks(scores);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]) {
      positives++;
      rankSum += ranks[i]!;
    }
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const u = rankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
