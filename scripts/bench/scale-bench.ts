// npm run bench:scale [-- --cases 2000 --latency 200 --concurrency 8 --seconds 5]
// Scale-out on Redis (server/scale), against a real redis-server started here:
// 1. The same eval (N cases, the openai: provider against the shared mock with a fixed latency in a
//    process of its own, default scorers, results stored) through 1, 2 and 4 `firstcall worker`
//    processes with --concurrency 8 each; the writer (this process) keeps 4 × 8 calls queued in every
//    round. Throughput per worker count next to its ideal (workers × concurrency / latency), and next
//    to the same eval run in this process at the concurrency of 4 workers (no Redis): the reference.
// 2. The bots' read path on answer replicas (`firstcall serve --replica`, configs from the primary's
//    mirror, auth with the primary's keys): GET /v1/configs/web with 1 and then 2 replica processes,
//    50 connections in all (autocannon in this process).
// Last line: JSON with `speedup_4` (throughput with 4 workers / with 1; target >= 3.5).
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { evaluate } from '../../server/services/evaluate.ts';
import { promote } from '../../server/services/promotion.ts';
import { startReplication } from '../../server/services/replication.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { redisUnavailable, startRedisServer } from '../../server/test-support/redis-server.ts';

const { values } = parseArgs({
  options: { cases: { type: 'string', default: '2000' }, latency: { type: 'string', default: '200' }, concurrency: { type: 'string', default: '8' }, seconds: { type: 'string', default: '5' } },
});
const n = Number(values.cases);
const latency = Number(values.latency);
const perWorker = Number(values.concurrency);
const seconds = Number(values.seconds);
const root = join(import.meta.dirname, '..', '..');
const firstcall = join(root, 'bin', 'firstcall.mjs');

