// Answer replicas answering on a real redis-server: two replicas started before anything is promoted
// answer /v1/answer and /v1/chat/completions for configs promoted afterwards (the offline local:kb bot
// and an openai: model on a local mock server) as the primary does, from the asking customer's own
// record (never a name, which is not even mirrored); their exchanges reach the store through the
// primary; a dialogue started on one replica is continued on another and on the primary by the key
// that started it, and by no other, until a reviewer labels it (then 409 everywhere).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, buildReplicaApp } from '../app.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { deidentifyEntries } from '../providers/local-kb.ts';
import { evaluate } from '../services/evaluate.ts';
import { startReplication, type Replication } from '../services/replication.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import { fixtureDialogue, type Keys } from '../test-support/labeling-fixture.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { redisUnavailable, startRedisServer, type RedisServer } from '../test-support/redis-server.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { eventually } from '../test-support/eventually.ts';
import { ReplicaConfigs } from './config-mirror.ts';
import { CUSTOMERS_KEY, KNOWLEDGE_BASE_KEY, ReplicaAnswers, SnapshotPublisher } from './replica-answers.ts';

const missing = redisUnavailable();
if (missing) console.warn(`skipping the Redis replica answer tests: ${missing}`);

const as = (key: string) => ({ authorization: `Bearer ${key}` });

/** A customer with a name and an order id of their own, beside the fixture's 李娜 (c-1). */
const ZHANG = {
  customer_id: 'c-zhang',
  name: 'Zhang Wei',
  tier: 'standard',
  language: 'en',
  purchases: [{ product: 'Aurora Earbuds', category: 'audio', purchased_at: '2026-01-10', warranty_months: 12, order_id: 'ORD-ZW-7781' }],
};

interface Replica {
  app: FastifyInstance;
  close(): Promise<void>;
}

