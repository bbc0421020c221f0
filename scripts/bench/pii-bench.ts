// npm run bench:pii [-- --seconds 2] [-- --module path/to/other-redactor.ts]
// Scores PII redaction on the hand-labeled corpus evals/pii/pii-corpus.jsonl (built by
// evals/pii/build-corpus.ts): precision and recall per type and overall, a predicted span
// counting as found when it overlaps an expected span of the same type (each expected span found at
// most once). Then measures throughput (texts/s) over the same texts next to a reference run in the
// same process: `String.prototype.normalize('NFKC')` alone over each text, the least any
// normalising redactor has to do. `--module` scores another file exporting the same findPii/redactPii
// (e.g. an older version of server/text/pii-redaction.ts). The last line is one JSON object with the figures.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { pathToFileURL } from 'node:url';
import { PII_TYPES, type PiiMatch, type PiiType, type RedactionResult } from '../../server/text/pii-redaction.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' }, corpus: { type: 'string' }, module: { type: 'string' } } });
const redactor = (await import(values.module ? pathToFileURL(resolve(values.module)).href : '../../server/text/pii-redaction.ts')) as {
  findPii: (text: string) => PiiMatch[];
  redactPii: (text: string) => RedactionResult;
};
const { findPii, redactPii } = redactor;
const seconds = Number(values.seconds);
const corpusPath = values.corpus ?? join(import.meta.dirname, '..', '..', 'evals', 'pii', 'pii-corpus.jsonl');

const Row = z.object({
  id: z.string(),
  lang: z.enum(['zh', 'en']),
  text: z.string(),
  spans: z.array(z.object({ type: z.enum(PII_TYPES), start: z.number().int(), end: z.number().int() })),
  tags: z.array(z.string()),
});
const rows = readFileSync(corpusPath, 'utf8').split('\n').filter(Boolean).map((line) => Row.parse(JSON.parse(line)));

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}
const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0 });
const byType = Object.fromEntries(PII_TYPES.map((t) => [t, tally()])) as Record<PiiType, Tally>;
const overall = tally();
const misses: string[] = [];

for (const row of rows) {
  const found = findPii(row.text);
  const used = new Set<number>();
  for (const p of found) {
    const i = row.spans.findIndex((e, k) => !used.has(k) && e.type === p.type && p.start < e.end && e.start < p.end);
    if (i === -1) {
      byType[p.type].fp++;
      overall.fp++;
      misses.push(`  false positive ${p.type} ${JSON.stringify(row.text.slice(p.start, p.end))} in ${row.id}: ${JSON.stringify(row.text)}`);
    } else {
      used.add(i);
      byType[p.type].tp++;
      overall.tp++;
    }
  }
  row.spans.forEach((e, k) => {
    if (used.has(k)) return;
    byType[e.type].fn++;
    overall.fn++;
    misses.push(`  missed ${e.type} ${JSON.stringify(row.text.slice(e.start, e.end))} in ${row.id} [${row.tags.join(', ')}]: ${JSON.stringify(row.text)}`);
  });
}

const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const scores = (t: Tally) => ({ precision: ratio(t.tp, t.tp + t.fp), recall: ratio(t.tp, t.tp + t.fn), tp: t.tp, fp: t.fp, fn: t.fn });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);

console.log(`corpus: ${rows.length} texts (${rows.filter((r) => r.lang === 'zh').length} zh, ${rows.filter((r) => r.lang === 'en').length} en), ` +
  `${rows.reduce((n, r) => n + r.spans.length, 0)} labeled spans, ${rows.filter((r) => r.spans.length === 0).length} look-alike texts with none`);
console.log('type        precision  recall    tp   fp   fn');
const perType: Record<string, ReturnType<typeof scores>> = {};
for (const type of PII_TYPES) {
  const s = scores(byType[type]);
  perType[type] = s;
  console.log(`${type.padEnd(10)} ${pct(s.precision)}   ${pct(s.recall)} ${String(s.tp).padStart(5)}${String(s.fp).padStart(5)}${String(s.fn).padStart(5)}`);
}
const all = scores(overall);
console.log(`${'overall'.padEnd(10)} ${pct(all.precision)}   ${pct(all.recall)} ${String(all.tp).padStart(5)}${String(all.fp).padStart(5)}${String(all.fn).padStart(5)}`);
if (misses.length > 0) console.log(`errors:\n${misses.join('\n')}`);

/** Texts per second of `work` over the corpus, repeated for about `budget` seconds (after a warm-up pass). */
function throughput(work: (text: string) => unknown, budget: number): number {
  for (const r of rows) work(r.text);
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < budget * 1000) {
    for (const r of rows) work(r.text);
    n += rows.length;
  }
  return n / ((performance.now() - started) / 1000);
}
// Alternate the two, so load from other processes falls on both alike.
const half = seconds / 4;
let ours = 0;
let reference = 0;
for (let round = 0; round < 2; round++) {
  ours += throughput((t) => redactPii(t), half) / 2;
  reference += throughput((t) => t.normalize('NFKC'), half) / 2;
}
console.log(`redactPii:          ${Math.round(ours).toLocaleString('en-US')} texts/s`);
console.log(`normalize('NFKC'):  ${Math.round(reference).toLocaleString('en-US')} texts/s (reference: normalisation alone, no matching)`);
console.log(`ratio:              ${(ours / reference).toFixed(2)}`);
console.log(
  JSON.stringify({
    bench: 'pii',
    module: values.module ?? 'server/text/pii-redaction.ts',
    texts: rows.length,
    spans: overall.tp + overall.fn,
    precision: Number(all.precision.toFixed(4)),
    recall: Number(all.recall.toFixed(4)),
    per_type: Object.fromEntries(Object.entries(perType).map(([t, s]) => [t, { precision: Number(s.precision.toFixed(4)), recall: Number(s.recall.toFixed(4)) }])),
    texts_per_s: Math.round(ours),
    reference_nfkc_texts_per_s: Math.round(reference),
    ratio: Number((ours / reference).toFixed(3)),
  }),
);
