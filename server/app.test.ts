import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, Role } from './domain/label.ts';
import { buildApp } from './app.ts';
import { fixtureDialogue, labelingStore, type Keys } from './test-support/labeling-fixture.ts';
import type { Database } from './storage/database.ts';
import { tempDir } from './test-support/temp.ts';

let app: FastifyInstance;
let db: Database;
let keys: Keys;

const fields = (overrides: Record<string, unknown> = {}) => ({
  intent: 'screen_repair',
  fcr: 'yes',
  accuracy: 'correct',
  tone: 4,
  tone_tags: ['polite'],
  escalation_needed: 'no',
  escalated: 'no',
  reference_answer: '您好，您的手机在保修期内，可以免费维修。',
  required_facts: ['保修期内', '免费维修'],
  notes: '',
  turn_flags: [],
  ...overrides,
});

const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  ({ db, keys } = await labelingStore([
    fixtureDialogue('d-1'),
    fixtureDialogue('d-2', { customer_id: 'c-2', language: 'en', channel: 'app', turns: [{ role: 'customer', text: 'I want a human <img src=x onerror=alert(1)>' }] }),
    fixtureDialogue('d-3', { customer_id: 'c-3', channel: 'wechat' }),
    fixtureDialogue('d-4', { customer_id: undefined, channel: 'phone' }),
  ]));
  app = await buildApp({ db, maxAuthFailures: 1000 });
});
afterAll(() => app?.close());

// Who may call which route, for every spelling of its path: auth-policy.test.ts.

describe('queue', () => {
  it('gives the next unlabeled dialogue with the customer profile, warranty status and FCR suggestion', async () => {
    const response = await app.inject({ url: '/api/queue/next?channel=web', headers: as(keys.reviewer) });
    expect(response.statusCode).toBe(200);
    const { item, progress } = response.json();
    expect(item.dialogue.id).toBe('d-1');
    expect(item.customer.tier).toBe('vip');
    expect(item.customer.purchases.map((p: { warranty: { status: string } }) => p.warranty.status)).toEqual(['in_warranty', 'expired']);
    expect(item.fcr_estimate.value).toBeOneOf(['yes', 'no', 'unclear']);
    expect(item.fcr_estimate.reason.length).toBeGreaterThan(5);
    expect(item.my_label).toBeNull();
    expect(progress).toEqual({ done: 0, remaining: 1 });
  });

  it('filters by language and by uncertain FCR estimate', async () => {
    const en = await app.inject({ url: '/api/queue/next?language=en', headers: as(keys.reviewer) });
    expect(en.json().item.dialogue.id).toBe('d-2');
    const uncertain = await app.inject({ url: '/api/queue/next?uncertain=true', headers: as(keys.reviewer) });
    expect(uncertain.json().item.fcr_estimate.value).toBe('unclear');
  });

  it('rejects an invalid filter with 400 and a message naming it', async () => {
    const response = await app.inject({ url: '/api/queue/next?language=fr', headers: as(keys.reviewer) });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('language');
  });

  it('does not hand a skipped dialogue to the same reviewer again', async () => {
    const skip = await app.inject({ method: 'POST', url: '/api/queue/skip', payload: { dialogue_id: 'd-3' }, headers: as(keys.engineer) });
    expect(skip.statusCode).toBe(204);
    const next = await app.inject({ url: '/api/queue/next?channel=wechat', headers: as(keys.engineer) });
    expect(next.json().item).toBeNull();
  });
});

