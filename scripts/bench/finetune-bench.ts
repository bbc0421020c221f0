// npm run bench:finetune [-- --n 200000 --suite-size 500 --format openai]
// Generates N synthetic dialogues, ingests them, labels every one in bulk with gold labels derived from
// the generator's ground truth, freezes a small suite on the test split, then times buildFinetuneSet
// with the near-duplicate guard on (target <= 30 s at 200k). Last line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFinetuneSet } from '../../server/finetune/build-set.ts';
import { FinetuneFormat } from '../../server/domain/finetune.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { LabelRepository } from '../../server/storage/label-repository.ts';
import { QUALITY_LABELS } from '../../server/synthetic/truth-labels.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '200000' }, 'suite-size': { type: 'string', default: '500' }, format: { type: 'string', default: 'openai' } },
});
const n = Number(values.n);
const format = FinetuneFormat.parse(values.format);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-finetune-bench-'));
const secondsSince = (t: number) => (performance.now() - t) / 1000;

try {
  let t = performance.now();
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n, seed: 17, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  const summary = await ingestFiles(db, { paths: [corpus] });
  console.log(`generated and ingested ${summary.loaded.toLocaleString('en-US')} dialogues in ${secondsSince(t).toFixed(1)} s`);

  t = performance.now();
  const labels = new LabelRepository(db);
  await labels.labelSyntheticTruth('bench', QUALITY_LABELS);
  const labeled = { n: await labels.count() };
  console.log(`labeled ${labeled!.n.toLocaleString('en-US')} dialogues in ${secondsSince(t).toFixed(1)} s`);

  const { suite } = await buildSuite(db, { name: 'bench-holdout', split: 'test', size: Number(values['suite-size']), dir: join(dir, 'suites') });
  console.log(`suite ${suite.name}: ${suite.cases.length} cases from the test split`);

  // RSS sampled while the build runs (the process peak also covers generation and ingest).
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  t = performance.now();
  const { card } = await buildFinetuneSet(db, { name: 'bench', format, out: join(dir, 'set'), nearDuplicateThreshold: 0.8 });
  const seconds = secondsSince(t);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  db.close();

  const mb = (bytes: number) => Math.round(bytes / 2 ** 20);
  console.log(`built ${card.format} set: ${card.examples.train} train + ${card.examples.val} val examples, ${card.tokens.total.toLocaleString('en-US')} tokens (est.)`);
  console.log(`left out ${card.exclusions.total}: ${Object.entries(card.exclusions.by_reason).map(([r, k]) => `${r} ${k}`).join(', ')}`);
  console.log(`build: ${seconds.toFixed(2)} s (target <= 30 s), peak RSS during build ${mb(peak)} MB, process peak ${mb(process.resourceUsage().maxRSS * 1024)} MB`);
  console.log(
    JSON.stringify({
      bench: 'finetune',
      dialogues: summary.loaded,
      examples: card.examples.total,
      seconds: Number(seconds.toFixed(2)),
      peak_rss_mb: mb(peak),
      excluded: card.exclusions.total,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