const missing = redisUnavailable();
if (missing) {
  console.error(`bench:scale needs Debian's redis-server: ${missing}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'firstcall-scale-bench-'));
const children: ChildProcess[] = [];

/** A firstcall child process, resolved with its stdout line matching `ready`. */
function startFirstcall(args: string[], ready: RegExp, env: Record<string, string> = {}): Promise<RegExpExecArray> {
  const child = spawn(process.execPath, [firstcall, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = ready.exec(output);
      if (match) resolve(match);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => reject(new Error(`firstcall ${args[0]} exited (${code}): ${output.slice(-2000)}`)));
  });
}

const redis = await startRedisServer();
try {
  const mock = fork(join(root, 'bin', 'run-ts.mjs'), [join(import.meta.dirname, 'eval-mock-child.ts'), String(latency)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(mock);
  const mockUrl = await new Promise<string>((resolve, reject) => {
    mock.once('message', (m: { url: string }) => resolve(m.url));
    mock.once('exit', (code) => reject(new Error(`the mock server exited (${code})`)));
  });

  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: Math.ceil(n * 1.4), seed: 5, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  await ingestFiles(db, { paths: [corpus] });
  const { suite } = await buildSuite(db, { name: 'bench', split: 'train', size: n, filters: { labeled_only: false }, dir: join(dir, 'suites') });
  const cases = suite.cases.length;
  const inFlight = 4 * perWorker;
  console.log(`${cases} cases, model latency ${latency} ms (own process), ${perWorker} calls per worker, the writer keeps ${inFlight} queued; machine: 2 cores shared with whatever else runs`);

  // Throughput is over the cases phase (first call to last result); the run's fixed cost (loading the
  // suite, the summary, scorer trust) is the same at any worker count and is printed beside it.
  const run = async (redisUrl: string | undefined) => {
    const started = performance.now();
    let first = 0;
    let last = 0;
    const { report } = await evaluate(db, {
      onProgress: (_c, done, total) => {
        if (done === 0) first = performance.now();
        if (done === total) last = performance.now();
      },
      suite: 'bench',
      candidates: ['evals/candidates/openai-empathetic.yaml'],
      root,
      cache: 'off',
      concurrency: inFlight,
      provider: { openai: { baseURL: mockUrl, apiKey: 'sk-bench' } },
      ...(redisUrl ? { redis: redisUrl } : {}),
    });
    const wall = (performance.now() - started) / 1000;
    const s = (last - first) / 1000;
    const c = report.candidates[0]!;
    return { wall, seconds: s, throughput: cases / s, errors: c.summary.errors, trials: c.summary.trials, run_id: c.run_id };
  };

  // The reference: the same eval in this process at the 4 workers' concurrency, no Redis.
  const local = await run(undefined);
  console.log(`in process, concurrency ${inFlight} (reference): cases ${local.seconds.toFixed(2)} s of ${local.wall.toFixed(2)} s, ${local.throughput.toFixed(1)} cases/s (ideal ${((inFlight * 1000) / latency).toFixed(0)}), ${local.errors} errors`);

  const workerEnv = { OPENAI_BASE_URL: mockUrl, OPENAI_API_KEY: 'sk-bench', FIRSTCALL_OPENAI_BASE_URL: '', FIRSTCALL_OPENAI_API_KEY: '' };
  const startWorkers = (k: number) => Promise.all(Array.from({ length: k }, () => startFirstcall(['worker', '--redis', redis.url, '--concurrency', String(perWorker), '--providers', 'openai'], /is taking work/, workerEnv)));
  const byWorkers: Record<string, { wall: number; seconds: number; throughput: number; ideal: number; errors: number; trials: number }> = {};
  let running = 0;
  for (const workers of [1, 2, 4]) {
    await startWorkers(workers - running);
    running = workers;
    const r = await run(redis.url);
    const ideal = (workers * perWorker * 1000) / latency;
    byWorkers[workers] = { wall: r.wall, seconds: r.seconds, throughput: r.throughput, ideal, errors: r.errors, trials: r.trials };
    console.log(`${workers} worker${workers > 1 ? 's' : ' '} × ${perWorker}: cases ${r.seconds.toFixed(2)} s of ${r.wall.toFixed(2)} s, ${r.throughput.toFixed(1)} cases/s (ideal ${ideal.toFixed(0)}, ${((100 * r.throughput) / ideal).toFixed(0)}%), ${r.trials} results stored, ${r.errors} errors`);
  }
  const speedup2 = byWorkers[2]!.throughput / byWorkers[1]!.throughput;
  const speedup4 = byWorkers[4]!.throughput / byWorkers[1]!.throughput;
  console.log(`speed-up: 2 workers ${speedup2.toFixed(2)}×, 4 workers ${speedup4.toFixed(2)}× (target >= 3.5); 4 workers / in process at the same concurrency: ${(byWorkers[4]!.throughput / local.throughput).toFixed(2)}`);
  for (const child of children.splice(1)) child.kill('SIGTERM');

  // Answer replicas: the primary (this process) mirrors a promoted config and a bot key.
  await promote(db, { runId: local.run_id, channel: 'web', by: 'bench', force: 'scale bench' });
  const { key } = await createApiKey(db, 'bot', 'bench-bot');
  const replication = await startReplication(db, redis.url);
  const headers = { authorization: `Bearer ${key}` };
  const startReplica = async () => (await startFirstcall(['serve', '--replica', '--redis', redis.url, '--port', '0'], /answer replica at (http:\/\/\S+?)\/? /))[1]!;
  const load = async (urls: string[]) => {
    const results = await Promise.all(urls.map((url) => autocannon({ url: `${url}/v1/configs/web`, connections: Math.floor(50 / urls.length), duration: seconds, headers })));
    return { rps: results.reduce((s, r) => s + r.requests.average, 0), p99: Math.max(...results.map((r) => r.latency.p99)), non2xx: results.reduce((s, r) => s + r.non2xx + r.errors, 0) };
  };
  const replicas = [await startReplica()];
  await load(replicas); // warm-up
  const one = await load(replicas);
  replicas.push(await startReplica());
  await load(replicas);
  const two = await load(replicas);
  console.log(`GET /v1/configs/web on answer replicas, 50 connections: 1 replica ${one.rps.toFixed(0)} req/s (p99 ${one.p99} ms), 2 replicas ${two.rps.toFixed(0)} req/s (p99 ${two.p99} ms), ${(two.rps / one.rps).toFixed(2)}×; ${one.non2xx + two.non2xx} non-2xx`);
  await replication.close();
  db.close();

  const round = (x: number, d = 2) => Number(x.toFixed(d));
  console.log(
    JSON.stringify({
      bench: 'scale',
      cases,
      latency_ms: latency,
      concurrency_per_worker: perWorker,
      local_throughput: round(local.throughput, 1),
      throughput: Object.fromEntries(Object.entries(byWorkers).map(([k, v]) => [k, round(v.throughput, 1)])),
      ideal_throughput: Object.fromEntries(Object.entries(byWorkers).map(([k, v]) => [k, round(v.ideal, 1)])),
      errors: Object.values(byWorkers).reduce((s, v) => s + v.errors, 0),
      speedup_2: round(speedup2),
      speedup_4: round(speedup4),
      replica_rps: { 1: Math.round(one.rps), 2: Math.round(two.rps) },
      replica_speedup_2: round(two.rps / one.rps),
    }),
  );
} finally {
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await redis.close();
  rmSync(dir, { recursive: true, force: true });
}
