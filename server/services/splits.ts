// The train/dev/test split of a dialogue: a pure function of its id, so a dialogue is in the same
// split for every suite and every fine-tuning set, and the two never mix.
import { createHash } from 'node:crypto';
import type { Split } from '../domain/eval.ts';

/** Percent of dialogues in train and dev; the rest are test. */
export const SPLIT_SHARES = { train: 80, dev: 10 } as const;

export function splitOf(dialogueId: string): Split {
  const bucket = createHash('sha256').update(`firstcall-split:${dialogueId}`).digest().readUInt32BE(0) % 100;
  if (bucket < SPLIT_SHARES.train) return 'train';
  if (bucket < SPLIT_SHARES.train + SPLIT_SHARES.dev) return 'dev';
  return 'test';
}

/** A stable pseudo-random rank of a dialogue, for stratified selection that does not depend on load order. */
export function rankOf(dialogueId: string): number {
  return createHash('sha256').update(`firstcall-rank:${dialogueId}`).digest().readUInt32BE(0);
}
