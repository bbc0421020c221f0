// Near-duplicate detection against the eval suites: MinHash signatures over character shingles of
// the customer's turns, LSH banding to find candidates without comparing every pair, and the
// signature agreement as the Jaccard estimate.
import type { Language } from '../domain/dialogue.ts';

export const NUM_HASHES = 64;

/**
 * Shingles: Chinese as character bigrams (a word is one or two characters, so bigrams play the part
 * of words), anything else as 5-character shingles (about one English word). Text is NFKC-normalised,
 * lower-cased and whitespace-collapsed first, so spacing and full-width forms do not matter.
 */
export function shingleHashes(text: string, language: Language): Uint32Array {
  const s = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const k = language === 'zh' ? 2 : 5;
  if (s.length === 0) return new Uint32Array(0);
  if (s.length <= k) return Uint32Array.of(fnv1a(s, 0, s.length));
  const out = new Uint32Array(s.length - k + 1);
  for (let i = 0; i + k <= s.length; i++) out[i] = fnv1a(s, i, i + k);
  return out;
}

function fnv1a(s: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const SEEDS = (() => {
  const seeds = new Uint32Array(NUM_HASHES);
  let x = 0x9e3779b9;
  for (let i = 0; i < NUM_HASHES; i++) seeds[i] = x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return seeds;
})();

/** The MinHash signature: per seeded hash function, the least hash over the shingles. Empty input gives null. */
export function minhash(shingles: Uint32Array): Uint32Array | null {
  if (shingles.length === 0) return null;
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (let j = 0; j < shingles.length; j++) {
    const x = shingles[j]!;
    for (let i = 0; i < NUM_HASHES; i++) {
      // murmur3's finaliser over shingle ^ seed: a cheap, well-mixed hash family.
      let h = x ^ SEEDS[i]!;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/** The share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_HASHES; i++) if (a[i] === b[i]) same++;
  return same / NUM_HASHES;
}

/**
 * Rows per LSH band for a threshold: with b = 64/r bands a pair of similarity s becomes a candidate
 * with probability 1 - (1 - s^r)^b. r = 4 (16 bands) catches 99.98% of pairs at s = 0.8 and 95% at
 * 0.6; lower thresholds use r = 2 (32 bands).
 */
function rowsFor(threshold: number): number {
  return threshold >= 0.6 ? 4 : 2;
}

export interface NearDuplicateMatch {
  id: string;
  similarity: number;
}

/** The suite side: signatures of the reference dialogues, bucketed by band. */
export class NearDuplicateIndex {
  private readonly rows: number;
  private readonly bands: number;
  private readonly buckets: Map<string, number[]>[];
  private readonly ids: string[] = [];
  private readonly signatures: Uint32Array[] = [];

  constructor(readonly threshold: number) {
    if (!(threshold > 0 && threshold <= 1)) throw new RangeError(`a near-duplicate threshold is in (0, 1], got ${threshold}`);
    this.rows = rowsFor(threshold);
    this.bands = NUM_HASHES / this.rows;
    this.buckets = Array.from({ length: this.bands }, () => new Map());
  }

  get size(): number {
    return this.ids.length;
  }

  add(id: string, text: string, language: Language): void {
    const sig = minhash(shingleHashes(text, language));
    if (sig === null) return;
    const n = this.ids.push(id) - 1;
    this.signatures.push(sig);
    for (let b = 0; b < this.bands; b++) {
      const key = this.bandKey(sig, b);
      const bucket = this.buckets[b]!.get(key);
      if (bucket) bucket.push(n);
      else this.buckets[b]!.set(key, [n]);
    }
  }

  /** The most similar indexed dialogue at or above the threshold, if any. */
  match(text: string, language: Language): NearDuplicateMatch | undefined {
    if (this.ids.length === 0) return undefined;
    const sig = minhash(shingleHashes(text, language));
    if (sig === null) return undefined;
    let best: NearDuplicateMatch | undefined;
    const seen = new Set<number>();
    for (let b = 0; b < this.bands; b++) {
      for (const n of this.buckets[b]!.get(this.bandKey(sig, b)) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        const similarity = estimateJaccard(sig, this.signatures[n]!);
        if (similarity >= this.threshold && (!best || similarity > best.similarity)) best = { id: this.ids[n]!, similarity };
      }
    }
    return best;
  }

  private bandKey(sig: Uint32Array, band: number): string {
    let key = '';
    for (let i = band * this.rows; i < (band + 1) * this.rows; i++) key += `${sig[i]!.toString(36)},`;
    return key;
  }
}
