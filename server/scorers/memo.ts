// Pure analyses that several scorers run on the same text (a reply, a reference answer) or the same
// input, computed once. Results are shared, so they are frozen: a caller cannot change what the next
// one reads.
import { deepFreeze } from '../domain/freeze.ts';

/** `fn` remembered for the last `size` distinct texts (cleared when full). */
export function memoByText<T extends object>(fn: (text: string) => T, size = 4096): (text: string) => Readonly<T> {
  const memo = new Map<string, Readonly<T>>();
  return (text) => {
    let hit = memo.get(text);
    if (hit === undefined) {
      hit = deepFreeze(fn(text));
      if (memo.size >= size) memo.clear();
      memo.set(text, hit);
    }
    return hit;
  };
}

