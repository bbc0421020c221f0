// npm run bench:finetune [-- --n 200000 --suite-size 500 --format openai --workers K]
// Generates N synthetic dialogues, ingests them, labels every one in bulk with gold labels derived from
// the generator's ground truth and freezes a small suite on the test split. Then, in a fresh process,
// times buildFinetuneSet with the near-duplicate guard on (target <= 30 s at 200k, peak RSS < 1.5 GB),
// and, as the reference in the same run, DuckDB's own COPY of the same dialogues (turns and customer
// record included) to JSONL. Last line: JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildFinetuneSet } from '../../server/finetune/build-set.ts';
import { FinetuneFormat } from '../../server/domain/finetune.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { goldLabelsById } from '../../server/services/gold-labels.ts';
import { splitOf } from '../../server/services/splits.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { FinetuneSourceRepository } from '../../server/storage/finetune-source-repository.ts';
import { LabelRepository } from '../../server/storage/label-repository.ts';
import { QUALITY_LABELS } from '../../server/synthetic/truth-labels.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const TARGET_SECONDS = 30;
const TARGET_RSS_MB = 1536;

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200000' },
    'suite-size': { type: 'string', default: '500' },
    format: { type: 'string', default: 'openai' },
    workers: { type: 'string' },
    /** Internal: build from this store in this process and print the figures as JSON. */
    child: { type: 'string' },
    out: { type: 'string' },
  },
});
const format = FinetuneFormat.parse(values.format);
const workers = values.workers === undefined ? undefined : Number(values.workers);
const secondsSince = (t: number) => (performance.now() - t) / 1000;
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

interface ChildFigures {
  seconds: number;
  peak_rss_mb: number;
  rss_before_mb: number;
  examples: { train: number; val: number; total: number };
  tokens: number;
  exclusions: { total: number; by_reason: Record<string, number> };
  source: { gold_labeled: number; in_train_split: number; considered: number };
  hash: string;
  phases: { name: string; seconds: number; cpu_seconds: number }[];
  cpu_seconds: number;
}

if (values.child) {
  // The build alone in a fresh process, so its peak RSS is its own.
  const db = await openDatabase(values.child);
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 50);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const { card, phases } = await buildFinetuneSet(db, { name: 'bench', format, out: values.out!, nearDuplicateThreshold: 0.8, ...(workers === undefined ? {} : { workers }) });
  const seconds = secondsSince(t);
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss(), process.resourceUsage().maxRSS * 1024);
  db.close();
  const figures: ChildFigures = {
    seconds,
    peak_rss_mb: mb(peak),
    rss_before_mb: mb(before),
    examples: card.examples,
    tokens: card.tokens.total,
    exclusions: { total: card.exclusions.total, by_reason: card.exclusions.by_reason as Record<string, number> },
    source: card.source,
    hash: card.hash,
    phases,
    cpu_seconds: (used.user + used.system) / 1e6,
  };
  console.log(JSON.stringify(figures));
  process.exit(0);
}

const n = Number(values.n);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-finetune-bench-'));
try {
  let t = performance.now();
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n, seed: 17, out: corpus });
  const dbPath = join(dir, 'bench.duckdb');
  let db = await openDatabase(dbPath);
  const summary = await ingestFiles(db, { paths: [corpus] });
  console.log(`generated and ingested ${summary.loaded.toLocaleString('en-US')} dialogues in ${secondsSince(t).toFixed(1)} s`);

  t = performance.now();
  const labels = new LabelRepository(db);
  await labels.labelSyntheticTruth('bench', QUALITY_LABELS);
  console.log(`labeled ${(await labels.count()).toLocaleString('en-US')} dialogues in ${secondsSince(t).toFixed(1)} s`);
  const { suite } = await buildSuite(db, { name: 'bench-holdout', split: 'test', size: Number(values['suite-size']), dir: join(dir, 'suites') });
  console.log(`suite ${suite.name}: ${suite.cases.length} cases from the test split`);
  db.close();

  const args = [resolve('bin/run-ts.mjs'), resolve(import.meta.filename), '--child', dbPath, '--out', join(dir, 'set'), '--format', format];
  if (workers !== undefined) args.push('--workers', String(workers));
  const output = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const build = JSON.parse(output.trim().split('\n').at(-1)!) as ChildFigures;

  // The reference: DuckDB writing the same dialogues as JSONL by itself (no examples, no guards).
  db = await openDatabase(dbPath);
  const ids = [...(await goldLabelsById(db)).keys()].filter((id) => splitOf(id) === 'train');
  const copyPath = join(dir, 'copy.jsonl');
  t = performance.now();
  await new FinetuneSourceRepository(db).copyDocuments({}, ids, copyPath);
  const reference = secondsSince(t);
  db.close();

  const setBytes = statSync(join(dir, 'set', 'train.jsonl')).size + statSync(join(dir, 'set', 'val.jsonl')).size;
  console.log(`built ${format} set: ${build.examples.train} train + ${build.examples.val} val examples (${mb(setBytes)} MB), ${build.tokens.toLocaleString('en-US')} tokens (est.)`);
  console.log(`left out ${build.exclusions.total}: ${Object.entries(build.exclusions.by_reason).map(([r, k]) => `${r} ${k}`).join(', ')}`);
  console.log(`build:     ${build.seconds.toFixed(2)} s (target <= ${TARGET_SECONDS} s), peak RSS ${build.peak_rss_mb} MB (target < ${TARGET_RSS_MB} MB; ${build.rss_before_mb} MB with the store open)`);
  console.log(`phases:    ${build.phases.map((p) => `${p.name} ${p.seconds.toFixed(2)} s (${p.cpu_seconds.toFixed(1)} CPU s)`).join(', ')}; ${build.cpu_seconds.toFixed(1)} CPU s in all threads`);
  console.log(`reference: ${reference.toFixed(2)} s for DuckDB's own COPY of the same ${ids.length.toLocaleString('en-US')} dialogues to JSONL (${mb(statSync(copyPath).size)} MB); build / reference = ${(build.seconds / reference).toFixed(1)}`);
  console.log(
    JSON.stringify({
      bench: 'finetune',
      dialogues: summary.loaded,
      examples: build.examples.total,
      excluded: build.exclusions.total,
      seconds: Number(build.seconds.toFixed(2)),
      target_seconds: TARGET_SECONDS,
      cpu_seconds: Number(build.cpu_seconds.toFixed(1)),
      peak_rss_mb: build.peak_rss_mb,
      target_rss_mb: TARGET_RSS_MB,
      duckdb_copy_seconds: Number(reference.toFixed(2)),
      ratio_to_copy: Number((build.seconds / reference).toFixed(2)),
      hash: build.hash,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
