// The train/validation split of a fine-tuning set: stratified by group (intent × language) and a pure
// function of the dialogue ids, so rebuilding the same set gives the same split.
import { createHash } from 'node:crypto';

function rank(id: string): number {
  return createHash('sha256').update(`firstcall-finetune-val:${id}`).digest().readUInt32BE(0);
}

/**
 * The ids that go to validation: round(n × valFraction) in all, shared between groups by largest
 * remainder so every group gets its proportional share; within a group, the lowest-ranked ids.
 */
export function validationIds(items: readonly { id: string; group: string }[], valFraction: number): Set<string> {
  if (!(valFraction >= 0 && valFraction < 1)) throw new RangeError(`valFraction must be within [0, 1), got ${valFraction}`);
  const groups = new Map<string, { id: string; rank: number }[]>();
  for (const { id, group } of items) {
    let list = groups.get(group);
    if (!list) groups.set(group, (list = []));
    list.push({ id, rank: rank(id) });
  }
  const keys = [...groups.keys()].sort();
  const quota = new Map(keys.map((k) => [k, Math.floor(groups.get(k)!.length * valFraction)]));
  let left = Math.round(items.length * valFraction) - [...quota.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...keys].sort((a, b) => {
    const ra = groups.get(a)!.length * valFraction - quota.get(a)!;
    const rb = groups.get(b)!.length * valFraction - quota.get(b)!;
    return rb - ra || a.localeCompare(b);
  });
  for (const key of byRemainder) {
    if (left <= 0) break;
    if (quota.get(key)! < groups.get(key)!.length) (quota.set(key, quota.get(key)! + 1), left--);
  }
  const val = new Set<string>();
  for (const key of keys) {
    const list = groups.get(key)!.sort((a, b) => a.rank - b.rank || a.id.localeCompare(b.id));
    for (const item of list.slice(0, quota.get(key)!)) val.add(item.id);
  }
  return val;
}
