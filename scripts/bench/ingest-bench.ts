// npm run bench:ingest [-- --n 200000 --seed 7]
// Generates N synthetic dialogues, ingests them with firstcall (validation, redaction, dedupe on)
// and loads the same JSONL with DuckDB's own read_json_auto into a scratch table, each in a fresh
// process and a fresh database file. Also ingests N/4 to show whether peak RSS grows with N.
// Validation and redaction run on worker threads (server/ingest/stage-pool.ts). CPU seconds are
// printed too: on a machine busy with other work, wall-clock rates follow each side's share of the
// cores, and the load average says how busy it was. The last line is one JSON object with the figures.
// It also measures, in the same run, a lower bound for any ingest that does this work on this machine:
// the parts none can skip, each alone in its own process (ingest-child.ts floor-stage, floor-load):
// decoding, parsing, validating and redacting every line on one thread, and DuckDB loading the file
// itself into the store's tables. Their CPU seconds over the cores (as if spread perfectly) give the
// floor, and the reference's time over the floor is the best ratio this machine allows.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
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
  cpu_seconds: number;
  /** CPU seconds after the process started and loaded its modules. */
  work_cpu_seconds: number;
  peak_rss_mb: number;
  /** firstcall only: memory as sampled when RSS peaked (see ingest-child.ts). */
  at_peak?: { rss_mb: number; main_heap_mb: number; duckdb_mb: number; duckdb_tags_mb: Record<string, number> };
}
const measure = (mode: 'firstcall' | 'raw' | 'floor-stage' | 'floor-load', file: string, tag: string): ChildResult =>
  JSON.parse(execFileSync(process.execPath, [runner, child, mode, file, join(dir, `${mode}-${tag}.duckdb`)], { encoding: 'utf8' }).trim().split('\n').pop()!);

try {
  const file = join(dir, 'corpus.jsonl');
  const small = join(dir, 'corpus-small.jsonl');
  const corpus = await writeCorpus({ n, seed, out: file });
  await writeCorpus({ n: Math.max(1, Math.floor(n / 4)), seed, out: small });
  const mb = statSync(file).size / 1e6;
  console.log(`corpus: ${n.toLocaleString('en-US')} dialogues + ${corpus.customers.toLocaleString('en-US')} customers, ${mb.toFixed(0)} MB`);

  const loadBefore = loadavg()[0]!;
  const raw = measure('raw', file, 'n');
  const ours = measure('firstcall', file, 'n');
  const oursSmall = measure('firstcall', small, 'small');
  const stageFloor = measure('floor-stage', file, 'n');
  const loadFloor = measure('floor-load', file, 'n');
  const cores = availableParallelism();
  // No ingest on this machine can take less: it does at least this CPU work, on at most `cores` cores at once.
  const floorSeconds = (stageFloor.work_cpu_seconds + loadFloor.work_cpu_seconds) / cores;
  const bestRatio = raw.seconds / floorSeconds;
  const rawRate = n / raw.seconds;
  const ourRate = n / ours.seconds;
  const loadAfter = loadavg()[0]!;
  const ratio = ourRate / rawRate;
  const rate = (x: number) => Math.round(x).toLocaleString('en-US').padStart(8);
  console.log(`duckdb read_json_auto: ${raw.seconds.toFixed(2).padStart(6)} s, ${rate(rawRate)} dialogues/s, ${raw.cpu_seconds.toFixed(1)} CPU s (reference, no validation, same file, same run)`);
  console.log(`firstcall ingest:      ${ours.seconds.toFixed(2).padStart(6)} s, ${rate(ourRate)} dialogues/s, ${ours.cpu_seconds.toFixed(1)} CPU s (zod validation, PII redaction, dedupe, turns table)`);
  console.log(`ratio firstcall/raw:   ${ratio.toFixed(2)}   (target >= 0.5); CPU-time ratio ${(raw.cpu_seconds / ours.cpu_seconds).toFixed(2)}`);
  console.log(
    `floor on this machine: ${floorSeconds.toFixed(2).padStart(6)} s = (${stageFloor.work_cpu_seconds.toFixed(1)} CPU s decoding, parsing, validating and redacting every line on one thread + ${loadFloor.work_cpu_seconds.toFixed(1)} CPU s for DuckDB to load the file itself into the store's tables, no validation) / ${cores} cores (that load alone: ${loadFloor.seconds.toFixed(2)} s)`,
  );
  console.log(`best possible ratio:   ${bestRatio.toFixed(2)}   on this machine for this work (the reference's time over the floor); firstcall is at ${(floorSeconds / ours.seconds).toFixed(2)} of the floor's speed`);
  console.log(`firstcall peak RSS:    ${ours.peak_rss_mb} MB at N=${n}, ${oursSmall.peak_rss_mb} MB at N=${Math.floor(n / 4)} (flat in N when these are close)`);
  // Where the peak RSS is: DuckDB's own buffers (by tag), this thread's JS heap, and the rest (the
  // worker threads' heaps, code, memory freed but kept by the allocator).
  const where = (r: ChildResult, size: number) => {
    const p = r.at_peak;
    if (!p) return `N=${size}: no sample`;
    const tags = Object.entries(p.duckdb_tags_mb).map(([tag, mb]) => `${tag} ${mb}`).join(', ');
    return `N=${size}: ${p.rss_mb} MB = DuckDB ${p.duckdb_mb} (${tags}) + main JS heap ${p.main_heap_mb} + the rest ${p.rss_mb - p.duckdb_mb - p.main_heap_mb}`;
  };
  console.log(`at the RSS peak:       ${where(ours, n)}`);
  console.log(`                       ${where(oursSmall, Math.floor(n / 4))}`);
  console.log(`machine load average:  ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after (${cores} cores; above the core count the figures are squeezed by other work)`);
  console.log(
    JSON.stringify({
      bench: 'ingest',
      n,
      corpus_mb: Math.round(mb),
      firstcall_seconds: Number(ours.seconds.toFixed(3)),
      firstcall_rate: Math.round(ourRate),
      firstcall_cpu_seconds: Number(ours.cpu_seconds.toFixed(2)),
      raw_seconds: Number(raw.seconds.toFixed(3)),
      raw_rate: Math.round(rawRate),
      raw_cpu_seconds: Number(raw.cpu_seconds.toFixed(2)),
      ratio: Number(ratio.toFixed(3)),
      target_ratio: 0.5,
      floor_seconds: Number(floorSeconds.toFixed(3)),
      best_possible_ratio: Number(bestRatio.toFixed(3)),
      floor_stage_cpu_seconds: Number(stageFloor.work_cpu_seconds.toFixed(2)),
      floor_load_cpu_seconds: Number(loadFloor.work_cpu_seconds.toFixed(2)),
      cores,
      peak_rss_mb: ours.peak_rss_mb,
      peak_rss_mb_quarter_n: oursSmall.peak_rss_mb,
      duckdb_mb_at_peak: ours.at_peak?.duckdb_mb,
      duckdb_mb_at_peak_quarter_n: oursSmall.at_peak?.duckdb_mb,
      load_average: Number(loadBefore.toFixed(1)),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
