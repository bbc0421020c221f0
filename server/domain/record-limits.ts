// What a record must keep to be storable, checked at ingest and again when stored data is read back:
// metadata bounded in depth and size (a record nested thousands of levels deep overflows the stack of
// every JSON.stringify downstream), and well-formed Unicode (JSON may spell a lone surrogate, "\ud800",
// which no UTF-8 store can hold).

export const METADATA_MAX_DEPTH = 32;
export const METADATA_MAX_BYTES = 64 * 1024;

/**
 * Why `metadata` may not be stored, or undefined when it may. `sizeBound`, when known, is an upper
 * bound of its serialised size in bytes (e.g. from the raw line): under the limit, no serialising.
 */
export function metadataProblem(metadata: unknown, sizeBound?: number): string | undefined {
  if (metadata === undefined || metadata === null) return undefined;
  if (depthOf(metadata, METADATA_MAX_DEPTH + 1) > METADATA_MAX_DEPTH) {
    return `metadata nested deeper than ${METADATA_MAX_DEPTH} levels`;
  }
  if (sizeBound !== undefined && sizeBound <= METADATA_MAX_BYTES) return undefined;
  const bytes = Buffer.byteLength(JSON.stringify(metadata) ?? '');
  if (bytes > METADATA_MAX_BYTES) {
    return `metadata is ${(bytes / 1024).toFixed(1)} KiB serialised, over the ${METADATA_MAX_BYTES / 1024} KiB limit`;
  }
  return undefined;
}

/** Nesting depth of objects and arrays (a scalar is 0, `{}` is 1), counted no further than `stopAt`. */
export function depthOf(value: unknown, stopAt = Infinity): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) max = depth;
    if (max >= stopAt) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
    }
  }
  return max;
}

const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/** Where `value` holds a string (or key) with a lone surrogate, as a path like `turns[2].text`; undefined when none does. */
export function loneSurrogatePath(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return path || '(value)';
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}[${i}]`]);
    } else if (typeof v === 'object' && v !== null) {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const at = path ? `${path}.${key}` : key;
        if (!isWellFormed(key)) return `${at} (key)`;
        stack.push([child, at]);
      }
    }
  }
  return undefined;
}

/** A JSON text that spells a surrogate with a \u escape; only such text can parse into a lone one. */
export function mayHoldLoneSurrogate(json: string): boolean {
  return json.includes('\\u') && /\\u[dD][89a-fA-F]/.test(json);
}
