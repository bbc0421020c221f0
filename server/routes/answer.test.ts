import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { evaluate } from '../services/evaluate.ts';
import { forgetServed } from '../services/configs.ts';
import { ExchangeLog, journalDir } from '../services/exchange-log.ts';
import { promote } from '../services/promotion.ts';
import { createApiKey } from '../services/api-keys.ts';
import type { Database } from '../storage/database.ts';
import { SuiteRepository } from '../storage/suite-repository.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';

let db: Database;
let keys: Keys;
let otherBot: string;
let app: FastifyInstance;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  ({ db, keys } = await evalStore(40));
  const { report } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/kb-concise.yaml'], cache: 'off' });
  for (const channel of ['web', 'app']) await promote(db, { runId: report.candidates[0]!.run_id, channel, by: 'test', force: 'answer route test' });
  otherBot = (await createApiKey(db, 'bot', 'other-bot')).key;
  app = await buildApp({ db, maxAuthFailures: 1000 });
});
afterAll(() => app?.close());

const ask = (key: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/answer', headers: as(key), payload: body });
const chat = (key: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: '/v1/chat/completions', headers: as(key), payload: body });

/** Everything stored about a dialogue, to show a refused request changed nothing. */
async function snapshot(id: string) {
  const dialogue = await db.all('SELECT * EXCLUDE (started_ts) FROM dialogues WHERE id = $id', { id });
  const turns = await db.all('SELECT seq, role, text, agent_kind FROM turns WHERE dialogue_id = $id ORDER BY seq', { id });
  return JSON.stringify({ dialogue, turns });
}

async function startProduction(key: string, channel = 'web'): Promise<string> {
  const response = await ask(key, { channel, messages: [{ role: 'customer', text: 'How do I return my earbuds?' }] });
  expect(response.statusCode).toBe(200);
  return response.json().dialogue_id as string;
}

const continuation = (channel: string, dialogueId: string) => ({
  channel,
  dialogue_id: dialogueId,
  messages: [
    { role: 'customer', text: 'How do I return my earbuds?' },
    { role: 'agent', text: 'Within 7 days you can return them.' },
    { role: 'customer', text: 'I want to talk to a human agent please' },
  ],
});

