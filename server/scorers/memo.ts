// Pure analyses that several scorers run on the same text (a reply, a reference answer) or the same
// input, computed once. Results are shared, so they are frozen: a caller cannot change what the next
// one reads.

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

/** Freezes an analysis and everything in it (arrays, nested objects). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
