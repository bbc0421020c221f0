// Feature hashing ("the hashing trick"): feature names go straight to a fixed index space, so a model
// needs no vocabulary and a JSON file of pruned weights is all it ships.

/** A sparse row: strictly increasing indices with their values. */
export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

/** 32-bit FNV-1a over UTF-16 code units, finished with murmur3's fmix32 so low bits mix well. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function featureIndex(name: string, bits: number): number {
  return hashString(name) & ((1 << bits) - 1);
}

/** Accumulates named features into a hashed sparse vector, remembering one name per index when asked. */
export class FeatureBuilder {
  private readonly sums = new Map<number, number>();
  readonly names: Map<number, string> | null;

  constructor(
    readonly bits: number,
    keepNames = false,
  ) {
    this.names = keepNames ? new Map() : null;
  }

  add(name: string, value: number): void {
    if (value === 0) return;
    const index = featureIndex(name, this.bits);
    this.sums.set(index, (this.sums.get(index) ?? 0) + value);
    if (this.names !== null && !this.names.has(index)) this.names.set(index, name);
  }

  /** Adds a block of counts as sublinear term frequencies (1 + ln tf), scaled to unit L2 norm times `weight`. */
  addBlock(prefix: string, counts: ReadonlyMap<string, number>, weight = 1): void {
    let norm = 0;
    for (const tf of counts.values()) norm += (1 + Math.log(tf)) ** 2;
    if (norm === 0) return;
    const scale = weight / Math.sqrt(norm);
    for (const [term, tf] of counts) this.add(`${prefix}:${term}`, (1 + Math.log(tf)) * scale);
  }

  build(): SparseVector {
    const indices = Int32Array.from(this.sums.keys()).sort();
    const values = new Float64Array(indices.length);
    for (let i = 0; i < indices.length; i++) values[i] = this.sums.get(indices[i]!)!;
    return { indices, values };
  }
}