describe('a bot continues only its own production dialogues', () => {
  it('refuses to continue an ingested dialogue with 404 and leaves it unchanged', async () => {
    const before = await snapshot('ev-003');
    const response = await ask(keys.bot, continuation('web', 'ev-003'));
    expect(response.statusCode).toBe(404);
    expect(response.json().error.message).toMatch(/no production dialogue ev-003 started by this API key/);
    expect(await snapshot('ev-003')).toBe(before);
  });

  it('refuses to continue an ingested dialogue a reviewer labeled, and leaves the dialogue and its label unchanged', async () => {
    const label = await app.inject({
      method: 'PUT',
      url: '/api/dialogues/ev-005/label',
      headers: as(keys.reviewer),
      payload: {
        fields: { intent: 'delivery_delay', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] },
        status: 'submitted',
        version: null,
      },
    });
    expect(label.statusCode).toBe(200);
    const before = await snapshot('ev-005');
    const labelsBefore = JSON.stringify(await db.all("SELECT * FROM labels WHERE dialogue_id = 'ev-005'"));
    expect((await ask(keys.bot, continuation('web', 'ev-005'))).statusCode).toBe(404);
    expect(await snapshot('ev-005')).toBe(before);
    expect(JSON.stringify(await db.all("SELECT * FROM labels WHERE dialogue_id = 'ev-005'"))).toBe(labelsBefore);
  });

  it("refuses to continue another key's production dialogue with 404 and leaves it unchanged", async () => {
    const theirs = await startProduction(otherBot);
    const before = await snapshot(theirs);
    const response = await ask(keys.bot, continuation('web', theirs));
    expect(response.statusCode).toBe(404);
    expect(await snapshot(theirs)).toBe(before);
  });

  it("refuses to continue its own production dialogue through another channel's endpoint", async () => {
    const onWeb = await startProduction(keys.bot, 'web');
    const before = await snapshot(onWeb);
    expect((await ask(keys.bot, continuation('app', onWeb))).statusCode).toBe(404);
    expect(await snapshot(onWeb)).toBe(before);
  });

  it('refuses an unknown dialogue id instead of creating a dialogue under it', async () => {
    expect((await ask(keys.bot, continuation('web', 'made-up-id'))).statusCode).toBe(404);
    expect(await db.all("SELECT id FROM dialogues WHERE id = 'made-up-id'")).toEqual([]);
  });

  it('continues its own production dialogue: the longer exchange replaces the stored one under the same id', async () => {
    const mine = await startProduction(keys.bot);
    const [{ started_at: startedBefore }] = (await db.all<{ started_at: string }>('SELECT started_at FROM dialogues WHERE id = $id', { id: mine })) as [{ started_at: string }];
    const response = await ask(keys.bot, continuation('web', mine));
    expect(response.statusCode).toBe(200);
    expect(response.json().dialogue_id).toBe(mine);
    const turns = await db.all<{ role: string; text: string }>('SELECT role, text FROM turns WHERE dialogue_id = $id ORDER BY seq', { id: mine });
    expect(turns.map((t) => t.role)).toEqual(['customer', 'agent', 'customer', 'agent']);
    expect(turns[2]!.text).toBe('I want to talk to a human agent please');
    const [row] = await db.all<{ source: string; started_at: string; escalated: boolean }>('SELECT source, started_at, escalated FROM dialogues WHERE id = $id', { id: mine });
    expect(row).toEqual({ source: 'production', started_at: startedBefore, escalated: true });
  });

  it('refuses with 409 to continue its own production dialogue once a reviewer has labeled it', async () => {
    const mine = await startProduction(keys.bot);
    await db.run(
      `INSERT INTO gold_labels (dialogue_id, decided_by, source, schema_version, intent, fcr, accuracy, tone, tone_tags, escalation_needed, escalated, reference_answer, required_facts, notes, turn_flags, decided_at)
       VALUES ($id, 'ada', 'single', 1, 'refund_request', 'yes', 'correct', 4, '[]', 'no', 'no', '', '[]', '', '[]', now())`,
      { id: mine },
    );
    const before = await snapshot(mine);
    const response = await ask(keys.bot, continuation('web', mine));
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toMatch(/labeled/);
    expect(await snapshot(mine)).toBe(before);
  });

  it('refuses with 409 to continue its own production dialogue once a suite has frozen it', async () => {
    const mine = await startProduction(keys.bot);
    const suites = new SuiteRepository(db);
    const base = (await suites.get('eval-test'))!;
    await suites.insert({ ...base, name: 'frozen-production', version: 1, cases: [{ ...base.cases[0]!, case_id: `${mine}-0`, dialogue_id: mine }] });
    const before = await snapshot(mine);
    const response = await ask(keys.bot, continuation('web', mine));
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toMatch(/frozen in an eval suite/);
    expect(await snapshot(mine)).toBe(before);
  });

  it('applies the same rule to /v1/chat/completions with metadata.dialogue_id', async () => {
    const before = await snapshot('ev-003');
    const refused = await chat(keys.bot, { model: 'firstcall:web', messages: [{ role: 'user', content: 'hello again' }], metadata: { dialogue_id: 'ev-003' } });
    expect(refused.statusCode).toBe(404);
    expect(await snapshot('ev-003')).toBe(before);
    const mine = await startProduction(keys.bot);
    const continued = await chat(keys.bot, {
      model: 'firstcall:web',
      messages: [{ role: 'user', content: 'How do I return my earbuds?' }, { role: 'assistant', content: 'Within 7 days.' }, { role: 'user', content: 'And after that?' }],
      metadata: { dialogue_id: mine },
    });
    expect(continued.statusCode).toBe(200);
    expect(await db.all('SELECT count(*)::INT AS n FROM turns WHERE dialogue_id = $id', { id: mine })).toEqual([{ n: 4 }]);
  });
});