describe('saving labels', () => {
  const put = (key: string, body: unknown, id = 'd-1') => app.inject({ method: 'PUT', url: `/api/dialogues/${id}/label`, payload: body as object, headers: as(key) });

  it('creates a draft, submits it with the version read, and refuses a stale version with 409', async () => {
    const draft = await put(keys.reviewer, { fields: fields({ tone: 3 }), status: 'draft', version: null });
    expect(draft.statusCode).toBe(200);
    expect(draft.json()).toMatchObject({ version: 1, status: 'draft', tone: 3, reviewer: 'alice' });

    const view = await app.inject({ url: '/api/dialogues/d-1', headers: as(keys.reviewer) });
    expect(view.json().my_label.tone).toBe(3); // a draft survives a reload

    const submitted = await put(keys.reviewer, { fields: fields(), status: 'submitted', version: 1 });
    expect(submitted.json()).toMatchObject({ version: 2, status: 'submitted', tone: 4 });

    const stale = await put(keys.reviewer, { fields: fields({ tone: 1 }), status: 'submitted', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.message).toContain('version 2');
    const after = await app.inject({ url: '/api/labels?dialogue_id=d-1', headers: as(keys.reviewer) });
    expect(after.json().labels[0].tone).toBe(4);
  });

  it('loses no update when many saves race with the same version', async () => {
    const base = (await put(keys.admin, { fields: fields(), status: 'draft', version: null }, 'd-2')).json() as Label;
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => put(keys.admin, { fields: fields({ notes: `save ${i}` }), status: 'draft', version: base.version }, 'd-2')),
    );
    const ok = responses.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(responses.filter((r) => r.statusCode === 409)).toHaveLength(11);
    const stored = (await app.inject({ url: '/api/labels?dialogue_id=d-2&reviewer=ada', headers: as(keys.admin) })).json().labels[0];
    expect(stored.notes).toBe(ok[0]!.json().notes);
    expect(stored.version).toBe(base.version + 1);
  });

  it('refuses a second create of the same label with 409', async () => {
    const again = await put(keys.admin, { fields: fields(), status: 'draft', version: null }, 'd-2');
    expect(again.statusCode).toBe(409);
  });

  it('validates the body with zod and says what is wrong', async () => {
    const bad = await put(keys.reviewer2, { fields: fields({ fcr: 'maybe', tone: 9 }), status: 'submitted', version: null });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('validation');
    expect(bad.json().error.message).toMatch(/fcr|tone/);
  });

  it('answers 404 for a dialogue that does not exist', async () => {
    const missing = await put(keys.reviewer, { fields: fields(), status: 'draft', version: null }, 'nope');
    expect(missing.statusCode).toBe(404);
  });

  it('refuses a body over the size limit with 413', async () => {
    const big = await put(keys.reviewer, { fields: fields({ notes: 'x'.repeat(2 * 1024 * 1024) }), status: 'draft', version: null });
    expect(big.statusCode).toBe(413);
  });

  it('shows reviewers only their own labels and engineers everyone’s', async () => {
    const bob = (await app.inject({ url: '/api/labels', headers: as(keys.reviewer2) })).json();
    expect(bob.labels.every((l: Label) => l.reviewer === 'bob')).toBe(true);
    const erin = (await app.inject({ url: '/api/labels', headers: as(keys.engineer) })).json();
    expect(new Set(erin.labels.map((l: Label) => l.reviewer))).toEqual(new Set(['alice', 'ada']));
  });
});

describe('agreement and adjudication', () => {
  it('makes a single reviewer’s label gold when overlap is 1', async () => {
    const view = (await app.inject({ url: '/api/dialogues/d-1', headers: as(keys.admin) })).json();
    expect(view.gold).toMatchObject({ source: 'single', decided_by: 'alice', fcr: 'yes' });
  });

  it('shows two disagreeing reviewers on the agreement page and in adjudication, whose decision becomes gold', async () => {
    await app.inject({ method: 'PUT', url: '/api/settings', payload: { overlap: 2, fcr_window_days: 7 }, headers: as(keys.admin) });
    const put = (key: string, f: Record<string, unknown>) => app.inject({ method: 'PUT', url: '/api/dialogues/d-3/label', payload: { fields: fields(f), status: 'submitted', version: null }, headers: as(key) });
    expect((await put(keys.reviewer, { fcr: 'yes', tone: 5 })).statusCode).toBe(200);
    expect((await put(keys.reviewer2, { fcr: 'no', tone: 2 })).statusCode).toBe(200);

    const agreement = (await app.inject({ url: '/api/agreement', headers: as(keys.reviewer) })).json();
    expect(agreement.disagreements).toBe(1);
    const fcr = agreement.fields.find((f: { field: string }) => f.field === 'fcr');
    expect(fcr.pairs).toEqual([{ a: 'alice', b: 'bob', n: 1, kappa: expect.anything() }]);
    expect(agreement.reviewers.find((r: { reviewer: string }) => r.reviewer === 'bob')).toMatchObject({ labeled: 1, disagreement_rate: 1 });

    const queue = (await app.inject({ url: '/api/adjudication', headers: as(keys.admin) })).json();
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ dialogue_id: 'd-3', fields: expect.arrayContaining(['fcr', 'tone']) });

    const decided = await app.inject({ method: 'POST', url: '/api/adjudication/d-3', payload: { fields: fields({ fcr: 'no', tone: 3 }) }, headers: as(keys.admin) });
    expect(decided.statusCode).toBe(200);
    const view = (await app.inject({ url: '/api/dialogues/d-3', headers: as(keys.engineer) })).json();
    expect(view.gold).toMatchObject({ source: 'adjudication', decided_by: 'ada', fcr: 'no', tone: 3 });
  });
});

