// How well clusters recover known intents: purity and normalised mutual information (arithmetic-mean
// normalisation, as scikit-learn's default), and a random clustering with the same cluster sizes as
// the floor to compare against. Pure: no I/O.
import { createSeededRandom } from '../metrics/seeded-random.ts';

function contingency<C, T>(clusters: readonly C[], truth: readonly T[]): Map<C, Map<T, number>> {
  if (clusters.length !== truth.length) throw new RangeError(`clusters and truth differ in length (${clusters.length} vs ${truth.length})`);
  const table = new Map<C, Map<T, number>>();
  clusters.forEach((c, i) => {
    const row = table.get(c) ?? new Map<T, number>();
    row.set(truth[i]!, (row.get(truth[i]!) ?? 0) + 1);
    table.set(c, row);
  });
  return table;
}

/** Share of items whose cluster's most common true label is their own. */
export function clusterPurity<C, T>(clusters: readonly C[], truth: readonly T[]): number {
  if (clusters.length === 0) return NaN;
  let agree = 0;
  for (const row of contingency(clusters, truth).values()) agree += Math.max(...row.values());
  return agree / clusters.length;
}

const entropy = (counts: Iterable<number>, n: number) => {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
};

/** I(C; T) / ((H(C) + H(T)) / 2); 1 when both partitions are trivial and equal. */
export function normalisedMutualInformation<C, T>(clusters: readonly C[], truth: readonly T[]): number {
  const n = clusters.length;
  if (n === 0) return NaN;
  const table = contingency(clusters, truth);
  const truthCounts = new Map<T, number>();
  for (const t of truth) truthCounts.set(t, (truthCounts.get(t) ?? 0) + 1);
  let mi = 0;
  for (const row of table.values()) {
    const rowTotal = [...row.values()].reduce((a, b) => a + b, 0);
    for (const [t, nct] of row) mi += (nct / n) * Math.log((nct * n) / (rowTotal * truthCounts.get(t)!));
  }
  const hc = entropy([...table.values()].map((r) => [...r.values()].reduce((a, b) => a + b, 0)), n);
  const ht = entropy(truthCounts.values(), n);
  if (hc === 0 && ht === 0) return 1;
  const denominator = (hc + ht) / 2;
  return denominator === 0 ? 0 : Math.max(0, mi / denominator);
}

/** The same cluster labels shuffled (seeded): what chance gives with these cluster sizes. */
export function shuffledClusters<C>(clusters: readonly C[], seed: number | string): C[] {
  const rng = createSeededRandom(seed);
  const out = [...clusters];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextIndex(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
