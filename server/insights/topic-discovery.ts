// Topic discovery: clusters texts no known intent covers into candidate new intents. TF-IDF over
// words (dictionary-segmented for Chinese, plus word pairs), spherical k-means (k-means++ seeding,
// a few seeded restarts) for each k of a small range, k chosen by the silhouette on a sample (times
// the share of texts in clusters big enough to be topics); each
// cluster is described by its distinctive terms (c-TF-IDF, as BERTopic does) and the texts closest
// to its centroid. Deterministic for a seed. Pure: no I/O.
import type { Language } from '../domain/dialogue.ts';
import { createSeededRandom, type SeededRandom } from '../metrics/seeded-random.ts';
import { tokenize } from '../text/segment.ts';

export interface TopicInput {
  id: string;
  text: string;
}

export interface DiscoveredTopic {
  /** Member ids, closest to the centroid first. */
  members: string[];
  keyTerms: Array<{ term: string; score: number }>;
  /** The members closest to the centroid. */
  examples: Array<{ id: string; text: string; similarity: number }>;
}

export interface DiscoveryOptions {
  seed: number;
  /** The k tried; the one with the best silhouette wins. */
  ks: readonly number[];
  /** Clusters smaller than this are noise, not topics. */
  minClusterSize: number;
  /** Restarts of k-means per k (the lowest within-cluster distance wins). */
  restarts: number;
  maxIterations: number;
  /** The silhouette is taken on at most this many texts (it costs n² similarities). */
  silhouetteSample: number;
  keyTerms: number;
  examples: number;
  /** A term must occur in at least this many texts to be a feature. */
  minDocumentFrequency: number;
}

export const DEFAULT_DISCOVERY_OPTIONS: DiscoveryOptions = {
  seed: 1,
  ks: [2, 3, 4, 5, 6, 7, 8, 10, 12],
  minClusterSize: 3,
  restarts: 3,
  maxIterations: 40,
  silhouetteSample: 1000,
  keyTerms: 8,
  examples: 5,
  minDocumentFrequency: 2,
};

export interface DiscoveryResult {
  k: number;
  /** Per k tried: silhouette (cosine distance), share of texts in clusters of the minimum size, and their product (the highest wins). */
  silhouettes: Array<{ k: number; silhouette: number; coverage: number; score: number }>;
  topics: DiscoveredTopic[];
  /** Cluster index per input (-1: no features, or a cluster below the minimum size). */
  assignment: number[];
}

// Words that say nothing about what a customer wants.
const STOP_EN = new Set(
  'a an the and or but if of to in on at by for with from about as into is are was were be been being am do does did have has had i me my mine we us our you your he she it its they them their this that these those there here what which who whom how when where why can could would should will shall may might must not no yes please hi hello hey thanks thank hey just so very also too get got need want like some any all one would im ive id dont cant xxname xxnumber xxcode xxother xxemail xxphone xxurl xxaddress'.split(' '),
);
const STOP_ZH = new Set('的 了 我 你 您 是 吗 呢 啊 吧 在 有 和 就 也 都 这 那 个 一 不 没 要 想 请 问 一下 怎么 什么 如何 可以 能 还 又 把 被 给 让 好 谢谢 你好 您好 么 呀 哦 嗯 啦'.split(' '));

/** Terms of a text: words without stop words (and, in English, adjacent word pairs). */
export function topicTerms(text: string, language: Language): string[] {
  const stop = language === 'zh' ? STOP_ZH : STOP_EN;
  const words = tokenize(text.replace(/\{\{[^{}]*\}\}/g, ' '), language).filter((w) => !/^\d[\d.,]*$/.test(w));
  const kept = words.filter((w) => !stop.has(w) && !(language === 'en' && w.length < 2));
  const terms = [...kept];
  if (language === 'en') {
    for (let i = 0; i + 1 < words.length; i++) {
      if (!stop.has(words[i]!) && !stop.has(words[i + 1]!)) terms.push(`${words[i]} ${words[i + 1]}`);
    }
  }
  return terms;
}

/** L2-normalised sparse rows over a compact vocabulary. */
interface Row {
  idx: Int32Array;
  val: Float64Array;
}

