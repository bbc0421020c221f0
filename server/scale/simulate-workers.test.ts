// Simulated conversations on a worker through a real redis-server: the same scenario set, candidate
// and trials give the same stored conversations and summary as a run in the writer's process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildScenarioSet } from '../services/scenarios.ts';
import { simulate } from '../services/simulate.ts';
import { ConversationResultRepository } from '../storage/conversation-result-repository.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { startWorker, type RunningWorker } from './worker.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the Redis simulate tests: ${missing}`);

describe.skipIf(missing !== undefined)('simulated conversations on workers', () => {
  let redis: RedisServer;
  let worker: RunningWorker;
  const jobs: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    worker = startWorker({ redis: redis.url, concurrency: 4, providers: ['local'], onJob: (e) => jobs.push(`${e.kind}:${e.ok}`) });
    await worker.ready;
  });
  afterAll(async () => {
    await worker?.close();
    await redis?.close();
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
});
