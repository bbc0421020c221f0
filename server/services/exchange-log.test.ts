import { describe, expect, it } from 'vitest';
import type { ProductionExchange } from '../storage/production-dialogue-repository.ts';
import { tempStore } from '../test-support/temp.ts';
import { batchedReads, coalescedReads } from './coalesced-reads.ts';
import { ExchangeLog } from './exchange-log.ts';

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

describe('the exchange log (group commit)', () => {
  it('stores every one of many concurrent exchanges with its turns, and resolves each only once stored', async () => {
    const db = await tempStore();
    const log = new ExchangeLog(db);
    const ids = Array.from({ length: 60 }, (_, i) => `prod-web-${i}`);
    await Promise.all(ids.map((id, i) => log.save(exchange(id, `我的订单${i}到哪了？`), bot, false)));
    const rows = await db.all<{ id: string; turns: number; source: string; owner: string }>(
      `SELECT d.id, count(t.seq)::INTEGER AS turns, any_value(d.source) AS source, any_value(o.api_key_id) AS owner
       FROM dialogues d JOIN turns t ON t.dialogue_id = d.id JOIN production_dialogue_owners o ON o.dialogue_id = d.id GROUP BY d.id ORDER BY d.id`,
    );
    expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.turns === 2 && r.source === 'production' && r.owner === 'key-1')).toBe(true);
    const [turn] = await db.all<{ text: string }>("SELECT text FROM turns WHERE dialogue_id = 'prod-web-7' AND seq = 1");
    expect(turn?.text).toBe('答复：我的订单7到哪了？');
  });

  it('fails only the exchange that may not be written, and stores the others written alongside', async () => {
    const db = await tempStore();
    const log = new ExchangeLog(db);
    await log.save(exchange('mine', 'first'), bot, false);
    const results = await Promise.allSettled([
      log.save(exchange('new-1', 'hello'), bot, false),
      log.save(exchange('mine', 'first, then more'), { keyId: 'another-key', channel: 'web' }, true),
      log.save(exchange('new-2', 'hello again'), bot, false),
      log.save(exchange('mine', 'first, then more'), bot, true),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(((results[1] as PromiseRejectedResult).reason as Error).message).toMatch(/no production dialogue mine started by this API key/);
    const stored = await db.all<{ id: string }>('SELECT id FROM dialogues ORDER BY id');
    expect(stored.map((r) => r.id)).toEqual(['mine', 'new-1', 'new-2']);
    const [text] = await db.all<{ text: string }>("SELECT text FROM turns WHERE dialogue_id = 'mine' AND seq = 0");
    expect(text?.text).toBe('first, then more');
  });

  it('fails every exchange of a transaction the store refuses, and writes the next ones', async () => {
    const db = await tempStore();
    const log = new ExchangeLog(db);
    await db.run('ALTER TABLE production_dialogue_owners RENAME TO owners_away');
    const refused = await Promise.allSettled([log.save(exchange('a', 'x'), bot, false), log.save(exchange('b', 'y'), bot, false)]);
    expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await db.run('ALTER TABLE owners_away RENAME TO production_dialogue_owners');
    expect(await db.all('SELECT id FROM dialogues')).toEqual([]);
    await log.save(exchange('c', 'z'), bot, false);
    expect(await db.all('SELECT id FROM dialogues')).toEqual([{ id: 'c' }]);
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
