// Intents in the users' language over HTTP: Chinese keys, NFKC normalisation, display names per
// language; data sets' CamelCase keys usable as they are while new keys have no capitals; and a label
// with the reviewer's csat estimate (label schema v2).
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let keys: Keys;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const store = await labelingStore([
    fixtureDialogue('zh-1', { metadata: { intent: '话费查询' } }),
    fixtureDialogue('zh-2'),
    // a data set's own key, in its own spelling (DSTC11)
    fixtureDialogue('en-bank', { language: 'en', metadata: { intent: 'CheckCreditCardBalance' } }),
  ]);
  keys = store.keys;
  app = await buildApp({ db: store.db });
});
afterAll(() => app?.close());

describe('intents in the users’ language', () => {
  it('adds a Chinese intent with display names, normalises full-width keys, rejects spaces and punctuation', async () => {
    const add = await app.inject({ method: 'POST', url: '/api/intents', headers: as(keys.reviewer), payload: { key: '话费查询', names: { zh: '话费查询', en: 'Phone bill enquiry' } } });
    expect(add.statusCode).toBe(201);
    expect(add.json()).toEqual({ key: '话费查询' });
    const wide = await app.inject({ method: 'POST', url: '/api/intents', headers: as(keys.reviewer), payload: { key: 'ｒｅｆｕｎｄ_２' } });
    expect(wide.json()).toEqual({ key: 'refund_2' });
    for (const bad of ['话费 查询', '话费查询！', 'Screen_Repair', '_x']) {
      const r = await app.inject({ method: 'POST', url: '/api/intents', headers: as(keys.reviewer), payload: { key: bad } });
      expect(r.statusCode, bad).toBe(400);
    }
    const list = await app.inject({ url: '/api/intents', headers: as(keys.reviewer) });
    const intents = list.json().intents as { key: string; count: number; names?: Record<string, string> }[];
    expect(intents.find((i) => i.key === '话费查询')).toEqual({ key: '话费查询', count: 1, names: { zh: '话费查询', en: 'Phone bill enquiry' } });
    expect(intents.find((i) => i.key === 'screen_repair')).toEqual({ key: 'screen_repair', count: 1 });
    // Adding the key again without names keeps them.
    await app.inject({ method: 'POST', url: '/api/intents', headers: as(keys.reviewer), payload: { key: '话费查询' } });
    const again = (await app.inject({ url: '/api/intents', headers: as(keys.reviewer) })).json().intents as { key: string; names?: unknown }[];
    expect(again.find((i) => i.key === '话费查询')?.names).toEqual({ zh: '话费查询', en: 'Phone bill enquiry' });
  });

  it('labels with a data set’s CamelCase intent as it is, and refuses a new key with capitals before storing anything', async () => {
    const fields = { intent: 'CheckCreditCardBalance', fcr: 'yes' };
    const saved = await app.inject({ method: 'PUT', url: '/api/dialogues/en-bank/label', headers: as(keys.reviewer), payload: { version: null, status: 'draft', fields } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ intent: 'CheckCreditCardBalance', version: 1 });
    const named = await app.inject({ method: 'POST', url: '/api/intents', headers: as(keys.reviewer), payload: { key: 'CheckCreditCardBalance', names: { zh: '查询信用卡余额' } } });
    expect(named.statusCode).toBe(201);
    const fresh = await app.inject({ method: 'PUT', url: '/api/dialogues/en-bank/label', headers: as(keys.reviewer2), payload: { version: null, status: 'draft', fields: { intent: 'Card_Lost' } } });
    expect(fresh.statusCode).toBe(400);
    expect(fresh.json().error.message).toMatch(/new intent key has no capital letters/);
    const labels = (await app.inject({ url: '/api/dialogues/en-bank', headers: as(keys.reviewer2) })).json();
    expect(labels.my_label).toBeNull();
    const keysNow = (await app.inject({ url: '/api/intents', headers: as(keys.reviewer) })).json().intents.map((i: { key: string }) => i.key);
    expect(keysNow).toContain('CheckCreditCardBalance');
    expect(keysNow).not.toContain('Card_Lost');
    expect(keysNow).not.toContain('checkcreditcardbalance');
  });

  it('saves a label with a Chinese intent and a csat estimate, and counts csat in agreement as ordinal', async () => {
    const fields = { intent: '账单_查询', fcr: 'yes', csat: 4, tone: 5 };
    const saved = await app.inject({ method: 'PUT', url: '/api/dialogues/zh-2/label', headers: as(keys.reviewer), payload: { version: null, status: 'submitted', fields } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ intent: '账单_查询', csat: 4, schema_version: 2 });
    const bad = await app.inject({ method: 'PUT', url: '/api/dialogues/zh-1/label', headers: as(keys.reviewer), payload: { version: null, status: 'draft', fields: { csat: 6 } } });
    expect(bad.statusCode).toBe(400);
    const agreement = (await app.inject({ url: '/api/agreement', headers: as(keys.engineer) })).json();
    expect(JSON.stringify(agreement)).toContain('csat');
    expect((await app.inject({ url: '/api/intents', headers: as(keys.reviewer) })).json().intents.map((i: { key: string }) => i.key)).toContain('账单_查询');
  });
});
