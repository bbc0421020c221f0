// Simulated conversations on a worker through a real redis-server: the same scenario set, candidate
// and trials give the same stored conversations and summary as a run in the writer's process, and a
// model playing the customer goes through the run's response cache (the writer's folder, reached over
// Redis) in the run's mode, as it would in the writer: a rerun is free on any worker, replay never
// calls the model, and what the writer recorded alone replays on a worker.
import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenarioSet } from '../services/scenarios.ts';
import { simulate } from '../services/simulate.ts';
import { ConversationResultRepository } from '../storage/conversation-result-repository.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the Redis simulate tests: ${missing}`);

describe.skipIf(missing !== undefined)('simulated conversations on workers', () => {
  let redis: RedisServer;
  let worker: RunningWorker;
  let customer: MockOpenAIServer;
  const jobs: string[] = [];
  const startOne = async (name: string) => {
    const started = startWorker({
      redis: redis.url,
      name,
      concurrency: 4,
      providers: ['local'],
      env: { FIRSTCALL_OPENAI_API_KEY: 'worker-key' },
      onJob: (e) => jobs.push(`${name}:${e.kind}:${e.ok}`),
    });
    await started.ready;
    return started;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    // A model playing the customer over the OpenAI protocol: gives its order number, thanks the agent and stops once a repair is booked.
    customer = await startMockOpenAI({
      handler: ({ body }) => {
        const messages = (body as { messages: { content?: unknown }[] }).messages;
        const text = (m: { content?: unknown } | undefined) => (typeof m?.content === 'string' ? m.content : '');
        const order = /DD\d+/.exec(text(messages[0]))?.[0] ?? '';
        const reply = /ticket|维修单|工单|repair|维修/i.test(text(messages.at(-1))) ? 'Great, thank you!\n###STOP###' : `The order number is ${order}.`;
        return { body: { id: 'c', object: 'chat.completion', created: 0, model: 'customer', choices: [{ index: 0, message: { role: 'assistant', content: reply }, finish_reason: 'stop' }] } };
      },
    });
    worker = await startOne('worker-a');
  });
  afterAll(async () => {
    await worker?.close();
    await redis?.close();
    await customer?.close();
  });

  it('stores what the worker ran, the same conversations and summary as a run here', { timeout: 120_000 }, async () => {
    const db = await tempStore();
    await buildScenarioSet(db, { name: 'files', synthetic: false, labeled: false, dir: tempDir() });
    const options = { scenarios: 'files', candidates: ['evals/candidates/agent-empathetic.yaml'], trials: 2, cache: 'off' as const };
    const here = await simulate(db, options);
    const queued = await simulate(db, { ...options, redis: redis.url });

    const [a] = here.report.candidates;
    const [b] = queued.report.candidates;
    const scenarios = a!.scenarios;
    expect(jobs.filter((j) => j === 'worker-a:conversation:true')).toHaveLength(scenarios * 2);
    const rows = new ConversationResultRepository(db);
    const strip = (r: { scenario_id: string; trial: number; turns: unknown; ended: string; judgement: unknown }) => ({ id: `${r.scenario_id}|${r.trial}`, turns: r.turns, ended: r.ended, judgement: r.judgement });
    const local = (await rows.all(a!.run_id)).map(strip).sort((x, y) => x.id.localeCompare(y.id));
    const remote = (await rows.all(b!.run_id)).map(strip).sort((x, y) => x.id.localeCompare(y.id));
    expect(remote).toHaveLength(scenarios * 2);
    expect(remote).toEqual(local);
    expect(b!.goal_success).toEqual(a!.goal_success);
    expect(b!.fcr).toEqual(a!.fcr);
    expect(b!.completeness.complete).toBe(true);
  });

  const modelCustomerRun = async () => {
    const db = await tempStore();
    await buildScenarioSet(db, { name: 'files', synthetic: false, labeled: false, dir: tempDir() });
    const writerCache = tempDir();
    const options = {
      scenarios: 'files',
      candidates: ['evals/candidates/agent-empathetic.yaml'],
      simulator: 'openai:customer-model',
      trials: 1,
      cacheDir: writerCache,
      provider: { openai: { baseURL: customer.url, apiKey: 'writer-key' } },
    };
    return { db, writerCache, options };
  };
  const turnsOf = async (db: Awaited<ReturnType<typeof tempStore>>, runId: string) =>
    (await new ConversationResultRepository(db).all(runId)).map((r) => ({ id: r.scenario_id, turns: r.turns, ended: r.ended })).sort((x, y) => x.id.localeCompare(y.id));

  it("records a model customer's answers in the writer's cache folder from a worker, serves a rerun on another worker from it, and in replay mode never calls the model", { timeout: 120_000 }, async () => {
    const { db, writerCache, options } = await modelCustomerRun();
    const before = customer.requests.length;
    const first = await simulate(db, { ...options, redis: redis.url, cache: 'read' });
    const called = customer.requests.length - before;
    expect(called).toBeGreaterThan(0);
    // The worker asked with its own key (keys never travel in jobs); the answers were recorded in the writer's folder.
    expect(customer.requests.slice(before).every((r) => r.headers.authorization === 'Bearer worker-key')).toBe(true);
    expect(first.cache).toEqual({ hits: 0, misses: called, writes: called });
    expect(readdirSync(writerCache).length).toBeGreaterThan(0);

    // Another machine's worker takes the rerun: every answer comes from the writer's folder.
    await worker.close();
    worker = await startOne('worker-b');
    const again = await simulate(db, { ...options, redis: redis.url, cache: 'read' });
    expect(customer.requests.length - before).toBe(called);
    expect(again.cache).toEqual({ hits: called, misses: 0, writes: 0 });
    expect(jobs.some((j) => j.startsWith('worker-b:conversation:true'))).toBe(true);
    expect(await turnsOf(db, again.report.candidates[0]!.run_id)).toEqual(await turnsOf(db, first.report.candidates[0]!.run_id));

    // Trial 2 was never recorded: replay fails those conversations (the ones that reach the customer
    // model: an agent may hand off first) with the replay error, without a call to the model.
    const replayed = await simulate(db, { ...options, redis: redis.url, trials: 2, cache: 'replay', maxErrors: { kind: 'count' as const, n: 1_000 } });
    expect(customer.requests.length - before).toBe(called);
    const failed = (await new ConversationResultRepository(db).all(replayed.report.candidates[0]!.run_id)).filter((r) => r.ended === 'error');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.trial === 2 && /no recorded response for this request \(response cache in replay mode/.test(r.error ?? ''))).toBe(true);
    expect(replayed.cache).toMatchObject({ hits: called, writes: 0 });
  });

  it('replays on a worker what the writer recorded alone (CI: recordings made on a laptop, workers without keys)', { timeout: 120_000 }, async () => {
    const { db, options } = await modelCustomerRun();
    const before = customer.requests.length;
    const recorded = await simulate(db, { ...options, cache: 'read' }); // no Redis: the writer runs and records
    const called = customer.requests.length - before;
    expect(recorded.cache).toEqual({ hits: 0, misses: called, writes: called });

    const replayed = await simulate(db, { ...options, redis: redis.url, cache: 'replay' });
    expect(customer.requests.length - before).toBe(called);
    expect(replayed.cache).toEqual({ hits: called, misses: 0, writes: 0 });
    expect(replayed.report.candidates[0]!.completeness.complete).toBe(true);
    expect(await turnsOf(db, replayed.report.candidates[0]!.run_id)).toEqual(await turnsOf(db, recorded.report.candidates[0]!.run_id));
  });
});