export interface TfidfSpace {
  vocabulary: string[];
  rows: Row[];
}

/** Sublinear TF × smoothed IDF, unit length; terms in fewer than `minDf` texts are dropped. */
export function tfidf(termLists: readonly string[][], minDf: number): TfidfSpace {
  const df = new Map<string, number>();
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const vocabulary = [...df.entries()].filter(([, n]) => n >= minDf).map(([t]) => t).sort();
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const n = termLists.length;
  const idf = vocabulary.map((t) => Math.log((1 + n) / (1 + df.get(t)!)) + 1);
  const rows = termLists.map((terms) => {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const i = index.get(t);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const idx = Int32Array.from(tf.keys()).sort();
    const val = Float64Array.from(idx, (i) => (1 + Math.log(tf.get(i)!)) * idf[i]!);
    normalise(val);
    return { idx, val };
  });
  return { vocabulary, rows };
}

function normalise(v: Float64Array): void {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  if (s === 0) return;
  const inv = 1 / Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
}

const dotDense = (row: Row, dense: Float64Array) => {
  let s = 0;
  for (let k = 0; k < row.idx.length; k++) s += row.val[k]! * dense[row.idx[k]!]!;
  return s;
};

function dotSparse(a: Row, b: Row): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < a.idx.length && j < b.idx.length) {
    const x = a.idx[i]!;
    const y = b.idx[j]!;
    if (x === y) s += a.val[i++]! * b.val[j++]!;
    else if (x < y) i++;
    else j++;
  }
  return s;
}

export interface KMeansResult {
  assignment: number[];
  centroids: Float64Array[];
  /** Sum over rows of (1 − cosine to its centroid). */
  cost: number;
}

/** Spherical k-means (cosine) with k-means++ seeding; the best of `restarts` seeded runs. */
export function sphericalKMeans(rows: readonly Row[], dims: number, k: number, options: { seed: number; restarts: number; maxIterations: number }): KMeansResult {
  let best: KMeansResult | null = null;
  for (let r = 0; r < options.restarts; r++) {
    const run = kMeansOnce(rows, dims, k, createSeededRandom(`${options.seed}/${k}/${r}`), options.maxIterations);
    if (best === null || run.cost < best.cost - 1e-12) best = run;
  }
  return best!;
}

function kMeansOnce(rows: readonly Row[], dims: number, k: number, rng: SeededRandom, maxIterations: number): KMeansResult {
  const n = rows.length;
  const centroids: Float64Array[] = [];
  const toDense = (row: Row) => {
    const d = new Float64Array(dims);
    for (let q = 0; q < row.idx.length; q++) d[row.idx[q]!] = row.val[q]!;
    return d;
  };
  // k-means++: each next seed drawn with probability ∝ its distance to the nearest seed so far.
  const nearest = new Float64Array(n).fill(Infinity);
  let pick = rng.nextIndex(n);
  for (let c = 0; c < k; c++) {
    const centroid = toDense(rows[pick]!);
    centroids.push(centroid);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - dotDense(rows[i]!, centroid));
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    if (c + 1 === k) break;
    if (total <= 0) {
      pick = rng.nextIndex(n);
      continue;
    }
    let target = rng.next() * total;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i]!;
      if (target < 0) {
        pick = i;
        break;
      }
    }
  }
  const assignment = new Array<number>(n).fill(-1);
  let cost = Infinity;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let changed = 0;
    cost = 0;
    for (let i = 0; i < n; i++) {
      let bestC = 0;
      let bestSim = -Infinity;
      for (let c = 0; c < k; c++) {
        const s = dotDense(rows[i]!, centroids[c]!);
        if (s > bestSim) {
          bestSim = s;
          bestC = c;
        }
      }
      if (assignment[i] !== bestC) changed++;
      assignment[i] = bestC;
      cost += 1 - bestSim;
    }
    if (changed === 0 && iteration > 0) break;
    for (const c of centroids) c.fill(0);
    const sizes = new Array<number>(k).fill(0);
    for (let i = 0; i < n; i++) {
      const c = centroids[assignment[i]!]!;
      sizes[assignment[i]!]!++;
      const row = rows[i]!;
      for (let q = 0; q < row.idx.length; q++) c[row.idx[q]!]! += row.val[q]!;
    }
    for (let c = 0; c < k; c++) {
      // An emptied cluster takes the row farthest from its centroid.
      if (sizes[c] === 0) {
        let far = 0;
        let farSim = Infinity;
        for (let i = 0; i < n; i++) {
          const s = dotDense(rows[i]!, centroids[assignment[i]!]!);
          if (s < farSim) {
            farSim = s;
            far = i;
          }
        }
        centroids[c] = toDense(rows[far]!);
        assignment[far] = c;
      }
      normalise(centroids[c]!);
    }
  }
  return { assignment, centroids, cost };
}

