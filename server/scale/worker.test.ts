// Workers on a real redis-server: an eval run whose calls go through the queue survives a worker
// killed mid-run (another worker finishes its cases) with exactly one stored result per case and trial,
// and a provider rate limit given to the workers holds for all of them together.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { evaluate } from '../services/evaluate.ts';
import { evalStore, REPO } from '../test-support/eval-fixture.ts';
import { startMockOpenAI, type MockOpenAIServer, type MockRequest } from '../test-support/mock-openai-server.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the Redis worker tests: ${missing}`);

interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
}

/** A `firstcall worker` child process, resolved once it says it is taking work. */
function spawnWorker(redis: string, env: Record<string, string>, extra: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'firstcall.mjs'), 'worker', '--redis', redis, '--concurrency', '4', '--lock', '2000', '--providers', 'openai', ...extra], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is taking work')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
}

/** The mock model's latency: every call stays unanswered at least this long. */
const LATENCY_MS = 150;

const stop = async (w: WorkerProcess | undefined) => {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  const exited = new Promise((resolve) => w.child.once('exit', resolve));
  w.child.kill('SIGTERM');
  await exited;
};

describe.skipIf(missing !== undefined)('eval workers on Redis', () => {
  let redis: RedisServer;
  let mock: MockOpenAIServer;
  const workers: WorkerProcess[] = [];
  /** Called with every request the model server receives, as it arrives (before its latency). */
  let onRequest: ((request: MockRequest) => void) | undefined;

  beforeAll(async () => {
    redis = await startRedisServer();
    mock = await startMockOpenAI({ latencyMs: LATENCY_MS, handler: (request) => void onRequest?.(request) });
  });
  afterAll(async () => {
    await Promise.all(workers.map(stop));
    await mock?.close();
    await redis?.close();
  });

  it('finishes a SIGKILLed worker’s cases on another worker and stores each case and trial exactly once', { timeout: 180_000 }, async () => {
    const { db, suite, candidate } = await evalStore(40);
    // Each worker its own key, so the model server tells whose call it got.
    const env = (key: string) => ({ OPENAI_BASE_URL: mock.url, OPENAI_API_KEY: key, FIRSTCALL_OPENAI_BASE_URL: '', FIRSTCALL_OPENAI_API_KEY: '' });
    const [doomed, survivor] = await Promise.all([spawnWorker(redis.url, env('sk-doomed')), spawnWorker(redis.url, env('sk-survivor'))]);
    workers.push(doomed!, survivor!);
    const repeat = 2;
    const expected = suite.cases.length * repeat;

    // Mid-run (a quarter of the calls made), the doomed worker is killed the moment the model server
    // receives one of its calls: that call is surely in flight, never answered to it.
    let killed = false;
    let calls = 0;
    onRequest = (request) => {
      if (!request.path.endsWith('/chat/completions') || killed) return;
      if (++calls >= expected / 4 && request.headers.authorization === 'Bearer sk-doomed') {
        killed = true;
        doomed!.child.kill('SIGKILL');
      }
    };
    const { report } = await evaluate(db, {
      suite: suite.name,
      candidates: [candidate],
      repeat,
      concurrency: 8,
      redis: redis.url,
      scorers: ['fcr', 'accuracy', 'tone'],
    });
    onRequest = undefined;

    expect(killed).toBe(true);
    const [run] = report.candidates;
    expect(run!.completeness.complete).toBe(true);
    const results = await new EvalRunRepository(db).results(run!.run_id);
    expect(results).toHaveLength(expected);
    expect(new Set(results.map((r) => `${r.case_id}|${r.trial}`)).size).toBe(expected);
    expect(results.filter((r) => r.error !== null)).toEqual([]);
    expect(run!.summary.trials).toBe(expected);
    expect(run!.summary.errors).toBe(0);
    // The killed worker's call in flight reached the model and was made again by the survivor.
    expect(mock.requests.filter((r) => r.path.endsWith('/chat/completions')).length).toBeGreaterThan(expected);
    expect(doomed!.child.signalCode).toBe('SIGKILL');
  });

  it('shares a provider’s rate limit across workers: two workers at openai=4/s together call the model at 4 a second', { timeout: 180_000 }, async () => {
    // A fresh queue state: the limiter counts per queue, so the run above must not lend it tokens.
    await Promise.all(workers.splice(0).map(stop));
    const { db, suite, candidate } = await evalStore(24);
    // Each worker its own key, so the model server tells whose call it got.
    const env = (key: string) => ({ OPENAI_BASE_URL: mock.url, OPENAI_API_KEY: key, FIRSTCALL_OPENAI_BASE_URL: '', FIRSTCALL_OPENAI_API_KEY: '' });
    const pair = await Promise.all(['sk-worker-a', 'sk-worker-b'].map((key) => spawnWorker(redis.url, env(key), ['--rate', 'openai=4/s'])));
    workers.push(...pair);
    const before = mock.requests.length;

    const { report } = await evaluate(db, { suite: suite.name, candidates: [candidate], concurrency: 16, redis: redis.url, scorers: ['fcr'] });

    expect(report.candidates[0]!.completeness.complete).toBe(true);
    const calls = mock.requests.slice(before);
    const times = calls.map((r) => r.receivedAt).sort((a, b) => a - b);
    expect(times).toHaveLength(suite.cases.length);
    // Both workers made calls (each alone is allowed 4/s; with limits per worker the pair would reach 8/s).
    expect(new Set(calls.map((r) => r.headers.authorization))).toEqual(new Set(['Bearer sk-worker-a', 'Bearer sk-worker-b']));
    // n calls at 4 a second shared span at least ceil(n/4) - 1 full windows from the first call to the last
    // (with limits per worker, half as many), and no second ever holds more than two windows' worth.
    const windows = Math.ceil(times.length / 4) - 1;
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(windows * 900);
    for (let i = 0; i < times.length; i++) {
      const inSecond = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      expect(inSecond).toBeLessThanOrEqual(8);
    }
  });
});
