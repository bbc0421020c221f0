// Concurrent reads of the same key share one query: a caller joins the next query to start, never
// one already running, so its result is never older than its request (and a failing store fails it).
// Under load this turns one query per request into one per key per round trip of the store.
export function coalescedReads<K, V>(read: (key: K) => Promise<V>): (key: K) => Promise<V> {
  const running = new Map<K, Promise<V>>();
  const next = new Map<K, Promise<V>>();
  const start = (key: K): Promise<V> => {
    const query = read(key);
    running.set(key, query);
    const done = () => {
      if (running.get(key) === query) running.delete(key);
    };
    query.then(done, done);
    return query;
  };
  return (key) => {
    const current = running.get(key);
    if (current === undefined) return start(key);
    let queued = next.get(key);
    if (queued === undefined) {
      const after = () => {
        next.delete(key);
        return start(key);
      };
      queued = current.then(after, after);
      next.set(key, queued);
    }
    return queued;
  };
}

/**
 * Concurrent reads of different keys share one query of many keys: the first caller's query starts
 * at once, the callers that arrive while it runs are read together by the next one.
 */
export function batchedReads<K, V>(readMany: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let waiting: { keys: Set<K>; result: Promise<Map<K, V>> } | null = null;
  let running: Promise<unknown> | null = null;
  const start = (keys: Set<K>): Promise<Map<K, V>> => {
    const query = readMany([...keys]);
    running = query;
    const done = () => {
      if (running === query) running = null;
    };
    query.then(done, done);
    return query;
  };
  return async (key) => {
    if (running === null) return (await start(new Set([key]))).get(key);
    if (waiting === null) {
      const keys = new Set<K>();
      const after = () => {
        waiting = null;
        return start(keys);
      };
      waiting = { keys, result: running.then(after, after) };
    }
    waiting.keys.add(key);
    return (await waiting.result).get(key);
  };
}

/**
 * Reads kept in memory until `clear()` (at most `max` keys; the least recently used go first). A read
 * that began before a `clear()` answers its caller but is not kept, so nothing read before a change
 * outlives it.
 */
export function cachedReads<K, V>(read: (key: K) => Promise<V>, max: number): { get: (key: K) => Promise<V>; clear: () => void } {
  const kept = new Map<K, V>();
  let generation = 0;
  return {
    get: async (key) => {
      if (kept.has(key)) {
        const value = kept.get(key)!;
        kept.delete(key); // to the back: recently used
        kept.set(key, value);
        return value;
      }
      const began = generation;
      const value = await read(key);
      if (began === generation) {
        kept.set(key, value);
        if (kept.size > max) kept.delete(kept.keys().next().value!);
      }
      return value;
    },
    clear: () => {
      generation++;
      kept.clear();
    },
  };
}
