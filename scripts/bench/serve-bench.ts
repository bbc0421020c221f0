// npm run bench:serve [-- --seconds 8 --connections 50]
// GET /v1/configs/web on firstcall (auth, role check, cached config, ETag) against a bare fastify
// route returning the same cached JSON, each server in its own process, loaded in turn by
// autocannon from this one with 50 connections, two alternating rounds each after a warm-up. Last line: JSON with `ratio` (firstcall / bare).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { evaluate } from '../../server/services/evaluate.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { getConfig } from '../../server/services/configs.ts';
import { promote } from '../../server/services/promotion.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '8' }, connections: { type: 'string', default: '50' } } });
const duration = Number(values.seconds);
const connections = Number(values.connections);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-serve-bench-'));
const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];

async function startChild(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'serve-child.ts'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const url = /http:\/\/\S+/.exec(d.toString())?.[0];
      if (url) resolve(url);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
}

async function load(url: string, headers: Record<string, string>): Promise<{ rps: number; p50: number; p99: number; errors: number; non2xx: number }> {
  const result = await autocannon({ url: `${url}/v1/configs/web`, connections, duration, headers });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
}

try {
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: 2000, seed: 3, out: corpus });
  const dbPath = join(dir, 'serve.duckdb');
  const db = await openDatabase(dbPath);
  await ingestFiles(db, { paths: [corpus] });
  await buildSuite(db, { name: 'serve', split: 'test', filters: { labeled_only: false }, dir: join(dir, 'suites') });
  const { report } = await evaluate(db, { suite: 'serve', candidates: ['evals/candidates/kb-concise.yaml'], root, cache: 'off' });
  // The store has no labels, so the promotion gate cannot vouch for any scorer: forced, with the reason recorded.
  await promote(db, { runId: report.candidates[0]!.run_id, channel: 'web', by: 'bench', force: 'serve bench' });
  const { key } = await createApiKey(db, 'bot', 'bench-bot');
  const body = JSON.stringify(await getConfig(db, 'web'));
  writeFileSync(join(dir, 'body.json'), body);
  db.close();

  const ours = await startChild(['firstcall', dbPath, '']);
  const bare = await startChild(['bare', '', join(dir, 'body.json')]);
  const headers = { authorization: `Bearer ${key}` };
  // Both warmed up; then two alternating rounds each, so drift in machine load hits both alike.
  await load(ours, headers);
  await load(bare, headers);
  const rounds = [await load(ours, headers), await load(bare, headers), await load(bare, headers), await load(ours, headers)];
  const mean = (xs: typeof rounds) => ({ rps: (xs[0]!.rps + xs[1]!.rps) / 2, p50: Math.max(xs[0]!.p50, xs[1]!.p50), p99: Math.max(xs[0]!.p99, xs[1]!.p99), errors: xs[0]!.errors + xs[1]!.errors, non2xx: xs[0]!.non2xx + xs[1]!.non2xx });
  const a = mean([rounds[0]!, rounds[3]!]);
  const b = mean([rounds[1]!, rounds[2]!]);
  const ratio = a.rps / b.rps;
  console.log(`config body ${body.length} bytes, ${connections} connections, ${duration} s each`);
  console.log(`firstcall GET /v1/configs/web: ${Math.round(a.rps).toLocaleString('en-US')} req/s, p50 ${a.p50} ms, p99 ${a.p99} ms, errors ${a.errors}, non-2xx ${a.non2xx}`);
  console.log(`bare fastify, same JSON:       ${Math.round(b.rps).toLocaleString('en-US')} req/s, p50 ${b.p50} ms, p99 ${b.p99} ms`);
  console.log(`ratio firstcall/bare: ${ratio.toFixed(2)} (target >= 0.8)`);
  console.log(JSON.stringify({ bench: 'serve', connections, seconds: duration, firstcall_rps: Math.round(a.rps), bare_rps: Math.round(b.rps), ratio: Number(ratio.toFixed(3)), firstcall_p99_ms: a.p99, bare_p99_ms: b.p99, non2xx: a.non2xx }));
} finally {
  for (const c of children) c.kill();
  rmSync(dir, { recursive: true, force: true });
}