describe('input limits on the answer endpoints', () => {
  const user = (content: unknown) => ({ role: 'user', content });

  it('answers 400, not 500, to 201 messages on /v1/chat/completions and on /v1/answer', async () => {
    const many = await chat(keys.bot, { model: 'firstcall:web', messages: Array.from({ length: 201 }, () => user('hi')) });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.message).toMatch(/at most 200 messages/);
    const answer = await ask(keys.bot, { channel: 'web', messages: Array.from({ length: 201 }, () => ({ role: 'customer', text: 'hi' })) });
    expect(answer.statusCode).toBe(400);
  });

  it('answers 400 to a content part or a message over 10,000 characters', async () => {
    const part = await chat(keys.bot, { model: 'firstcall:web', messages: [user([{ type: 'text', text: 'x'.repeat(10_001) }])] });
    expect(part.statusCode).toBe(400);
    expect(part.json().error.message).toMatch(/10000 characters/);
    const parts = await chat(keys.bot, { model: 'firstcall:web', messages: [user([{ type: 'text', text: 'x'.repeat(6_000) }, { type: 'text', text: 'y'.repeat(6_000) }])] });
    expect(parts.statusCode).toBe(400);
    expect(parts.json().error.message).toMatch(/content parts together/);
    const plain = await chat(keys.bot, { model: 'firstcall:web', messages: [user('z'.repeat(10_001))] });
    expect(plain.statusCode).toBe(400);
  });

  it('answers 400 to a metadata.dialogue_id over 200 characters', async () => {
    const response = await chat(keys.bot, { model: 'firstcall:web', messages: [user('hi')], metadata: { dialogue_id: 'd'.repeat(201) } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/dialogue_id must be 1-200 characters/);
  });
});

describe('/v1/answer never answers 5xx', () => {
  it('answers as usual while the store refuses the exchange (it waits in the journal), and stores it once the store accepts again', async () => {
    const log = ExchangeLog.of(db, { log: () => undefined });
    await db.run('ALTER TABLE production_dialogue_owners RENAME TO owners_away');
    let id: string;
    try {
      const response = await ask(keys.bot, { channel: 'web', messages: [{ role: 'customer', text: 'How do I return my earbuds?' }] });
      expect(response.statusCode).toBe(200);
      expect(response.json().handoff?.reason).not.toBe('internal error');
      id = response.json().dialogue_id;
      await expect(log.settled()).rejects.toThrow(/refuses/);
      expect(await db.all('SELECT id FROM dialogues WHERE id = $id', { id })).toEqual([]);
      // Continued meanwhile: the exchange waiting in the journal is the dialogue.
      const continued = await ask(keys.bot, { channel: 'web', dialogue_id: id, messages: [{ role: 'customer', text: 'How do I return my earbuds?' }, { role: 'agent', text: response.json().answer }, { role: 'customer', text: 'Thanks' }] });
      expect(continued.statusCode).toBe(200);
    } finally {
      await db.run('ALTER TABLE owners_away RENAME TO production_dialogue_owners');
    }
    await log.settled();
    expect(await db.all<{ n: number }>('SELECT count(*)::INT AS n FROM turns WHERE dialogue_id = $id', { id })).toEqual([{ n: 4 }]);
  });

  it('answers with the fallback message and a hand-off when neither the journal nor the store can keep the exchange, and stores nothing', async () => {
    const log = ExchangeLog.of(db, { log: () => undefined });
    await log.settled();
    const dir = journalDir(db)!;
    const before = await db.all<{ n: number }>('SELECT count(*)::INT AS n FROM dialogues');
    rmSync(dir, { recursive: true, force: true });
    writeFileSync(dir, 'not a folder'); // the next journal segment cannot be opened
    await db.run('ALTER TABLE production_dialogue_owners RENAME TO owners_away');
    try {
      const response = await ask(keys.bot, { channel: 'web', messages: [{ role: 'customer', text: 'How do I return my earbuds?' }] });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ handoff: { queue: 'human', reason: 'internal error' }, config_version: expect.stringMatching(/^cfg-/) });
      expect(response.json().answer).toMatch(/colleague/);
    } finally {
      await db.run('ALTER TABLE owners_away RENAME TO production_dialogue_owners');
      rmSync(dir, { force: true });
      mkdirSync(dir);
    }
    expect(await db.all('SELECT count(*)::INT AS n FROM dialogues')).toEqual(before);
  });

  it('answers from the config it serves from memory while the store cannot read the pointers, and with a built-in fallback and a hand-off when that copy cannot be filled', async () => {
    expect((await ask(keys.bot, { channel: 'web', messages: [{ role: 'customer', text: 'Where is my parcel?' }] })).json().config_version).toMatch(/^cfg-/);
    await db.run('ALTER TABLE config_pointers RENAME TO pointers_away');
    try {
      // The copy /v1/configs serves is read again only after its pointer moved.
      const served = await ask(keys.bot, { channel: 'web', messages: [{ role: 'customer', text: 'Where is my parcel?' }] });
      expect(served.statusCode).toBe(200);
      expect(served.json().config_version).toMatch(/^cfg-/);
      // The pointer moved (as a promote or rollback would say) and the store cannot be read to fill the copy again.
      forgetServed(db, 'web', 'production');
      for (const [text, pattern] of [['我的快递什么时候到', /转接人工客服/], ['Where is my parcel?', /colleague/]] as const) {
        const response = await ask(keys.bot, { channel: 'web', messages: [{ role: 'customer', text }] });
        expect(response.statusCode).toBe(200);
        expect(response.json()).toMatchObject({ handoff: { reason: 'internal error' }, config_version: 'unavailable' });
        expect(response.json().answer).toMatch(pattern);
      }
    } finally {
      await db.run('ALTER TABLE pointers_away RENAME TO config_pointers');
    }
  });

  it('still answers 404 for a channel with no production config', async () => {
    expect((await ask(keys.bot, { channel: 'fax', messages: [{ role: 'customer', text: 'hi' }] })).statusCode).toBe(404);
  });
});

