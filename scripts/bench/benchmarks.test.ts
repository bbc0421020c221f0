// Every speed benchmark, run as package.json runs it but at a small size: it must finish, with no
// failed request, and end with one JSON line holding its figures and the reference measured beside
// them. Nothing here checks a figure against its target (tests never time anything): this keeps
// the commands in the README's table working, which a change elsewhere once broke unnoticed
// (bench:serve stopped at the promotion gate).
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPTS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** `npm run bench:<name> -- <args>`, without npm: the script's own command with this node. */
async function bench(name: string, ...args: string[]): Promise<Record<string, unknown>> {
  const [node, ...command] = SCRIPTS[`bench:${name}`]!.split(' ');
  expect(node).toBe('node');
  const { stdout } = await promisify(execFile)(process.execPath, [...command, ...args], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const lines = stdout.trim().split('\n');
  expect(lines.length, 'a benchmark prints its figures before its JSON line').toBeGreaterThan(1);
  const last = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
  expect(last.bench).toBe(name);
  return last;
}

const number = expect.any(Number);
const SLOW = 300_000;

describe('each speed benchmark, at a small size', () => {
  it('bench:ingest prints firstcall against read_json_auto and the floor, and peak RSS at N and N/4', { timeout: SLOW }, async () => {
    const out = await bench('ingest', '--n', '2000');
    expect(out).toMatchObject({ n: 2000, ratio: number, firstcall_seconds: number, raw_seconds: number, floor_seconds: number, best_possible_ratio: number, peak_rss_mb: number, peak_rss_mb_quarter_n: number });
  });

  it('bench:label prints the queue quiet and while an ingest runs in the serving process', { timeout: SLOW }, async () => {
    const out = await bench('label', '--n', '2000', '--requests', '50');
    expect(out).toMatchObject({ next_p95_ms: number, save_p95_ms: number, ingest_next_p95_ms: number, ingest_save_p95_ms: number, target_p95_ms: 20 });
  });

  it('bench:eval runs every case through firstcall, a bare client and promptfoo with no errors', { timeout: SLOW }, async () => {
    const out = await bench('eval', '--cases', '64');
    expect(out).toMatchObject({ cases: 64, ratio: number, bare_client_ratio: number, promptfoo_seconds: number, speedup_vs_promptfoo: number, errors: 0, promptfoo_errors: 0 });
  });

  it('bench:serve serves a promoted config next to a bare fastify route', { timeout: SLOW }, async () => {
    const out = await bench('serve', '--seconds', '1');
    expect(out).toMatchObject({ firstcall_rps: number, bare_rps: number, ratio: number, non2xx: 0 });
  });

  it('bench:answer prints the answer route against a bare route, the offline bot and /v1/configs under load', { timeout: SLOW }, async () => {
    const out = await bench('answer', '--seconds', '1');
    expect(out).toMatchObject({ ratio: number, answer_rps: number, bare_rps: number, offline_p99_ms: number, configs_p99_ms: number, errors: 0, non2xx: 0 });
  });

  it('bench:finetune builds a set and prints its time, peak RSS and DuckDB COPY of the same rows', { timeout: SLOW }, async () => {
    const out = await bench('finetune', '--n', '2000');
    expect(out).toMatchObject({ dialogues: 2000, seconds: number, peak_rss_mb: number, duckdb_copy_seconds: number, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(out.examples).toBeGreaterThan(0);
  });

  it('bench:scale runs the eval through 1, 2 and 4 Redis workers with every result stored', { timeout: SLOW }, async () => {
    const out = await bench('scale', '--cases', '64', '--latency', '20', '--seconds', '1');
    expect(out).toMatchObject({ cases: 64, speedup_4: number, throughput: { 1: number, 2: number, 4: number }, local_throughput: number, errors: 0 });
  });

  it('bench:pii scores the redactor on the labeled corpus next to normalisation alone', { timeout: SLOW }, async () => {
    const out = await bench('pii', '--seconds', '0.2');
    expect(out).toMatchObject({ precision: number, recall: number, texts_per_s: number, reference_nfkc_texts_per_s: number });
  });
});
