// The synthetic sample carries its own ground truth (metadata written by the generator); imported
// as gold labels (source `import`) it lets the demo build suites and fine-tuning sets before any
// reviewer has labeled, while reviewers can still label the same dialogues for agreement.
import type { Database } from '../storage/database.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';

/** agent_quality -> accuracy and tone, as the generator writes the replies. */
export const QUALITY_LABELS = {
  good: { accuracy: 'correct', tone: 5 },
  curt: { accuracy: 'correct', tone: 2 },
  wrong: { accuracy: 'incorrect', tone: 4 },
  rude: { accuracy: 'partial', tone: 1 },
} as const;

export async function importSyntheticTruth(db: Database, decidedBy = 'synthetic-truth'): Promise<number> {
  return new GoldLabelRepository(db).importSyntheticTruth(QUALITY_LABELS, decidedBy);
}
