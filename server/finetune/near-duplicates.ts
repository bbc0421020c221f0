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
  const seeds = new Int32Array(NUM_HASHES);
  let x = 0x9e3779b9;
  for (let i = 0; i < NUM_HASHES; i++) seeds[i] = x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
  return seeds;
})();

/**
 * The MinHash signature: per seeded hash function, the least hash over the shingles. Empty input gives null.
 * Four hash functions per pass over the shingles (independent chains the CPU overlaps), compared as
 * int32 after flipping the top bit (the same order as uint32, without leaving 32-bit integer arithmetic).
 */
export function minhash(shingles: Uint32Array): Uint32Array | null {
  const n = shingles.length;
  if (n === 0) return null;
  const sig = new Uint32Array(NUM_HASHES);
  for (let i = 0; i < NUM_HASHES; i += 4) {
    const s0 = SEEDS[i]!;
    const s1 = SEEDS[i + 1]!;
    const s2 = SEEDS[i + 2]!;
    const s3 = SEEDS[i + 3]!;
    let m0 = 0x7fffffff;
    let m1 = 0x7fffffff;
    let m2 = 0x7fffffff;
    let m3 = 0x7fffffff;
    for (let j = 0; j < n; j++) {
      const x = shingles[j]!;
      m0 = Math.min(m0, flippedHash(x ^ s0));
      m1 = Math.min(m1, flippedHash(x ^ s1));
      m2 = Math.min(m2, flippedHash(x ^ s2));
      m3 = Math.min(m3, flippedHash(x ^ s3));
    }
    sig[i] = m0 ^ 0x80000000;
    sig[i + 1] = m1 ^ 0x80000000;
    sig[i + 2] = m2 ^ 0x80000000;
    sig[i + 3] = m3 ^ 0x80000000;
  }
  return sig;
}

/** murmur3's finaliser (a cheap, well-mixed hash family over shingle ^ seed), top bit flipped, as int32. */
function flippedHash(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16) ^ 0x80000000;
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
  /** Per band: a hash of the band's rows -> indexed dialogues (a hash may collide: rows are compared before a dialogue counts). */
  private readonly buckets: Map<number, number[]>[];
  private readonly ids: string[] = [];
  /** Every signature, NUM_HASHES values each, in index order. */
  private signatures = new Uint32Array(NUM_HASHES * 64);
  /** Per indexed dialogue, the last query that looked at it (so each is compared once per query). */
  private seenBy = new Uint32Array(64);
  private query = 0;

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
    if ((n + 1) * NUM_HASHES > this.signatures.length) {
      const grown = new Uint32Array(this.signatures.length * 2);
      grown.set(this.signatures);
      this.signatures = grown;
      const seen = new Uint32Array(this.seenBy.length * 2);
      seen.set(this.seenBy);
      this.seenBy = seen;
    }
    this.signatures.set(sig, n * NUM_HASHES);
    for (let b = 0; b < this.bands; b++) {
      const key = this.bandKey(sig, b);
      const bucket = this.buckets[b]!.get(key);
      if (bucket) bucket.push(n);
      else this.buckets[b]!.set(key, [n]);
    }
  }

  /** The most similar indexed dialogue at or above the threshold, if any (the first found among equals). */
  match(text: string, language: Language): NearDuplicateMatch | undefined {
    if (this.ids.length === 0) return undefined;
    const sig = minhash(shingleHashes(text, language));
    if (sig === null) return undefined;
    if (++this.query === 0xffffffff) (this.seenBy.fill(0), (this.query = 1));
    const sigs = this.signatures;
    let best = -1;
    let bestSame = -1;
    for (let b = 0; b < this.bands; b++) {
      const bucket = this.buckets[b]!.get(this.bandKey(sig, b));
      if (bucket === undefined) continue;
      const from = b * this.rows;
      for (const n of bucket) {
        if (this.seenBy[n] === this.query) continue;
        const base = n * NUM_HASHES;
        let band = true;
        for (let i = from; i < from + this.rows && band; i++) band = sigs[base + i] === sig[i];
        if (!band) continue; // a hash collision, not a shared band
        this.seenBy[n] = this.query;
        let same = 0;
        for (let i = 0; i < NUM_HASHES; i++) if (sigs[base + i] === sig[i]) same++;
        if (same > bestSame) (bestSame = same), (best = n);
      }
    }
    const similarity = bestSame / NUM_HASHES;
    return best >= 0 && similarity >= this.threshold ? { id: this.ids[best]!, similarity } : undefined;
  }

  private bandKey(sig: Uint32Array, band: number): number {
    let h = 0x811c9dc5;
    for (let i = band * this.rows; i < (band + 1) * this.rows; i++) h = Math.imul(h ^ sig[i]!, 0x01000193);
    return h >>> 0;
  }
}