describe('guidelines and intents', () => {
  it('lets an admin edit the guidelines that reviewers read', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/guidelines', payload: { text: '新的指南 / new guidelines' }, headers: as(keys.admin) });
    expect(put.json()).toMatchObject({ text: '新的指南 / new guidelines', updated_by: 'ada' });
    const read = await app.inject({ url: '/api/guidelines', headers: as(keys.reviewer) });
    expect(read.json().text).toBe('新的指南 / new guidelines');
  });

  it('lists intents from the logs and lets a reviewer add one', async () => {
    const add = await app.inject({ method: 'POST', url: '/api/intents', payload: { key: 'sim_card_swap' }, headers: as(keys.reviewer) });
    expect(add.statusCode).toBe(201);
    const bad = await app.inject({ method: 'POST', url: '/api/intents', payload: { key: 'Not An Intent' }, headers: as(keys.reviewer) });
    expect(bad.statusCode).toBe(400);
    const list = (await app.inject({ url: '/api/intents', headers: as(keys.reviewer) })).json();
    expect(list.intents.map((i: { key: string }) => i.key)).toEqual(expect.arrayContaining(['screen_repair', 'sim_card_swap']));
  });
});

describe('authentication failures', () => {
  it('answers 429 with Retry-After to further invalid keys after too many from one address', async () => {
    const strict = await buildApp({ db, maxAuthFailures: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await strict.inject({ url: '/api/me', headers: as('fc_reviewer_wrongwrongwrongwrongwrong') })).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      const blocked = await strict.inject({ url: '/api/me', headers: as('fc_admin_wrongwrongwrongwrongwrong') });
      expect(blocked.statusCode).toBe(429);
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await strict.close();
    }
  });

  it('keeps accepting a valid key from an address that is blocked for its many invalid ones', async () => {
    const strict = await buildApp({ db, maxAuthFailures: 2 });
    try {
      for (let i = 0; i < 10; i++) await strict.inject({ url: '/api/me', headers: as('fc_reviewer_wrongwrongwrongwrongwrong') });
      expect((await strict.inject({ url: '/api/me', headers: as('fc_reviewer_wrongwrongwrongwrongwrong') })).statusCode).toBe(429);
      const valid = await strict.inject({ url: '/api/me', headers: as(keys.reviewer) });
      expect(valid.statusCode).toBe(200);
      expect(valid.json()).toEqual({ name: 'alice', role: 'reviewer' });
      expect((await strict.inject({ url: '/api/guidelines', headers: as(keys.admin) })).statusCode).toBe(200);
      expect((await strict.inject({ url: '/api/me', headers: as('fc_bot_wrongwrongwrongwrongwrongwrong') })).statusCode).toBe(429);
    } finally {
      await strict.close();
    }
  });

  it('answers 401, not 500, when a handler reads the viewer of a request that has none', async () => {
    const open = await buildApp({ db });
    open.get('/api/peek', { config: { public: true } }, async (request) => ({ name: request.viewer.name }));
    try {
      const response = await open.inject({ url: '/api/peek' });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    } finally {
      await open.close();
    }
  });

  it('never returns the key or its hash', async () => {
    const me = await app.inject({ url: '/api/me', headers: as(keys.admin) });
    expect(me.json()).toEqual({ name: 'ada', role: 'admin' });
    expect(me.body).not.toContain(keys.admin);
  });
});

export type { Role };

describe('OpenAPI', () => {
  it('publishes an OpenAPI document generated from the route schemas, browsable at /docs', async () => {
    const spec = await app.inject({ url: '/docs/json' });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/queue/next', '/api/dialogues/{id}/label', '/v1/configs/{channel}', '/v1/answer', '/v1/chat/completions']));
    expect(doc.paths['/api/dialogues/{id}/label'].put.requestBody).toBeDefined();
    const page = await app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('swagger');
  });

  it('tells readers of /docs how to send the key, with the placeholder in a code span so swagger-ui shows it', async () => {
    const doc = (await app.inject({ url: '/docs/json' })).json();
    expect(doc.info.description).toContain('`Authorization: Bearer <API key>`');
  });
});

