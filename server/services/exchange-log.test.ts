import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import type { ProductionExchange } from '../storage/production-dialogue-repository.ts';
import { holdTransaction } from '../test-support/held-transaction.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { AnswerService, storeAnswerBackend } from './answer.ts';
import { batchedReads, coalescedReads } from './coalesced-reads.ts';
import { ExchangeLog, journalDir } from './exchange-log.ts';
const exchange = (id: string, text: string): ProductionExchange => ({
  id,
  channel: 'web',
  customerId: null,
  language: 'zh',
  turns: [
    { role: 'customer', text },
    { role: 'agent', text: `答复：${text}`, agent_kind: 'bot' },
  ],
  escalated: false,
  metadata: { config_version: 'v1' },
});
const bot = { keyId: 'key-1', channel: 'web' };

const stored = (db: { all: <T>(sql: string) => Promise<T[]> }) =>
  db.all<{ id: string; turns: number; owner: string; texts: string }>(
    `SELECT d.id, count(t.seq)::INTEGER AS turns, any_value(o.api_key_id) AS owner, string_agg(t.text, ' | ' ORDER BY t.seq) AS texts
     FROM dialogues d JOIN turns t ON t.dialogue_id = d.id JOIN production_dialogue_owners o ON o.dialogue_id = d.id GROUP BY d.id ORDER BY d.id`,
  );
/** Holds the store's connection in a transaction (so nothing can be committed) until released. */
async function holdConnection(db: Database) {
  const { release, done: held } = await holdTransaction(db, async () => undefined);
  return { release, held };
}
/** A gold label for dialogue `id`, written straight to the store (a label row needs no dialogue row). */
const labelGold = (db: Database, id: string) =>
  db.run(
    `INSERT INTO gold_labels (dialogue_id, decided_by, source, schema_version, intent, fcr, accuracy, tone, tone_tags, escalation_needed, escalated, reference_answer, required_facts, notes, turn_flags, decided_at)
     VALUES ($id, 'ada', 'single', 1, 'refund_request', 'yes', 'correct', 4, '[]', 'no', 'no', '', '[]', '', '[]', now())`,
    { id },
  );
const quiet = () => {
  const logged: string[] = [];
  return { logged, log: (error: unknown, message: string) => void logged.push(`${message}: ${error instanceof Error ? error.message : String(error)}`) };
};

