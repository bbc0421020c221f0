import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { buildFinetuneSet } from '../finetune/build-set.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';

let app: FastifyInstance;
let keys: Keys;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const ids = Array.from({ length: 50 }, (_, i) => `fs-${i}`);
  const store = await labelingStore(ids.map((id, i) => fixtureDialogue(id, { customer_id: `c-${i}`, turns: [{ role: 'customer', text: `Where is parcel ${i * 7919}?` }, { role: 'agent', text: 'It arrives tomorrow.' }] })));
  keys = store.keys;
  await new LabelRepository(store.db).upsertMany(ids.map((id) => ({ dialogue_id: id, reviewer: 'alice', status: 'submitted' as const, schema_version: 1, intent: 'delivery_delay', fcr: 'yes' as const, accuracy: 'correct' as const, tone: 5, tone_tags: [], escalation_needed: 'no' as const, escalated: 'no' as const, reference_answer: '', required_facts: [], notes: '', turn_flags: [] })));
  await buildFinetuneSet(store.db, { name: 'parcels', format: 'openai', out: tempDir() });
  app = await buildApp({ db: store.db });
});
afterAll(() => app?.close());

describe('fine-tuning sets over HTTP', () => {
  it('lists the sets with their cards and serves their files for download', async () => {
    const list = await app.inject({ url: '/api/finetune/sets', headers: as(keys.engineer) });
    expect(list.statusCode).toBe(200);
    const [set] = list.json().sets;
    expect(set).toMatchObject({ name: 'parcels', version: 1, format: 'openai' });
    expect(set.card.examples.train).toBeGreaterThan(0);
    const train = await app.inject({ url: '/api/finetune/sets/parcels/1/train.jsonl', headers: as(keys.engineer) });
    expect(train.statusCode).toBe(200);
    expect(train.headers['content-disposition']).toContain('parcels-v1-train.jsonl');
    expect(train.body.trim().split('\n')).toHaveLength(set.card.examples.train);
    expect((await app.inject({ url: '/api/finetune/sets/parcels/1/card.md', headers: as(keys.admin) })).body).toMatch(/parcels/);
    expect((await app.inject({ url: '/api/finetune/sets/parcels/1/..%2F..%2Fetc%2Fpasswd', headers: as(keys.engineer) })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/finetune/sets/parcels/9/train.jsonl', headers: as(keys.engineer) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/finetune/sets', headers: as(keys.reviewer) })).statusCode).toBe(403);
  });
});
