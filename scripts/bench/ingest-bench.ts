// npm run bench:ingest [-- --n 200000 --seed 7]
// Generates N synthetic dialogues, ingests them with firstcall (validation, redaction, dedupe on)
// and loads the same JSONL with DuckDB's own read_json_auto into a scratch table, each in a fresh
// process and a fresh database file. Also ingests N/4 to show whether peak RSS grows with N.
// The last line is one JSON object with the figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '200000' }, seed: { type: 'string', default: '7' } } });
const n = Number(values.n);
const seed = Number(values.seed);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-bench-'));
const runner = join(import.meta.dirname, '..', '..', 'bin', 'run-ts.mjs');
const child = join(import.meta.dirname, 'ingest-child.ts');

interface ChildResult {
  mode: string;
  records: number;
  seconds: number;
  peak_rss_mb: number;
}
const measure = (mode: 'firstcall' | 'raw', file: string, tag: string): ChildResult =>
  JSON.parse(execFileSync(process.execPath, [runner, child, mode, file, join(dir, `${mode}-${tag}.duckdb`)], { encoding: 'utf8' }).trim().split('\n').pop()!);

try {
  const file = join(dir, 'corpus.jsonl');
  const small = join(dir, 'corpus-small.jsonl');
  const corpus = await writeCorpus({ n, seed, out: file });
  await writeCorpus({ n: Math.max(1, Math.floor(n / 4)), seed, out: small });
  const mb = statSync(file).size / 1e6;
  console.log(`corpus: ${n.toLocaleString('en-US')} dialogues + ${corpus.customers.toLocaleString('en-US')} customers, ${mb.toFixed(0)} MB`);

  const raw = measure('raw', file, 'n');
  const ours = measure('firstcall', file, 'n');
  const oursSmall = measure('firstcall', small, 'small');
  const rawRate = n / raw.seconds;
  const ourRate = n / ours.seconds;
  console.log(`duckdb read_json_auto: ${raw.seconds.toFixed(2)} s, ${Math.round(rawRate).toLocaleString('en-US')} dialogues/s (reference, no validation)`);
  console.log(`firstcall ingest:      ${ours.seconds.toFixed(2)} s, ${Math.round(ourRate).toLocaleString('en-US')} dialogues/s (zod validation, PII redaction, dedupe, turns table)`);
  console.log(`ratio firstcall/raw:   ${(ourRate / rawRate).toFixed(2)}   (target >= 0.5)`);
  console.log(`firstcall peak RSS:    ${ours.peak_rss_mb} MB at N=${n}, ${oursSmall.peak_rss_mb} MB at N=${Math.floor(n / 4)}`);
  console.log(
    JSON.stringify({
      bench: 'ingest',
      n,
      corpus_mb: Math.round(mb),
      firstcall_seconds: Number(ours.seconds.toFixed(3)),
      firstcall_rate: Math.round(ourRate),
      raw_seconds: Number(raw.seconds.toFixed(3)),
      raw_rate: Math.round(rawRate),
      ratio: Number((ourRate / rawRate).toFixed(3)),
      peak_rss_mb: ours.peak_rss_mb,
      peak_rss_mb_quarter_n: oursSmall.peak_rss_mb,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