describe('security headers', () => {
  const CSP = 'content-security-policy';
  let withUi: FastifyInstance;
  beforeAll(async () => {
    const uiDir = tempDir();
    writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>firstcall</title>');
    withUi = await buildApp({ db, uiDir });
  });
  afterAll(() => withUi?.close());

  const expectCommonHeaders = (headers: Record<string, unknown>) => {
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(String(headers[CSP])).toContain("frame-ancestors 'none'");
  };

  it('sends the UI with a CSP that allows only its own scripts and styles, and no framing, sniffing or Referer', async () => {
    for (const url of ['/', '/runs']) {
      const page = await withUi.inject({ url });
      expect(page.statusCode).toBe(200);
      expectCommonHeaders(page.headers);
      const csp = String(page.headers[CSP]);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self';");
      expect(csp).not.toContain('unsafe');
    }
  });

  it('sends the same headers on API answers, errors and unknown paths', async () => {
    for (const [url, headers, status] of [
      ['/api/health', {}, 200],
      ['/api/me', as(keys.reviewer), 200],
      ['/api/me', {}, 401],
      ['/api/settings', as(keys.bot), 403],
      ['/api/nothing', {}, 404],
    ] as const) {
      const response = await withUi.inject({ url, headers });
      expect(response.statusCode).toBe(status);
      expectCommonHeaders(response.headers);
      expect(String(response.headers[CSP])).not.toContain('unsafe');
    }
  });

  it('allows inline styles on the /docs pages only, which swagger-ui needs', async () => {
    const docs = await withUi.inject({ url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expectCommonHeaders(docs.headers);
    expect(String(docs.headers[CSP])).toContain("style-src 'self' 'unsafe-inline'");
    expect(String(docs.headers[CSP])).toContain("script-src 'self';");
  });
});

describe('text that is not well-formed Unicode', () => {
  // A raw body: JSON.stringify would also escape the lone surrogate, but this is what a client sends.
  const raw = (text: string) => text.replace('LONE', '\\ud800');
  const json = { 'content-type': 'application/json' };

  it('refuses a lone surrogate in a label with 400 naming the field', async () => {
    const body = raw(JSON.stringify({ fields: fields({ notes: 'LONE' }), status: 'draft', version: null }));
    const response = await app.inject({ method: 'PUT', url: '/api/dialogues/d-4/label', payload: body, headers: { ...as(keys.reviewer), ...json } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'validation', message: expect.stringMatching(/fields\.notes.*lone surrogate/) });
  });

  it('refuses a lone surrogate in a message to the production answer endpoints with 400', async () => {
    const answer = raw(JSON.stringify({ channel: 'web', messages: [{ role: 'customer', text: 'hi LONE' }] }));
    const response = await app.inject({ method: 'POST', url: '/v1/answer', payload: answer, headers: { ...as(keys.bot), ...json } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/messages\.0\.text.*lone surrogate/);
    const chat = raw(JSON.stringify({ model: 'firstcall:web', messages: [{ role: 'user', content: 'LONE' }] }));
    const completion = await app.inject({ method: 'POST', url: '/v1/chat/completions', payload: chat, headers: { ...as(keys.bot), ...json } });
    expect(completion.statusCode).toBe(400);
    expect(completion.json().error.message).toMatch(/messages\.0\.content.*lone surrogate/);
  });

  it('refuses a lone surrogate in an object key and in a low-surrogate-only escape', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/intents', payload: '{"key":"ok","x\\udc00":1}', headers: { ...as(keys.reviewer), ...json } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('lone surrogate');
  });

  it('refuses a lone surrogate written with an upper-case escape, and takes a surrogate encoded in the bytes (invalid UTF-8) as U+FFFD', async () => {
    const upper = JSON.stringify({ fields: fields({ notes: 'LONE' }), status: 'draft', version: null }).replace('LONE', '\\uDBFF');
    const refused = await app.inject({ method: 'PUT', url: '/api/dialogues/d-4/label', payload: upper, headers: { ...as(keys.reviewer), ...json } });
    expect(refused.statusCode).toBe(400);
    // ED A0 80 is U+D800 encoded as if it were a character: not UTF-8, so it is decoded as replacement characters.
    const text = JSON.stringify({ fields: fields({ notes: 'BYTES' }), status: 'draft', version: null });
    const [before, after] = text.split('BYTES') as [string, string];
    const bytes = Buffer.concat([Buffer.from(before), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(after)]);
    const accepted = await app.inject({ method: 'PUT', url: '/api/dialogues/d-2/label', payload: bytes, headers: { ...as(keys.reviewer), ...json } });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().notes).toMatch(/^\uFFFD+$/);
  });

  it('accepts a well-formed surrogate pair (an emoji) written as escapes', async () => {
    const body = JSON.stringify({ fields: fields({ notes: 'PAIR' }), status: 'draft', version: null }).replace('PAIR', '\\ud83d\\ude00');
    const response = await app.inject({ method: 'PUT', url: '/api/dialogues/d-4/label', payload: body, headers: { ...as(keys.reviewer), ...json } });
    expect(response.statusCode).toBe(200);
    expect(response.json().notes).toBe('😀');
  });
});