describe.skipIf(missing !== undefined)('answer replicas answering on Redis', () => {
  let redis: RedisServer;
  let db: Database;
  let keys: Keys;
  let mock: MockOpenAIServer;
  let primary: FastifyInstance;
  let replication: Replication;
  let replicas: Replica[];
  let dialogues: DialogueRepository;
  const provider = () => ({ openai: { baseURL: mock.url, apiKey: 'sk-test' } });

  const openReplica = async (): Promise<Replica> => {
    const mirror = await ReplicaConfigs.open(redis.url);
    const answers = await ReplicaAnswers.open(redis.url, mirror);
    const app = await buildReplicaApp({ configs: mirror, keys: mirror, answers, answerOptions: { provider: provider() }, maxAuthFailures: 1000 });
    return {
      app,
      close: async () => {
        await app.close();
        await answers.close();
        await mirror.close();
      },
    };
  };
  const post = (app: FastifyInstance, url: string, key: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: as(key), payload });

  beforeAll(async () => {
    redis = await startRedisServer();
    mock = await startMockOpenAI();
    ({ db, keys } = await evalStore(40));
    const file = join(tempDir(), 'zhang.jsonl');
    // Knowledge-base dialogues (the suite holds the fixture's), answers naming their customer's own order.
    const kb = Array.from({ length: 16 }, (_, i) =>
      fixtureDialogue(`kb-${String(i).padStart(3, '0')}`, {
        customer_id: 'c-zhang', // not c-1: a VIP's dialogues stay out of the knowledge base
        language: i % 2 ? 'zh' : 'en',
        turns:
          i % 2
            ? [
                { role: 'customer', text: '耳机怎么重置？' },
                { role: 'agent', text: '同时按住两个按键十秒即可重置耳机。', agent_kind: 'human' },
              ]
            : [
                { role: 'customer', text: 'How do I reset my earbuds?' },
                { role: 'agent', text: 'Hold both buttons on your Aurora Earbuds for ten seconds; order ORD-ZW-7781 stays under warranty.', agent_kind: 'human' },
              ],
        metadata: { intent: 'product_howto' },
      }),
    );
    writeFileSync(file, [ZHANG, ...kb].map((d) => JSON.stringify(d)).join('\n'));
    await ingestFiles(db, { paths: [file] });
    dialogues = new DialogueRepository(db);
    primary = await buildApp({ db, maxAuthFailures: 1000, answers: { provider: provider() } });
    replication = await startReplication(db, redis.url, { keysEveryMs: 200 });
    // Both replicas start before anything is promoted.
    replicas = [await openReplica(), await openReplica()];
    const runOf = async (candidate: string) => (await evaluate(db, { suite: 'eval-test', candidates: [candidate], cache: 'off', provider: provider() })).report.candidates[0]!.run_id;
    for (const [candidate, channel] of [
      ['evals/candidates/kb-concise.yaml', 'web'],
      ['evals/candidates/openai-empathetic.yaml', 'app'],
    ] as const) {
      const promoted = await post(primary, '/api/promotions', keys.admin, { run_id: await runOf(candidate), channel, force_reason: 'replica answers test' });
      expect(promoted.statusCode).toBe(200);
    }
    for (const replica of replicas) {
      await eventually(async () => ((await replica.app.inject({ url: '/v1/models', headers: as(keys.bot) })).json().data?.length === 2 ? true : undefined), 'both configs on the replica');
    }
  }, 180_000);
  afterAll(async () => {
    for (const replica of replicas ?? []) await replica.close();
    await replication?.close();
    await primary?.close();
    await mock?.close();
    await redis?.close();
  });

  it('mirrors customers without their names and the knowledge base without its customers’ records', async () => {
    const client = new Redis(redis.url);
    try {
      const customers = await client.hgetall(CUSTOMERS_KEY);
      expect(JSON.parse(customers['c-zhang']!)).toEqual({ customer_id: 'c-zhang', tier: 'standard', language: 'en', purchases: ZHANG.purchases });
      const everything = JSON.stringify(customers) + ((await client.get(KNOWLEDGE_BASE_KEY)) ?? '');
      expect(everything).not.toContain('Zhang Wei');
      expect(everything).not.toContain('李娜');
      expect(everything).not.toContain('"record"');
    } finally {
      client.disconnect();
    }
  });

  it('answers with the offline bot exactly as the primary does, on /v1/answer and /v1/chat/completions', async () => {
    for (const [customer, text] of [
      ['c-zhang', 'How do I reset my earbuds?'],
      ['c-1', '耳机怎么重置？'],
    ] as const) {
      const body = { channel: 'web', customer_id: customer, messages: [{ role: 'customer', text }] };
      const fromPrimary = await post(primary, '/v1/answer', keys.bot, body);
      const fromReplica = await post(replicas[0]!.app, '/v1/answer', keys.bot, body);
      expect(fromPrimary.statusCode).toBe(200);
      expect(fromReplica.statusCode).toBe(200);
      const { dialogue_id: _p, ...primaryAnswer } = fromPrimary.json();
      const { dialogue_id: replicaDialogue, ...replicaAnswer } = fromReplica.json();
      expect(replicaAnswer).toEqual(primaryAnswer);
      expect(primaryAnswer.config_version).not.toBe('unavailable');
      // Found in the knowledge base (not the bot's "cannot answer" hand-off).
      expect(replicaAnswer.handoff).toBeNull();
      expect(replicaAnswer.answer).toMatch(/ten seconds|十秒/);
      const stored = await eventually(() => dialogues.get(replicaDialogue), 'the replica’s exchange in the store');
      expect(stored).toMatchObject({ source: 'production', channel: 'web', customer_id: customer });
      expect(stored.turns.map((t) => t.text)).toEqual([text, replicaAnswer.answer]);
    }
    const chat = await post(replicas[1]!.app, '/v1/chat/completions', keys.bot, { model: 'firstcall:web', user: 'c-zhang', messages: [{ role: 'user', content: 'How do I reset my earbuds?' }] });
    expect(chat.statusCode).toBe(200);
    expect(chat.json().choices[0].message.content).toBe((await post(primary, '/v1/answer', keys.bot, { channel: 'web', customer_id: 'c-zhang', messages: [{ role: 'customer', text: 'How do I reset my earbuds?' }] })).json().answer);
    const unknown = await post(replicas[1]!.app, '/v1/chat/completions', keys.bot, { model: 'firstcall:phone', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('model_not_found');
  });

  it('sends an openai: model the asking customer’s own record only, never a name', async () => {
    const before = mock.requests.length;
    const response = await post(replicas[0]!.app, '/v1/chat/completions', keys.bot, { model: 'firstcall:app', user: 'c-zhang', messages: [{ role: 'user', content: 'My earbuds stopped charging, what can I do?' }] });
    expect(response.statusCode).toBe(200);
    expect(response.json().firstcall.handoff).toBeNull();
    const sent = JSON.stringify(mock.requests.slice(before).map((r) => r.body));
    expect(sent).toContain('ORD-ZW-7781');
    expect(sent).toContain('Aurora Earbuds');
    expect(sent).not.toContain('Zhang Wei');
    expect(sent).not.toContain('Phone X'); // 李娜's purchase
    const stored = await eventually(() => dialogues.get(response.json().firstcall.dialogue_id as string), 'the exchange in the store');
    expect(stored.turns.at(-1)).toMatchObject({ role: 'agent', text: response.json().choices[0].message.content, agent_kind: 'bot' });
  });

  it('continues a dialogue started on one replica on another and on the primary, for the key that started it only', async () => {
    const first = await post(replicas[0]!.app, '/v1/answer', keys.bot, { channel: 'app', messages: [{ role: 'customer', text: 'Hello, my parcel is late.' }] });
    expect(first.statusCode).toBe(200);
    const id = first.json().dialogue_id as string;
    const conversation = [
      { role: 'customer', text: 'Hello, my parcel is late.' },
      { role: 'agent', text: first.json().answer },
      { role: 'customer', text: 'It was due on Monday.' },
    ];
    // Another key learns nothing, on any replica; the same key goes on, on the other replica.
    for (const replica of replicas) expect((await post(replica.app, '/v1/answer', keys.admin, { channel: 'app', dialogue_id: id, messages: conversation })).statusCode).toBe(404);
    expect((await post(replicas[1]!.app, '/v1/answer', keys.bot, { channel: 'web', dialogue_id: id, messages: conversation })).statusCode).toBe(404);
    const second = await post(replicas[1]!.app, '/v1/answer', keys.bot, { channel: 'app', dialogue_id: id, messages: conversation });
    expect(second.statusCode).toBe(200);
    expect(second.json().dialogue_id).toBe(id);
    const stored = await eventually(async () => {
      const d = await dialogues.get(id);
      return d?.turns.length === 4 ? d : undefined;
    }, 'the continued dialogue in the store');
    expect(stored.turns.map((t) => t.text)).toEqual([...conversation.map((m) => m.text), second.json().answer]);

    // Once drained, the primary knows its owner as the store has it.
    const onPrimary = [...conversation, { role: 'agent', text: second.json().answer }, { role: 'customer', text: 'Thanks, bye.' }];
    expect((await post(primary, '/v1/answer', keys.admin, { channel: 'app', dialogue_id: id, messages: onPrimary })).statusCode).toBe(404);
    const third = await post(primary, '/v1/answer', keys.bot, { channel: 'app', dialogue_id: id, messages: onPrimary });
    expect(third.statusCode).toBe(200);
    expect((await dialogues.get(id))!.turns).toHaveLength(6);
  });

  it('continues a dialogue started on the primary on a replica, for the key that started it only', async () => {
    const first = await post(primary, '/v1/answer', keys.bot, { channel: 'app', messages: [{ role: 'customer', text: '你好，我的快递还没到。' }] });
    expect(first.statusCode).toBe(200);
    const id = first.json().dialogue_id as string;
    const conversation = [
      { role: 'customer', text: '你好，我的快递还没到。' },
      { role: 'agent', text: first.json().answer },
      { role: 'customer', text: '订单是上周一下的。' },
    ];
    expect((await post(replicas[1]!.app, '/v1/answer', keys.admin, { channel: 'app', dialogue_id: id, messages: conversation })).statusCode).toBe(404);
    const second = await post(replicas[1]!.app, '/v1/answer', keys.bot, { channel: 'app', dialogue_id: id, messages: conversation });
    expect(second.statusCode).toBe(200);
    const stored = await eventually(async () => {
      const d = await dialogues.get(id);
      return d?.turns.length === 4 ? d : undefined;
    }, 'the continuation in the store');
    expect(stored.turns.at(-1)).toMatchObject({ role: 'agent', text: second.json().answer });
  });

  it('refuses on a replica, as the primary does, to continue a dialogue a reviewer has labeled since', async () => {
    const first = await post(replicas[0]!.app, '/v1/answer', keys.bot, { channel: 'app', messages: [{ role: 'customer', text: 'My refund has not arrived.' }] });
    expect(first.statusCode).toBe(200);
    const id = first.json().dialogue_id as string;
    await eventually(() => dialogues.get(id), 'the exchange in the store');
    const labeled = await primary.inject({ method: 'PUT', url: `/api/dialogues/${id}/label`, headers: as(keys.reviewer), payload: { version: null, status: 'draft', fields: { notes: 'checked' } } });
    expect(labeled.statusCode).toBe(200);
    const conversation = [
      { role: 'customer', text: 'My refund has not arrived.' },
      { role: 'agent', text: first.json().answer },
      { role: 'customer', text: 'It has been two weeks.' },
    ];
    const onPrimary = await post(primary, '/v1/answer', keys.bot, { channel: 'app', dialogue_id: id, messages: conversation });
    expect(onPrimary.statusCode).toBe(409);
    // The primary marks it within its keys interval (200 ms here); then every replica answers the same.
    const refused = await eventually(async () => {
      const response = await post(replicas[1]!.app, '/v1/answer', keys.bot, { channel: 'app', dialogue_id: id, messages: conversation });
      return response.statusCode === 409 ? response : undefined;
    }, 'the replica refusing the labeled dialogue');
    expect(refused.json().error.message).toBe(onPrimary.json().error.message);
    // Another key still learns nothing (404, not 409).
    expect((await post(replicas[0]!.app, '/v1/answer', keys.admin, { channel: 'app', dialogue_id: id, messages: conversation })).statusCode).toBe(404);
    expect((await dialogues.get(id))!.turns).toHaveLength(2);
  });

  it('answers from a new knowledge base once the primary mirrors one', async () => {
    const ask = { channel: 'web', messages: [{ role: 'customer', text: 'Can I pay with gift cards?' }] };
    expect((await post(replicas[0]!.app, '/v1/answer', keys.bot, ask)).json().answer).not.toMatch(/gift cards are accepted/);
    const publisher = new SnapshotPublisher(redis.url);
    try {
      const source = [{ id: 'kb-new', language: 'en' as const, question: 'Can I pay with gift cards?', answer: 'Yes, gift cards are accepted at checkout.', record: null }];
      expect(await publisher.publishKnowledgeBase(deidentifyEntries(source, []))).toBe(true);
    } finally {
      await publisher.close();
    }
    await eventually(async () => ((await post(replicas[0]!.app, '/v1/answer', keys.bot, ask)).json().answer.includes('gift cards are accepted at checkout') ? true : undefined), 'the new knowledge base on the replica');
  });
});

describe.skipIf(missing !== undefined)('closing when Redis has gone away', () => {
  it('closes the primary’s replication and a replica’s mirror without waiting for Redis to come back', async () => {
    const redis = await startRedisServer();
    const db = await tempStore();
    try {
      const replication = await startReplication(db, redis.url, { blockMs: 200 });
      const mirror = await ReplicaConfigs.open(redis.url);
      const answers = await ReplicaAnswers.open(redis.url, mirror);
      await redis.close();
      // Nothing to assert on time: a close that waited for Redis would never finish and fail the test by its timeout.
      await Promise.all([replication.close(), answers.close(), mirror.close()]);
    } finally {
      db.close();
    }
  }, 30_000);
});