describe('the OpenAI API as the official client expects it', () => {
  let client: OpenAI;
  let port: number;
  beforeAll(async () => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: keys.bot, maxRetries: 0 });
  });

  it('streams the answer across chunks, ends with finish_reason and firstcall, then [DONE]', async () => {
    const plain = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'How do I return my earbuds?' }] });
    const stream = await client.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'How do I return my earbuds?' }], stream: true, stream_options: { include_usage: true } });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(plain.choices[0]!.message.content);
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(1);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish).toHaveLength(1);
    expect(finish[0]!.choices[0]!.finish_reason).toBe(plain.choices[0]!.finish_reason);
    expect((finish[0] as unknown as { firstcall: { config_version: string } }).firstcall.config_version).toMatch(/^cfg-/);
    expect(chunks.at(-1)!.usage?.total_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it('streams a hand-off as finish_reason handoff, with the security headers and the event-stream type', async () => {
    const raw = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.bot}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'firstcall:web', messages: [{ role: 'user', content: 'I want to speak to a human agent now' }], stream: true }),
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff');
    const events = (await raw.text()).split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const last = JSON.parse(events.at(-2)!.slice('data: '.length));
    expect(last).toMatchObject({ object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: 'handoff' }], firstcall: { handoff: { queue: expect.any(String) } } });
  });

  it('refuses a stream without a key before answering, in OpenAI error shape', async () => {
    const response = await chat('fc_bot_wrongwrongwrongwrongwrongwrong', { model: 'firstcall:web', messages: [{ role: 'user', content: 'hi' }], stream: true });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { message: 'unknown or revoked API key', type: 'authentication_error', param: null, code: 'invalid_api_key' } });
  });

  it('lists the promoted channels as models, and retrieves one', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((m) => m.id).sort()).toEqual(['firstcall:app', 'firstcall:web']);
    expect(models[0]).toMatchObject({ object: 'model', owned_by: 'firstcall', created: expect.any(Number) });
    expect((await client.models.retrieve('firstcall:web')).id).toBe('firstcall:web');
    await expect(client.models.retrieve('firstcall:phone')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('raises AuthenticationError for a wrong key', async () => {
    const wrong = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'fc_bot_wrongwrongwrongwrongwrongwrong', maxRetries: 0 });
    const error = await wrong.chat.completions.create({ model: 'firstcall:web', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('raises NotFoundError model_not_found for a channel with no production config', async () => {
    const error = await client.chat.completions.create({ model: 'firstcall:nochannel', messages: [{ role: 'user', content: 'hi' }], stream: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    const notFound = error as InstanceType<typeof OpenAI.NotFoundError>;
    expect(notFound).toMatchObject({ code: 'model_not_found', param: 'model', type: 'not_found_error' });
    expect(notFound.message).toMatch(/firstcall:nochannel does not exist/);
  });

  it('raises BadRequestError with the message for a malformed body', async () => {
    const model = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(model).toBeInstanceOf(OpenAI.BadRequestError);
    expect((model as Error).message).toMatch(/model must be firstcall:<channel>/);
    expect(model).toMatchObject({ type: 'invalid_request_error', param: 'model' });
    const empty = await client.chat.completions.create({ model: 'firstcall:web', messages: [] }).catch((e: unknown) => e);
    expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
    expect(empty).toMatchObject({ param: 'messages' });
  });

  it('keeps firstcall error shape on /api routes', async () => {
    const response = await app.inject({ url: '/api/runs', headers: as('fc_bot_wrongwrongwrongwrongwrongwrong') });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: { code: 'unauthorized', message: 'unknown or revoked API key' } });
  });
});
