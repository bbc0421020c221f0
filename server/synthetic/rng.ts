// Seeded PRNG (sfc32 seeded through splitmix32) and the sampling helpers the generator uses.
// Never Math.random: the corpus must be byte-identical for the same seed.

export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `count` random decimal digits as a string (leading zeros allowed). */
  digits(count: number): string;
}

/** splitmix32 finaliser: a well-mixed 32-bit hash of x. */
export function mix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** An independent stream seed for item `index` of the corpus seeded with `seed`. */
export function streamSeed(seed: number, index: number): number {
  return mix32(mix32(seed) ^ mix32(index + 0x632be5ab));
}

class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(seed ^ 0x5bd1e995);
    this.c = mix32(seed ^ 0x1b873593);
    this.d = 1;
    // The state words are already hashed, so a short warm-up suffices (one stream per dialogue).
    for (let i = 0; i < 4; i++) this.next();
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  digits(count: number): string {
    let s = '';
    for (let i = 0; i < count; i++) s += String.fromCharCode(48 + Math.floor(this.next() * 10));
    return s;
  }
}

export function createRng(seed: number): Rng {
  return new Sfc32(seed >>> 0);
}

/** A sampler over fixed weights (cumulative table built once, scanned linearly: the tables are small). */
export interface Weighted<T> {
  sample(rng: Rng): T;
}

export function weighted<T>(entries: ReadonlyArray<readonly [T, number]>): Weighted<T> {
  const items = entries.map((e) => e[0]);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, w] of entries) cumulative.push((total += w));
  return {
    sample(rng: Rng): T {
      const r = rng.next() * total;
      for (let i = 0; i < cumulative.length; i++) if (r < (cumulative[i] as number)) return items[i] as T;
      return items[items.length - 1] as T;
    },
  };
}
