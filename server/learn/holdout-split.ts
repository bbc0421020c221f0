// Train / held-out split by hashing the dialogue id: the same id lands on the same side in every
// language (STC-3's English file translates dialogues of the Chinese one), on every machine.
import { createHash } from 'node:crypto';

export const DEFAULT_SPLIT_SALT = 'firstcall-learn-v1';

/** A number in [0, 1) from the salted id. */
export function idFraction(id: string, salt: string = DEFAULT_SPLIT_SALT): number {
  const digest = createHash('sha256').update(`${salt}\u0000${id}`).digest();
  return digest.readUInt32BE(0) / 4_294_967_296;
}

export function isHeldOut(id: string, heldOutShare = 0.2, salt: string = DEFAULT_SPLIT_SALT): boolean {
  return idFraction(id, salt) < heldOutShare;
}

export function splitById<T extends { id: string }>(items: readonly T[], heldOutShare = 0.2, salt: string = DEFAULT_SPLIT_SALT): { train: T[]; heldOut: T[] } {
  const train: T[] = [];
  const heldOut: T[] = [];
  for (const item of items) (isHeldOut(item.id, heldOutShare, salt) ? heldOut : train).push(item);
  return { train, heldOut };
}
