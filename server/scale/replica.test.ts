// Answer replicas on a real redis-server: a replica started before a promotion serves the promoted
// config with the primary's body and ETag, authenticates with the primary's keys, and the exchanges a
// replica logs reach the store through the primary, including ones logged while the primary was down.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildReplicaApp } from '../app.ts';
import { evaluate } from '../services/evaluate.ts';
import { startReplication, type Replication } from '../services/replication.ts';
import { putGateSettings } from '../services/settings.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { eventually } from '../test-support/eventually.ts';
import { ReplicaConfigs } from './config-mirror.ts';
import { ExchangeLog } from './exchange-stream.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the Redis replica tests: ${missing}`);

const as = (key: string) => ({ authorization: `Bearer ${key}` });

describe.skipIf(missing !== undefined)('answer replicas on Redis', () => {
  let redis: RedisServer;
  let store: Awaited<ReturnType<typeof evalStore>>;
  let keys: Keys;
  let primary: FastifyInstance;
  let replication: Replication | undefined;
  let mirror: ReplicaConfigs;
  let replica: FastifyInstance;
  let runs: Record<string, string>;

  beforeAll(async () => {
    redis = await startRedisServer();
    store = await evalStore(40);
    keys = store.keys;
    const { report } = await evaluate(store.db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml', 'evals/candidates/kb-concise.yaml'], cache: 'off' });
    runs = Object.fromEntries(report.candidates.map((c) => [c.name, c.run_id]));
    await putGateSettings(store.db, { gate_untrusted: true }, 'test');
    primary = await buildApp({ db: store.db, maxAuthFailures: 1000 });
    replication = await startReplication(store.db, redis.url, { keysEveryMs: 200 });
    // The replica starts before anything is promoted.
    mirror = await ReplicaConfigs.open(redis.url);
    replica = await buildReplicaApp({ configs: mirror, keys: mirror, maxAuthFailures: 1000 });
  }, 120_000);
  afterAll(async () => {
    await replica?.close();
    await mirror?.close();
    await replication?.close();
    await primary?.close();
    await redis?.close();
  });

  it('serves a config promoted after it started, with the primary’s body and ETag, and follows a rollback', async () => {
    expect((await replica.inject({ url: '/v1/configs/web', headers: as(keys.bot) })).statusCode).toBe(404);

    const promoted = await primary.inject({ method: 'POST', url: '/api/promotions', payload: { run_id: runs['human-replay'], channel: 'web', force_reason: 'replica test' }, headers: as(keys.admin) });
    expect(promoted.statusCode).toBe(200);
    const fromPrimary = await primary.inject({ url: '/v1/configs/web', headers: as(keys.bot) });
    const fromReplica = await eventually(async () => {
      const r = await replica.inject({ url: '/v1/configs/web', headers: as(keys.bot) });
      return r.statusCode === 200 ? r : undefined;
    }, 'the promoted config on the replica');
    expect(fromReplica.headers.etag).toBe(fromPrimary.headers.etag);
    expect(fromReplica.body).toBe(fromPrimary.body);
    expect(fromReplica.json().candidate).toBe('human-replay');
    const revalidated = await replica.inject({ url: '/v1/configs/web', headers: { ...as(keys.bot), 'if-none-match': String(fromPrimary.headers.etag) } });
    expect(revalidated.statusCode).toBe(304);

    // A second promotion moves the replica's copy too, and a rollback moves it back.
    await primary.inject({ method: 'POST', url: '/api/promotions', payload: { run_id: runs['kb-concise'], channel: 'web', force_reason: 'second' }, headers: as(keys.admin) });
    const second = await primary.inject({ url: '/v1/configs/web', headers: as(keys.bot) });
    await eventually(async () => ((await replica.inject({ url: '/v1/configs/web', headers: as(keys.bot) })).headers.etag === second.headers.etag ? true : undefined), 'the second promotion on the replica');
    expect((await replica.inject({ url: '/v1/models', headers: as(keys.bot) })).json().data.map((m: { id: string }) => m.id)).toEqual(['firstcall:web']);
    expect((await primary.inject({ method: 'POST', url: '/api/configs/web/rollback', payload: {}, headers: as(keys.admin) })).statusCode).toBe(200);
    const rolledBack = await primary.inject({ url: '/v1/configs/web', headers: as(keys.bot) });
    expect(rolledBack.json().candidate).toBe('human-replay');
    await eventually(async () => ((await replica.inject({ url: '/v1/configs/web', headers: as(keys.bot) })).headers.etag === rolledBack.headers.etag ? true : undefined), 'the rollback on the replica');
  });

  it('authenticates with the primary’s keys by role and has no store routes', async () => {
    expect((await replica.inject({ url: '/v1/configs/web', headers: as(keys.reviewer) })).statusCode).toBe(403);
    expect((await replica.inject({ url: '/v1/configs/web', headers: as('fc_bot_notakeynotakeynotakeynotakey') })).statusCode).toBe(401);
    expect((await replica.inject({ url: '/v1/configs/web' })).statusCode).toBe(401);
    expect((await replica.inject({ method: 'POST', url: '/api/promotions', payload: {}, headers: as(keys.admin) })).statusCode).toBe(404);
  });

  it('stores exchanges logged by a replica through the primary, also those logged while the primary was down', async () => {
    const log = new ExchangeLog(redis.url);
    const exchange = (id: string) => ({
      id,
      channel: 'web',
      customerId: null,
      language: 'zh' as const,
      turns: [
        { role: 'customer' as const, text: '我的订单什么时候到？' },
        { role: 'agent' as const, text: '您的订单明天送达。', agent_kind: 'bot' as const },
      ],
      escalated: false,
      metadata: { config_version: 'v1', model: 'replay:human', handoff: null },
    });
    try {
      await log.append(exchange('prod-web-replica-1'), { keyId: 'key-bot', channel: 'web' }, false);
      const dialogues = new DialogueRepository(store.db);
      const first = await eventually(() => dialogues.get('prod-web-replica-1'), 'the first exchange in the store');
      expect(first.turns.map((t) => t.text)).toEqual(['我的订单什么时候到？', '您的订单明天送达。']);

      await replication!.close();
      replication = undefined;
      await log.append(exchange('prod-web-replica-2'), { keyId: 'key-bot', channel: 'web' }, false);
      expect(await dialogues.get('prod-web-replica-2')).toBeUndefined();
      replication = await startReplication(store.db, redis.url);
      await eventually(() => dialogues.get('prod-web-replica-2'), 'the exchange logged while the primary was down');
    } finally {
      await log.close();
    }
  });
});
