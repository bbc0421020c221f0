// npm run bench:topics [-- --data ../shared/data --seed 1]
// Does topic discovery find real intents, and does the intent classifier learn them? On the REAL
// intent-labeled utterances (DSTC11 finance: 1,130 utterances, 38 intents; Bitext customer support:
// 4,514 requests, 27 intents) the intents are hidden, discovery clusters the customer texts (k
// chosen by the silhouette over its range), and the clusters are scored against the true intents
// (purity, NMI) next to baselines measured in the same run: the same clusters shuffled (random
// assignment, same sizes) and k-means told the true number of intents. Then the classifier is
// trained on 80% of each set (by a hash of the id) and tested on the other 20%, next to the majority
// class. Last line: JSON.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DialogueInput } from '../../server/domain/dialogue.ts';
import { bitextReader } from '../../server/ingest/formats/bitext.ts';
import { dstc11Reader } from '../../server/ingest/formats/dstc11.ts';
import type { FormatReader } from '../../server/ingest/formats/types.ts';
import { isHeldOut } from '../../server/learn/holdout-split.ts';
import { classificationScores, fitIntentModel, intentCounts, type IntentExample } from '../../server/insights/intent-classifier.ts';
import { customerText } from '../../server/insights/intent-features.ts';
import { clusterWithK, DEFAULT_DISCOVERY_OPTIONS, discoverTopics, tfidf, topicTerms } from '../../server/insights/topic-discovery.ts';
import { clusterPurity, normalisedMutualInformation, shuffledClusters } from '../../server/insights/topic-quality.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { values } = parseArgs({ options: { data: { type: 'string', default: resolve(root, '../shared/data') }, seed: { type: 'string', default: '1' } } });
const seed = Number(values.seed);
// The range discovery searches: wide enough for a data set of 27–38 intents.
const KS = [5, 10, 15, 20, 25, 30, 35, 40, 50, 60];

async function load(reader: FormatReader, path: string): Promise<IntentExample[]> {
  const out: IntentExample[] = [];
  for await (const batch of reader.read({ path })) {
    for (const item of batch) {
      if (item.kind !== 'dialogue') continue;
      const d = item.value as DialogueInput;
      const intent = d.metadata?.intent;
      if (typeof intent === 'string') out.push({ id: d.id, text: customerText(d), intent });
    }
  }
  return out;
}

const f = (x: number) => Math.round(x * 1000) / 1000;
const sets = [
  { name: 'dstc11-finance', examples: await load(dstc11Reader, join(values.data, 'dstc11-finance', 'test-utterances.jsonl')) },
  { name: 'bitext-customer-support', examples: await load(bitextReader, join(values.data, 'bitext-customer-support', 'bitext-customer-support.csv')) },
];

const results = [];
for (const { name, examples } of sets) {
  const truth = examples.map((e) => e.intent);
  const trueK = new Set(truth).size;
  let t = performance.now();
  const found = discoverTopics(
    examples.map((e) => ({ id: e.id, text: e.text })),
    'en',
    { seed, ks: KS, minClusterSize: 3 },
  );
  const discoverySeconds = (performance.now() - t) / 1000;
  // Texts left out (no feature, or a cluster below the minimum size) count as one cluster of their own.
  const clusters = found.assignment.map((a) => (a < 0 ? 'none' : `t${a}`));
  const shuffled = shuffledClusters(clusters, `${seed}/shuffle`);
  const space = tfidf(
    examples.map((e) => topicTerms(e.text, 'en')),
    DEFAULT_DISCOVERY_OPTIONS.minDocumentFrequency,
  );
  const oracle = clusterWithK(space, trueK, { seed, restarts: DEFAULT_DISCOVERY_OPTIONS.restarts, maxIterations: DEFAULT_DISCOVERY_OPTIONS.maxIterations }).assignment;

  t = performance.now();
  const train = examples.filter((e) => !isHeldOut(e.id));
  const test = examples.filter((e) => isHeldOut(e.id));
  // Cross-validated on the training part only (that calibrates the confidences), then trained on all of it.
  const { classifier: model, cv } = fitIntentModel(train, 'en', { folds: 3 });
  const predictions = test.map((e) => model.predict(e.text));
  const majority = intentCounts(train)[0]!.intent;
  const classifierSeconds = (performance.now() - t) / 1000;
  const fitted = classificationScores(
    test.map((e) => e.intent),
    predictions.map((p) => p.intent),
  );
  const baseline = classificationScores(
    test.map((e) => e.intent),
    test.map(() => majority),
  );
  const confident = test.flatMap((e, i) => (predictions[i]!.confidence >= 0.5 ? [{ truth: e.intent, predicted: predictions[i]!.intent }] : []));
  results.push({
    data: name,
    utterances: examples.length,
    true_intents: trueK,
    discovery: {
      k_chosen: found.k,
      topics: found.topics.length,
      unclustered: clusters.filter((c) => c === 'none').length,
      purity: f(clusterPurity(clusters, truth)),
      nmi: f(normalisedMutualInformation(clusters, truth)),
      seconds: f(discoverySeconds),
      silhouettes: found.silhouettes,
    },
    baselines: {
      random_same_sizes: { purity: f(clusterPurity(shuffled, truth)), nmi: f(normalisedMutualInformation(shuffled, truth)) },
      kmeans_true_k: { k: trueK, purity: f(clusterPurity(oracle, truth)), nmi: f(normalisedMutualInformation(oracle, truth)) },
    },
    classifier: {
      train: train.length,
      cv_on_train: { folds: cv.folds, accuracy: f(cv.fitted.accuracy), macro_f1: f(cv.fitted.macro_f1) },
      test: test.length,
      accuracy: f(fitted.accuracy),
      macro_f1: f(fitted.macro_f1),
      majority: { intent: majority, accuracy: f(baseline.accuracy), macro_f1: f(baseline.macro_f1) },
      confident_share: f(confident.length / Math.max(1, predictions.length)),
      confident_accuracy: f(confident.filter((c) => c.truth === c.predicted).length / Math.max(1, confident.length)),
      seconds: f(classifierSeconds),
    },
  });
}

for (const r of results) {
  console.log(`${r.data}: ${r.utterances} utterances, ${r.true_intents} true intents (hidden from discovery)`);
  console.log(
    `  discovery   k=${r.discovery.k_chosen} (silhouette over ${KS.join(',')})  purity ${r.discovery.purity}  NMI ${r.discovery.nmi}  [${r.discovery.topics} topics, ${r.discovery.unclustered} unclustered, ${r.discovery.seconds} s]`,
  );
  console.log(`  baseline    random, same sizes        purity ${r.baselines.random_same_sizes.purity}  NMI ${r.baselines.random_same_sizes.nmi}`);
  console.log(`  baseline    k-means, true k=${r.baselines.kmeans_true_k.k}        purity ${r.baselines.kmeans_true_k.purity}  NMI ${r.baselines.kmeans_true_k.nmi}`);
  console.log(
    `  classifier  held-out 20% (${r.classifier.test})  accuracy ${r.classifier.accuracy}  macro-F1 ${r.classifier.macro_f1}  | majority "${r.classifier.majority.intent}" accuracy ${r.classifier.majority.accuracy}  macro-F1 ${r.classifier.majority.macro_f1}  [${r.classifier.seconds} s]`,
  );
  console.log(`              confidence ≥ 0.5 on ${r.classifier.confident_share} of them, accuracy there ${r.classifier.confident_accuracy}`);
}
console.log(JSON.stringify({ bench: 'topics', seed, results }));
