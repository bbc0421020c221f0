// Simulated conversations on a worker through a real redis-server: the same scenario set, candidate
// and trials give the same stored conversations and summary as a run in the writer's process, and a
// model playing the customer goes through the worker's response cache in the run's mode, as it would
// in the writer (a rerun is free; replay never calls the model).
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
  /** The worker's own response cache folder. */
  const workerCache = tempDir();

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
    worker = startWorker({
      redis: redis.url,
      concurrency: 4,
      providers: ['local'],
      cacheDir: workerCache,
      env: { FIRSTCALL_OPENAI_API_KEY: 'worker-key' },
      onJob: (e) => jobs.push(`${e.kind}:${e.ok}`),
    });
    await worker.ready;
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
    expect(jobs.filter((j) => j === 'conversation:true')).toHaveLength(scenarios * 2);
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

  it('records a model customer in the worker\'s response cache, serves a rerun from it, and in replay mode never calls the model', { timeout: 120_000 }, async () => {
    const db = await tempStore();
    await buildScenarioSet(db, { name: 'files', synthetic: false, labeled: false, dir: tempDir() });
    const writerCache = tempDir();
    const options = {
      scenarios: 'files',
      candidates: ['evals/candidates/agent-empathetic.yaml'],
      simulator: 'openai:customer-model',
      trials: 1,
      redis: redis.url,
      cacheDir: writerCache,
      provider: { openai: { baseURL: customer.url, apiKey: 'writer-key' } },
    };
    const first = await simulate(db, { ...options, cache: 'read' });
    const called = customer.requests.length;
    expect(called).toBeGreaterThan(0);
    // The worker asked with its own key (keys never travel in jobs) and recorded every answer in its own folder.
    expect(customer.requests.every((r) => r.headers.authorization === 'Bearer worker-key')).toBe(true);
    expect(first.cache).toEqual({ hits: 0, misses: called, writes: called });
    expect(readdirSync(workerCache).length).toBeGreaterThan(0);
    expect(readdirSync(writerCache)).toEqual([]);

    const again = await simulate(db, { ...options, cache: 'read' });
    expect(customer.requests.length).toBe(called);
    expect(again.cache).toEqual({ hits: called, misses: 0, writes: 0 });
    const rows = new ConversationResultRepository(db);
    const turns = async (runId: string) => (await rows.all(runId)).map((r) => ({ id: r.scenario_id, turns: r.turns, ended: r.ended })).sort((x, y) => x.id.localeCompare(y.id));
    expect(await turns(again.report.candidates[0]!.run_id)).toEqual(await turns(first.report.candidates[0]!.run_id));

    // Trial 2 was never recorded: replay fails those conversations (the ones that reach the customer
    // model: an agent may hand off first) with the worker's replay error, without a call to the model.
    const replayed = await simulate(db, { ...options, trials: 2, cache: 'replay', maxErrors: { kind: 'count' as const, n: 1_000 } });
    expect(customer.requests.length).toBe(called);
    const stored = await rows.all(replayed.report.candidates[0]!.run_id);
    const failed = stored.filter((r) => r.ended === 'error');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.trial === 2 && /no recorded response for this request \(response cache in replay mode/.test(r.error ?? ''))).toBe(true);
    expect(replayed.cache).toMatchObject({ hits: called, writes: 0 });
  });
});
