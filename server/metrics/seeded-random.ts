// Deterministic pseudo-random numbers for resampling: the same seed gives the same stream on every
// machine and Node version, so bootstrap intervals in saved reports can be reproduced exactly.
// xoshiro128** (Blackman & Vigna) seeded through splitmix32; never Math.random.

export type Seed = number | string;

export interface SeededRandom {
  /** Next unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform in [0, 1), 32 bits of resolution. */
  next(): number;
  /** Uniform integer in [0, n); bias is below n / 2^32, negligible for resampling. */
  nextIndex(n: number): number;
}

const TWO_POW_32 = 4_294_967_296;

export function createSeededRandom(seed: Seed): SeededRandom {
  let [s0, s1, s2, s3] = initialState(seed);
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result >>> 0;
  };
  return {
    nextUint32,
    next: () => nextUint32() / TWO_POW_32,
    nextIndex: (n) => Math.floor((nextUint32() / TWO_POW_32) * n),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function initialState(seed: Seed): [number, number, number, number] {
  let low: number;
  let high: number;
  if (typeof seed === 'string') {
    low = fnv1a(seed);
    high = fnv1a(`${seed}\u0000`);
  } else {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer or a string, got ${seed}`);
    low = seed >>> 0;
    high = Math.floor(seed / TWO_POW_32) >>> 0;
  }
  let state = low;
  const splitmix32 = (): number => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  const s: [number, number, number, number] = [splitmix32(), splitmix32() ^ high, splitmix32(), splitmix32()];
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the one state xoshiro cannot leave
  return s;
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
