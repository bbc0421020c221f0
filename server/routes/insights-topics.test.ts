// Topics over HTTP: engineers list them, an admin names one with a Chinese intent key (NFKC-normalised).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { TopicRepository } from '../storage/topic-repository.ts';
import { DialogueIntentRepository } from '../storage/dialogue-intent-repository.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let keys: Keys;
let intents: DialogueIntentRepository;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const store = await labelingStore([
    fixtureDialogue('inv-1', { metadata: {}, turns: [{ role: 'customer', text: '我要开电子发票' }] }),
    fixtureDialogue('inv-2', { metadata: {}, turns: [{ role: 'customer', text: '发票抬头怎么填写' }] }),
    fixtureDialogue('inv-3', { metadata: { intent: 'screen_repair' } }),
  ]);
  keys = store.keys;
  intents = new DialogueIntentRepository(store.db);
  await new TopicRepository(store.db).replaceCandidates('zh', [
    { id: 'topic-zh-abc', language: 'zh', size: 3, key_terms: [{ term: '发票', score: 0.4 }], examples: [{ dialogue_id: 'inv-1', text: '我要开电子发票' }], members: ['inv-1', 'inv-2', 'inv-3'] },
  ]);
  app = await buildApp({ db: store.db });
});
afterAll(() => app?.close());

describe('topics over HTTP', () => {
  it('lists candidate topics with key terms and examples for engineers', async () => {
    const r = await app.inject({ url: '/api/topics', headers: as(keys.engineer) });
    expect(r.statusCode).toBe(200);
    expect(r.json().topics).toEqual([expect.objectContaining({ id: 'topic-zh-abc', status: 'candidate', size: 3, key_terms: [{ term: '发票', score: 0.4 }] })]);
    expect((await app.inject({ url: '/api/topics', headers: as(keys.reviewer) })).statusCode).toBe(403);
  });

  it('lets an admin name a topic with a Chinese intent key, labelling its members but not the one with a metadata intent', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/topics/topic-zh-abc/name', headers: as(keys.engineer), payload: { intent: '发票申请' } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/topics/topic-zh-abc/name', headers: as(keys.admin), payload: { intent: '发票 申请' } })).statusCode).toBe(400);
    const r = await app.inject({ method: 'POST', url: '/api/topics/topic-zh-abc/name', headers: as(keys.admin), payload: { intent: '发票申请', names: { en: 'Invoice request' } } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ labeled: 2, topic: { status: 'named', named_intent: '发票申请' } });
    expect(await intents.get('inv-2')).toMatchObject({ intent: '发票申请', source: 'topic' });
    expect(await intents.get('inv-3')).toBeUndefined();
    const list = (await app.inject({ url: '/api/intents', headers: as(keys.reviewer) })).json().intents as { key: string; names?: unknown }[];
    expect(list.find((i) => i.key === '发票申请')).toMatchObject({ names: { en: 'Invoice request' } });
    expect((await app.inject({ method: 'POST', url: '/api/topics/topic-zh-abc/name', headers: as(keys.admin), payload: { intent: '发票申请' } })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: '/api/topics/nope/name', headers: as(keys.admin), payload: { intent: 'x' } })).statusCode).toBe(404);
  });
});