describe('the exchange log on a store in a file (journal, then the store)', () => {
  it('stores every one of many concurrent exchanges with its turns, and a read made after the saves resolved sees them all', async () => {
    const db = await tempStore();
    const log = new ExchangeLog(db);
    const ids = Array.from({ length: 60 }, (_, i) => `prod-web-${i}`);
    await Promise.all(ids.map((id, i) => log.save(exchange(id, `我的订单${i}到哪了？`), bot, false)));
    // No waiting for the background writes: the transaction taking each exchange was queued before its save resolved.
    const rows = await stored(db);
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.turns === 2 && r.owner === 'key-1')).toBe(true);
    expect(rows.find((r) => r.id === 'prod-web-7')?.texts).toBe('我的订单7到哪了？ | 答复：我的订单7到哪了？');
    await log.settled();
    expect(readdirSync(journalDir(db)!)).toEqual([]); // segments go once their exchanges are stored
  });

  it('has an exchange in a stream of every dialogue (an export) started right after its save resolved', async () => {
    const db = await tempStore();
    const log = new ExchangeLog(db);
    await log.save(exchange('prod-web-export', '发票什么时候开？'), bot, false);
    const ids: string[] = [];
    for await (const page of new DialogueRepository(db).all()) ids.push(...page.map((d) => d.id));
    expect(ids).toContain('prod-web-export');
    await log.settled();
  });

  it('stores what was answered before the answer service closes (the app’s close), leaving no journal behind', async () => {
    const db = await tempStore();
    const service = new AnswerService(db);
    const backend = storeAnswerBackend(db);
    const { release, held } = await holdConnection(db);
    await backend.save(exchange('prod-close-1', '发票什么时候开？'), bot, false);
    expect(readdirSync(journalDir(db)!)).not.toEqual([]); // journaled, not yet stored
    const closing = service.close();
    release();
    await held;
    await closing;
    expect((await stored(db)).map((r) => r.id)).toEqual(['prod-close-1']);
    await expect.poll(() => readdirSync(journalDir(db)!)).toEqual([]);
  });

  it('keeps a dialogue and its continuations apart from the store until written, and the latest version is the one stored', async () => {
    const db = await tempStore();
    const log = ExchangeLog.of(db);
    const backend = storeAnswerBackend(db); // on the same log
    const { release, held } = await holdConnection(db);
    await log.save(exchange('mine', 'first'), bot, false); // journaled while nothing can be committed
    expect(log.pending('mine')?.turns.map((t) => t.text)).toEqual(['first', '答复：first']);
    await log.save(exchange('mine', 'first, then more'), bot, true);
    const continued = backend.continuable('mine', bot);
    const foreign = backend.continuable('mine', { keyId: 'another-key', channel: 'web' });
    const otherChannel = backend.continuable('mine', { keyId: 'key-1', channel: 'app' });
    await expect(foreign).rejects.toMatchObject({ status: 404 });
    await expect(otherChannel).rejects.toMatchObject({ status: 404 });
    release();
    await held;
    expect((await continued).map((t) => t.text)).toEqual(['first, then more', '答复：first, then more']);
    await log.settled();
    const rows = await stored(db);
    expect(rows).toEqual([{ id: 'mine', turns: 2, owner: 'key-1', texts: 'first, then more | 答复：first, then more' }]);
  });

  it('refuses with 409 to continue a dialogue still waiting for the store once it is labeled', async () => {
    const db = await tempStore();
    const log = ExchangeLog.of(db);
    const backend = storeAnswerBackend(db);
    const { release, held } = await holdConnection(db);
    await log.save(exchange('mine', 'first'), bot, false);
    release();
    await held;
    // Labeled before its exchange was written (a label row needs no dialogue row).
    await labelGold(db, 'mine');
    await expect(backend.continuable('mine', bot)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/labeled/) });
  });

  it('keeps the owner and turns of what it stored for continuations; another key still gets 404, and a label since still gets 409', async () => {
    const db = await tempStore();
    const log = ExchangeLog.of(db);
    const backend = storeAnswerBackend(db);
    await log.save(exchange('mine', 'first'), bot, false);
    await log.settled();
    expect(log.pending('mine')).toBeUndefined();
    expect(log.latest('mine')).toEqual({ turns: exchange('mine', 'first').turns, caller: bot });
    expect((await backend.continuable('mine', bot)).map((t) => t.text)).toEqual(['first', '答复：first']);
    await expect(backend.continuable('mine', { keyId: 'another-key', channel: 'web' })).rejects.toMatchObject({ status: 404 });
    await expect(backend.continuable('mine', { keyId: 'key-1', channel: 'app' })).rejects.toMatchObject({ status: 404 });
    await labelGold(db, 'mine');
    await expect(backend.continuable('mine', bot)).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/labeled/) });
  });

  it('checks a continuation for labels and suites while the store’s first connection is held by a write, and still refuses a labeled one', async () => {
    const db = await tempStore();
    const log = ExchangeLog.of(db);
    const backend = storeAnswerBackend(db);
    await log.save(exchange('open', 'first'), bot, false);
    await log.save(exchange('labeled', 'first'), bot, false);
    await log.settled();
    await labelGold(db, 'labeled');
    const { release, held } = await holdConnection(db);
    try {
      const within = <T>(work: Promise<T>) =>
        Promise.race([work, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('waited for the held connection')), 5_000))]);
      expect((await within(backend.continuable('open', bot))).map((t) => t.text)).toEqual(['first', '答复：first']);
      await expect(within(backend.continuable('labeled', bot))).rejects.toMatchObject({ status: 409 });
    } finally {
      release();
      await held;
    }
  });

  it('reports an exchange the store refuses when it is written (a continuation of a dialogue labeled in between) and stores the others', async () => {
    const db = await tempStore();
    const { logged, log: report } = quiet();
    const log = new ExchangeLog(db, { log: report });
    await log.save(exchange('mine', 'first'), bot, false);
    await log.settled();
    const results = await Promise.allSettled([
      log.save(exchange('new-1', 'hello'), bot, false),
      log.save(exchange('mine', 'first, then more'), { keyId: 'another-key', channel: 'web' }, true),
      log.save(exchange('new-2', 'hello again'), bot, false),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']); // journaled: the check was made before answering
    await log.settled();
    expect((await stored(db)).map((r) => [r.id, r.texts])).toEqual([
      ['mine', 'first | 答复：first'],
      ['new-1', 'hello | 答复：hello'],
      ['new-2', 'hello again | 答复：hello again'],
    ]);
    expect(logged).toEqual([expect.stringMatching(/exchange of dialogue mine was refused by the store: no production dialogue mine started by this API key/)]);
  });

  it('keeps the exchanges while the store refuses them, and stores them once it accepts again', async () => {
    const db = await tempStore();
    const { logged, log: report } = quiet();
    const log = new ExchangeLog(db, { log: report });
    await db.run('ALTER TABLE production_dialogue_owners RENAME TO owners_away');
    await Promise.all([log.save(exchange('a', 'x'), bot, false), log.save(exchange('b', 'y'), bot, false)]);
    await expect(log.settled()).rejects.toThrow(/refuses/);
    expect(log.pending('a')).toBeDefined();
    expect(await db.all('SELECT id FROM dialogues')).toEqual([]);
    await db.run('ALTER TABLE owners_away RENAME TO production_dialogue_owners');
    await log.save(exchange('c', 'z'), bot, false);
    await log.settled();
    expect((await stored(db)).map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(/storing answered exchanges failed \(they are kept in the journal and retried\)/);
  });

  it('loses nothing journaled by a process killed before any of it reached the store', async () => {
    const dir = tempDir();
    const store = join(dir, 'killed.duckdb');
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'exchange-log-until-killed.fixture.ts'), store, '200'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => (out += d) && out.includes('journaled') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it was killed`)));
    });
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    expect((await exited)[1]).toBe('SIGKILL');
    // The process died mid-write of one more line.
    const segments = readdirSync(`${store}.exchange-journal`);
    expect(segments.length).toBeGreaterThan(0);
    appendFileSync(join(`${store}.exchange-journal`, segments.at(-1)!), '{"exchange":{"id":"torn","chan');

    const db = await openDatabase(store);
    try {
      expect(await db.all('SELECT id FROM dialogues')).toEqual([]); // nothing was committed before the kill
      const log = ExchangeLog.of(db, quiet());
      await log.settled();
      const rows = await stored(db);
      expect(rows).toHaveLength(200);
      expect(rows.every((r) => r.owner === 'key-1')).toBe(true);
      expect(rows.find((r) => r.id === 'prod-web-killed-0')?.texts).toBe('我的订单 0 到哪了？ | 订单 0 已发货。 | 谢谢 | 不客气。');
      expect(rows.find((r) => r.id === 'prod-web-killed-7')?.texts).toBe('我的订单 7 到哪了？ | 订单 7 已发货。');
      const [d5] = await db.all<{ escalated: boolean; customer_id: string | null; language: string; metadata: string }>("SELECT escalated, customer_id, language, metadata FROM dialogues WHERE id = 'prod-web-killed-5'");
      expect(d5).toEqual({ escalated: true, customer_id: null, language: 'zh', metadata: '{"config_version":"v1","n":5}' });
      expect(readdirSync(`${store}.exchange-journal`)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('replays a segment that outlived its commit as the same dialogue, not a second one', async () => {
    const db = await tempStore();
    const first = new ExchangeLog(db);
    await first.save(exchange('kept', 'hello'), bot, false);
    await first.settled();
    const dir = journalDir(db)!;
    if (!existsSync(dir)) mkdirSync(dir);
    const line = (e: ProductionExchange, continues: boolean) => JSON.stringify({ exchange: e, caller: bot, continues, startedAt: '2026-12-06T10:00:00.000Z' }) + '\n';
    writeFileSync(join(dir, '000000000100.jsonl'), line(exchange('kept', 'hello'), false) + line(exchange('fresh', 'new one'), false));
    const replayed = new ExchangeLog(db);
    await replayed.settled();
    expect((await stored(db)).map((r) => [r.id, r.texts])).toEqual([
      ['fresh', 'new one | 答复：new one'],
      ['kept', 'hello | 答复：hello'],
    ]);
    const [fresh] = await db.all<{ started_at: string }>("SELECT started_at FROM dialogues WHERE id = 'fresh'");
    expect(fresh?.started_at).toBe('2026-12-06T10:00:00.000Z');
  });
});

describe('the exchange log on a store in memory (group commit, nothing to journal)', () => {
  it('resolves each save once its exchange is committed, and fails only the one that may not be written', async () => {
    const db = await openDatabase(':memory:');
    const log = new ExchangeLog(db);
    await log.save(exchange('mine', 'first'), bot, false);
    const results = await Promise.allSettled([
      log.save(exchange('new-1', 'hello'), bot, false),
      log.save(exchange('mine', 'first, then more'), { keyId: 'another-key', channel: 'web' }, true),
      log.save(exchange('new-2', 'hello again'), bot, false),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toMatch(/no production dialogue mine started by this API key/);
    expect((await stored(db)).map((r) => r.id)).toEqual(['mine', 'new-1', 'new-2']);
    db.close();
  });

  it('fails every exchange of a transaction the store refuses, and writes the next ones', async () => {
    const db = await openDatabase(':memory:');
    const log = new ExchangeLog(db);
    await db.run('ALTER TABLE production_dialogue_owners RENAME TO owners_away');
    const refused = await Promise.allSettled([log.save(exchange('a', 'x'), bot, false), log.save(exchange('b', 'y'), bot, false)]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await db.run('ALTER TABLE owners_away RENAME TO production_dialogue_owners');
    expect(await db.all('SELECT id FROM dialogues')).toEqual([]);
    await log.save(exchange('c', 'z'), bot, false);
    expect(await db.all('SELECT id FROM dialogues')).toEqual([{ id: 'c' }]);
    db.close();
  });
});

describe('coalesced reads', () => {
  it('gives a caller that arrives during a read the result of the next read, never the running one', async () => {
    let value = 0;
    const reads: number[] = [];
    const read = coalescedReads(async (key: string) => {
      const seen = value;
      reads.push(seen);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return `${key}:${seen}`;
    });
    const first = read('web');
    value = 1; // changed after the first read started
    const [a, b, c] = await Promise.all([first, read('web'), read('web')]);
    expect([a, b, c]).toEqual(['web:0', 'web:1', 'web:1']);
    expect(reads).toEqual([0, 1]);
  });

  it('reads the keys asked for while a read runs in one query, and passes a failure to its callers', async () => {
    const queries: string[][] = [];
    const read = batchedReads(async (keys: string[]) => {
      queries.push([...keys]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (keys.includes('broken')) throw new Error('store down');
      return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
    });
    const results = await Promise.all([read('a'), read('b'), read('c'), read('missing'), read('b')]);
    expect(results).toEqual(['A', 'B', 'C', undefined, 'B']);
    expect(queries).toEqual([['a'], ['b', 'c', 'missing']]);
    await expect(read('broken')).rejects.toThrow('store down');
  });
});
