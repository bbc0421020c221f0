// npm run bench:finetune [-- --n 200000 --suite-size 500 --format openai]
// Generates N synthetic dialogues, ingests them, labels every one in bulk with gold labels derived from
// the generator's ground truth, freezes a small suite on the test split, then times buildFinetuneSet
// with the near-duplicate guard on (target <= 30 s at 200k). Last line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LABEL_SCHEMA_VERSION, LabelFields } from '../../server/domain/label.ts';
import { buildFinetuneSet } from '../../server/finetune/build-set.ts';
import { FinetuneFormat } from '../../server/finetune/examples.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { LabelRepository } from '../../server/storage/label-repository.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '200000' }, 'suite-size': { type: 'string', default: '500' }, format: { type: 'string', default: 'openai' } },
});
const n = Number(values.n);
const format = FinetuneFormat.parse(values.format);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-finetune-bench-'));
const secondsSince = (t: number) => (performance.now() - t) / 1000;

/** Gold fields from the generator's ground truth (metadata.agent_quality and friends). */
function goldFrom(row: { intent: string | null; quality: string | null; reference: string | null; facts: string | null }) {
  const quality = {
    good: { accuracy: 'correct', tone: 5 },
    curt: { accuracy: 'correct', tone: 2 },
    wrong: { accuracy: 'incorrect', tone: 4 },
    rude: { accuracy: 'partial', tone: 1 },
  }[row.quality ?? ''] ?? { accuracy: null, tone: null };
  const facts = row.facts ? (JSON.parse(row.facts) as unknown[]).filter((f): f is string => typeof f === 'string' && f.length > 0 && f.length <= 300).slice(0, 30) : [];
  return LabelFields.parse({ intent: row.intent, ...quality, reference_answer: (row.reference ?? '').slice(0, 10_000), required_facts: facts });
}

try {
  let t = performance.now();
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n, seed: 17, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  const summary = await ingestFiles(db, { paths: [corpus] });
  console.log(`generated and ingested ${summary.loaded.toLocaleString('en-US')} dialogues in ${secondsSince(t).toFixed(1)} s`);

  // LabelRepository.upsertMany writes one row per statement (~4 ms a row here, ~15 min at 200k), so
  // it labels a first slice and one INSERT … SELECT with the same mapping labels the rest.
  t = performance.now();
  const SLICE = 1_000;
  const rows = await db.all<{ id: string; intent: string | null; quality: string | null; reference: string | null; facts: string | null }>(
    `SELECT id, metadata->>'intent' AS intent, metadata->>'agent_quality' AS quality, metadata->>'reference_answer' AS reference,
            CAST(metadata->'required_facts' AS VARCHAR) AS facts FROM dialogues ORDER BY id LIMIT ${SLICE}`,
  );
  await new LabelRepository(db).upsertMany(rows.map((r) => ({ ...goldFrom(r), dialogue_id: r.id, reviewer: 'bench', status: 'submitted' as const, schema_version: LABEL_SCHEMA_VERSION })));
  await db.run(`
    INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, intent, fcr, accuracy, tone, tone_tags, escalation_needed, escalated,
                        reference_answer, required_facts, notes, turn_flags, created_at, updated_at)
    SELECT id, 'bench', 'submitted', 1, ${LABEL_SCHEMA_VERSION}, metadata->>'intent', NULL,
           CASE metadata->>'agent_quality' WHEN 'good' THEN 'correct' WHEN 'curt' THEN 'correct' WHEN 'wrong' THEN 'incorrect' WHEN 'rude' THEN 'partial' END,
           CASE metadata->>'agent_quality' WHEN 'good' THEN 5 WHEN 'curt' THEN 2 WHEN 'wrong' THEN 4 WHEN 'rude' THEN 1 END,
           '[]', NULL, NULL, coalesce(metadata->>'reference_answer', ''), coalesce(metadata->'required_facts', '[]'), '', '[]', now(), now()
    FROM dialogues WHERE id NOT IN (SELECT dialogue_id FROM labels)`);
  const [labeled] = await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM labels');
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
