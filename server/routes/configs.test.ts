import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { PromotionRefusedBody } from '../domain/promotion.ts';
import { evaluate } from '../services/evaluate.ts';
import { ProviderError } from '../providers/provider-error.ts';
import { putGateSettings } from '../services/settings.ts';
import type { Database } from '../storage/database.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';

let db: Database;
let keys: Keys;
let app: FastifyInstance;
let runs: Record<string, string>;
let store: Awaited<ReturnType<typeof evalStore>>;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  store = await evalStore(60);
  ({ db, keys } = store);
  const { report } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml', 'evals/candidates/kb-concise.yaml'], cache: 'off' });
  runs = Object.fromEntries(report.candidates.map((c) => [c.name, c.run_id]));
  app = await buildApp({ db, maxAuthFailures: 1000 });
});
afterAll(() => app?.close());

const promote = (body: object, key = keys.admin) => app.inject({ method: 'POST', url: '/api/promotions', payload: body, headers: as(key) });

describe('promotion on a store whose labels cannot vouch for the scorers', () => {
  it('refuses when no quality scorer agrees with the store\'s labels, says why, and promotes once gate_untrusted is set', async () => {
    const refused = await promote({ run_id: runs['human-replay'], channel: 'web' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/No quality scorer \(fcr, accuracy, tone\) agrees well enough with this store's labels/);
    expect(refused.json().error.message).toMatch(/not gated|only \d+ labels/i);
    // The rest of this file exercises the gate's own checks on a store with no labels.
    await putGateSettings(db, { gate_untrusted: true }, 'test');
  });
});

describe('promotion, configs and rollback', () => {
  it('promotes a first config through the gate and serves it to bots with an ETag and 304', async () => {
    const first = await promote({ run_id: runs['human-replay'], channel: 'web' });
    expect(first.statusCode).toBe(200);
    expect(first.json().checks.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['enough_cases']));
    const config = await app.inject({ url: '/v1/configs/web', headers: as(keys.bot) });
    expect(config.statusCode).toBe(200);
    expect(config.json()).toMatchObject({ channel: 'web', label: 'production', candidate: 'human-replay', model: 'replay:human' });
    expect(config.headers['cache-control']).toContain('max-age');
    const again = await app.inject({ url: '/v1/configs/web', headers: { ...as(keys.bot), 'if-none-match': String(config.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect((await app.inject({ url: '/v1/configs/web?label=staging', headers: as(keys.bot) })).statusCode).toBe(404);
    expect((await app.inject({ url: '/v1/configs/web', headers: as(keys.reviewer) })).statusCode).toBe(403);
  });

  it('refuses a candidate that does not beat production, shows why, and records a forced promotion', async () => {
    const refused = await promote({ run_id: runs['kb-concise'], channel: 'web' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/refused by the gate/);
    // The refusal carries the gate's decision as data: every check, the failed ones among them.
    const refusal = PromotionRefusedBody.parse(refused.json()).error;
    expect(refusal).toMatchObject({ code: 'conflict', forcible: true, decision: { allowed: false } });
    const failed = refusal.decision!.checks.filter((c) => !c.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(refusal.message).toBe(`promotion refused by the gate: ${failed.map((c) => c.detail).join('; ')}`);
    expect((await promote({ run_id: runs['kb-concise'], channel: 'web', force_reason: 'try it' }, keys.engineer)).statusCode).toBe(403);
    const forced = await promote({ run_id: runs['kb-concise'], channel: 'web', force_reason: 'pilot of the offline bot' });
    expect(forced.statusCode).toBe(200);
    expect(forced.json().forced).toBe(true);
    const history = (await app.inject({ url: '/api/configs/history?channel=web', headers: as(keys.engineer) })).json().history;
    expect(history[0]).toMatchObject({ action: 'promote', forced_reason: 'pilot of the offline bot', by: 'ada' });
    expect(history[0].checks.some((c: { passed: boolean }) => !c.passed)).toBe(true);
    expect((await app.inject({ url: '/v1/configs/web', headers: as(keys.bot) })).json().candidate).toBe('kb-concise');
  });

  it('rolls back to the previous config in one move and keeps the history', async () => {
    const back = await app.inject({ method: 'POST', url: '/api/configs/web/rollback', payload: {}, headers: as(keys.admin) });
    expect(back.statusCode).toBe(200);
    expect((await app.inject({ url: '/v1/configs/web', headers: as(keys.bot) })).json().candidate).toBe('human-replay');
    const history = (await app.inject({ url: '/api/configs/history?channel=web', headers: as(keys.admin) })).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['rollback', 'promote', 'promote']);
    expect((await app.inject({ method: 'POST', url: '/api/configs/web/rollback', payload: {}, headers: as(keys.admin) })).statusCode).toBe(409);
  });
});

describe('promoting a run with failed cases', () => {
  it('refuses an incomplete run with 409 and says why, even forced by an admin, from the API and the CLI', async () => {
    const emptyCache = join(store.dir, 'empty-cache');
    mkdirSync(emptyCache, { recursive: true });
    const { report } = await evaluate(db, { suite: 'eval-test', candidates: [store.candidate], cache: 'replay', cacheDir: emptyCache });
    const broken = report.candidates[0]!.run_id;
    for (const body of [{ run_id: broken, channel: 'wechat' }, { run_id: broken, channel: 'wechat', force_reason: 'ship it anyway' }]) {
      const refused = await promote(body);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toMatch(new RegExp(`^promotion refused: run ${broken} is incomplete: (\\d+) of \\1 cases failed \\(first error: .*no recorded response`));
      expect(refused.json().error.message).toContain(`--resume ${broken}`);
      // Refused before the gate, and not forcible.
      expect(refused.json().error).toMatchObject({ code: 'conflict', forcible: false });
      expect(refused.json().error.decision).toBeUndefined();
    }
    expect((await app.inject({ url: '/v1/configs/wechat', headers: as(keys.bot) })).statusCode).toBe(404);
  });

  it('refuses an older done run that has any failed case (stored before runs recorded completeness)', async () => {
    const { report } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/kb-strict.yaml'], cache: 'off' });
    const id = report.candidates[0]!.run_id;
    const [row] = await db.all<{ summary: string }>('SELECT summary FROM eval_runs WHERE id = $id', { id });
    const legacy = { ...JSON.parse(row!.summary), errors: 1, first_error: 'boom (after 1 attempt)', completeness: undefined };
    await db.run("UPDATE eval_runs SET status = 'done', summary = $s WHERE id = $id", { id, s: JSON.stringify(legacy) });
    const refused = await promote({ run_id: id, channel: 'phone', force_reason: 'legacy' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/is incomplete: 1 of \d+ cases failed \(first error: boom/);
  });
});

describe('the production answer endpoint', () => {
  it('hands an explicit request for a human to a queue and logs the exchange as a production dialogue', async () => {
    await promote({ run_id: runs['kb-concise'], channel: 'app', force_reason: 'answer endpoint test' });
    const response = await app.inject({ method: 'POST', url: '/v1/answer', headers: as(keys.bot), payload: { channel: 'app', customer_id: 'c-1', messages: [{ role: 'customer', text: '我要转人工，马上！我的手机号13800138000' }] } });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.handoff).toMatchObject({ queue: expect.any(String), reason: 'explicit_request' });
    expect(body.config_version).toMatch(/^cfg-/);
    const [logged] = await db.all<{ source: string; n: string }>('SELECT d.source, count(t.seq) AS n FROM dialogues d JOIN turns t ON t.dialogue_id = d.id WHERE d.id = $id GROUP BY 1', { id: body.dialogue_id });
    expect(logged).toEqual({ source: 'production', n: '2' });
    const texts = await db.all<{ text: string }>('SELECT text FROM turns WHERE dialogue_id = $id', { id: body.dialogue_id });
    expect(texts[0]!.text).toContain('[PHONE]');
  });

  it('answers with the fallback message and a hand-off when the model fails, never a 5xx', async () => {
    const failing = await buildApp({
      db,
      answers: { resolve: async () => ({ id: 'openai:down', generate: async () => Promise.reject(new ProviderError('upstream 503', { provider: 'openai:down', kind: 'server', retryable: true, status: 503 })) }) },
    });
    try {
      const response = await failing.inject({ method: 'POST', url: '/v1/answer', headers: as(keys.bot), payload: { channel: 'app', messages: [{ role: 'customer', text: 'When will my parcel arrive?' }] } });
      expect(response.statusCode).toBe(200);
      expect(response.json().handoff.reason).toMatch(/model unavailable/);
      expect(response.json().answer.length).toBeGreaterThan(5);
    } finally {
      await failing.close();
    }
  });

  it('validates the body and says what is wrong', async () => {
    const bad = await app.inject({ method: 'POST', url: '/v1/answer', headers: as(keys.bot), payload: { channel: 'app', messages: [] } });
    expect(bad.statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/v1/answer', headers: as(keys.bot), payload: { channel: 'fax', messages: [{ role: 'customer', text: 'hi' }] } })).statusCode).toBe(404);
  });

  it('speaks the OpenAI chat-completions protocol to the official openai client', async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as { port: number };
    const client = new OpenAI({ baseURL: `http://127.0.0.1:${address.port}/v1`, apiKey: keys.bot, maxRetries: 0 });
    const completion = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'system', content: 'ignored' }, { role: 'user', content: 'I want to speak to a human agent now' }], user: 'c-1' });
    expect(completion.choices[0]!.message.content!.length).toBeGreaterThan(5);
    expect(completion.choices[0]!.finish_reason).toBe('handoff');
    expect((completion as unknown as { firstcall: { config_version: string } }).firstcall.config_version).toMatch(/^cfg-/);
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toMatchObject({ status: 400 });
  });
});