/** Mean silhouette with cosine distance over the given rows (a sample); singletons score 0. */
export function silhouette(rows: readonly Row[], assignment: readonly number[], k: number, similarity?: Float64Array): number {
  const n = rows.length;
  const sim = similarity ?? pairwiseSimilarity(rows);
  let total = 0;
  const sums = new Float64Array(k);
  const sizes = new Int32Array(k);
  for (const a of assignment) sizes[a]!++;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[assignment[j]!]! += 1 - sim[i * n + j]!;
    const own = assignment[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (!Number.isFinite(b)) continue;
    total += (b - a) / Math.max(a, b, 1e-12);
  }
  return n === 0 ? 0 : total / n;
}

export function pairwiseSimilarity(rows: readonly Row[]): Float64Array {
  const n = rows.length;
  const sim = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = dotSparse(rows[i]!, rows[j]!);
  }
  return sim;
}

/** Clusters with k fixed (the benchmark's "true k" baseline uses it too). */
export function clusterWithK(space: TfidfSpace, k: number, options: Pick<DiscoveryOptions, 'seed' | 'restarts' | 'maxIterations'>): KMeansResult {
  return sphericalKMeans(space.rows, space.vocabulary.length, Math.min(k, space.rows.length), options);
}

export function discoverTopics(inputs: readonly TopicInput[], language: Language, options: Partial<DiscoveryOptions> = {}): DiscoveryResult {
  const o = { ...DEFAULT_DISCOVERY_OPTIONS, ...options };
  const termLists = inputs.map((d) => topicTerms(d.text, language));
  const space = tfidf(termLists, o.minDocumentFrequency);
  const usable = space.rows.map((r, i) => (r.idx.length > 0 ? i : -1)).filter((i) => i >= 0);
  const none: DiscoveryResult = { k: 0, silhouettes: [], topics: [], assignment: inputs.map(() => -1) };
  if (usable.length < Math.max(2, o.minClusterSize)) return none;
  const rows = usable.map((i) => space.rows[i]!);
  const ks = [...new Set(o.ks)].filter((k) => k >= 2 && k <= Math.floor(usable.length / o.minClusterSize)).sort((a, b) => a - b);
  // The silhouette is judged on a fixed seeded sample, the same for every k.
  const rng = createSeededRandom(`${o.seed}/sample`);
  const order = rows.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextIndex(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const sample = order.slice(0, o.silhouetteSample).sort((a, b) => a - b);
  const sampleRows = sample.map((i) => rows[i]!);
  const sim = pairwiseSimilarity(sampleRows);
  let best: { k: number; s: number; run: KMeansResult } | null = null;
  const silhouettes: DiscoveryResult['silhouettes'] = [];
  for (const k of ks) {
    const run = sphericalKMeans(rows, space.vocabulary.length, k, o);
    const s = silhouette(
      sampleRows,
      sample.map((i) => run.assignment[i]!),
      k,
      sim,
    );
    // A split into clusters too small to be topics covers fewer texts: the score is discounted by
    // the share of texts in clusters of the minimum size (else tiny clusters of near-duplicates win).
    const sizes = new Map<number, number>();
    for (const a of run.assignment) sizes.set(a, (sizes.get(a) ?? 0) + 1);
    const covered = run.assignment.filter((a) => sizes.get(a)! >= o.minClusterSize).length / run.assignment.length;
    const score = s * covered;
    silhouettes.push({ k, silhouette: round(s), coverage: round(covered), score: round(score) });
    if (best === null || score > best.s + 1e-9) best = { k, s: score, run };
  }
  // Too few texts to split: one topic of all of them.
  const run = best?.run ?? { assignment: rows.map(() => 0), centroids: [centroidOf(rows, space.vocabulary.length)], cost: 0 };
  const k = best?.k ?? 1;
  const assignment = inputs.map(() => -1);
  usable.forEach((i, r) => (assignment[i] = run.assignment[r]!));
  const topics = describeClusters(inputs, termLists, space, assignment, run.centroids, o);
  // Renumber: kept topics by size; the rest become -1.
  const renumber = new Map<number, number>();
  topics.forEach((t, i) => renumber.set(t.cluster, i));
  return {
    k,
    silhouettes,
    topics: topics.map(({ cluster: _cluster, ...t }) => t),
    assignment: assignment.map((a) => renumber.get(a) ?? -1),
  };
}

function centroidOf(rows: readonly Row[], dims: number): Float64Array {
  const c = new Float64Array(dims);
  for (const row of rows) for (let q = 0; q < row.idx.length; q++) c[row.idx[q]!]! += row.val[q]!;
  normalise(c);
  return c;
}

/** Key terms by c-TF-IDF (term frequency in the cluster × log(1 + average cluster size in terms / the term's frequency overall)), and the texts closest to the centroid. */
function describeClusters(
  inputs: readonly TopicInput[],
  termLists: readonly string[][],
  space: TfidfSpace,
  assignment: readonly number[],
  centroids: readonly Float64Array[],
  o: DiscoveryOptions,
): Array<DiscoveredTopic & { cluster: number }> {
  const clusters = new Map<number, number[]>();
  assignment.forEach((c, i) => {
    if (c < 0) return;
    const members = clusters.get(c);
    if (members) members.push(i);
    else clusters.set(c, [i]);
  });
  const perCluster = new Map<number, Map<string, number>>();
  const overall = new Map<string, number>();
  let totalTerms = 0;
  for (const [c, members] of clusters) {
    const counts = new Map<string, number>();
    for (const i of members) for (const t of termLists[i]!) counts.set(t, (counts.get(t) ?? 0) + 1);
    perCluster.set(c, counts);
    for (const [t, n] of counts) {
      overall.set(t, (overall.get(t) ?? 0) + n);
      totalTerms += n;
    }
  }
  const average = totalTerms / Math.max(1, clusters.size);
  const out: Array<DiscoveredTopic & { cluster: number }> = [];
  for (const [c, members] of clusters) {
    if (members.length < o.minClusterSize) continue;
    const counts = perCluster.get(c)!;
    const size = [...counts.values()].reduce((a, b) => a + b, 0) || 1;
    const keyTerms = [...counts.entries()]
      .filter(([, n]) => n >= 2 || members.length < 4)
      .map(([term, n]) => ({ term, score: (n / size) * Math.log(1 + average / overall.get(term)!) }))
      .sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
    // A pair whose words are both already listed adds little: keep the first o.keyTerms distinct ones.
    const chosen: Array<{ term: string; score: number }> = [];
    for (const t of keyTerms) {
      if (chosen.length >= o.keyTerms) break;
      if (t.term.includes(' ') && t.term.split(' ').every((w) => chosen.some((x) => x.term === w))) continue;
      chosen.push({ term: t.term, score: round(t.score) });
    }
    const ranked = members
      .map((i) => ({ i, similarity: dotDense(space.rows[i]!, centroids[c]!) }))
      .sort((a, b) => b.similarity - a.similarity || inputs[a.i]!.id.localeCompare(inputs[b.i]!.id));
    out.push({
      cluster: c,
      members: ranked.map((r) => inputs[r.i]!.id),
      keyTerms: chosen,
      examples: ranked.slice(0, o.examples).map((r) => ({ id: inputs[r.i]!.id, text: inputs[r.i]!.text, similarity: round(r.similarity) })),
    });
  }
  return out.sort((a, b) => b.members.length - a.members.length || a.members[0]!.localeCompare(b.members[0]!));
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;
