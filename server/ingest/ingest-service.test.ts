import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DialogueInput } from '../domain/dialogue.ts';
import { exportDialogues } from '../services/export-dialogues.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import { DialogueLoader, duckdbMemoryByTag } from '../storage/dialogue-loader.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { QuarantineRepository } from '../storage/quarantine-repository.ts';
import { DATASETS, SHARED_DATA, tempDir, tempStore } from '../test-support/temp.ts';
import { ingestFiles } from './ingest-service.ts';

const dir = tempDir();
const line = (o: unknown) => JSON.stringify(o);

const zhDialogue: DialogueInput = {
  id: 'zh-1',
  channel: 'wechat',
  customer_id: 'c-1',
  started_at: '2026-03-02T09:14:00+08:00',
  turns: [
    { role: 'customer', text: '我刚买的手机屏幕碎了怎么办？我的手机号是13800138000，订单号 20260302123456789。', at: '2026-03-02T09:14:00+08:00' },
    { role: 'agent', text: '您好，非常抱歉给您带来不便！您的手机在保修期内，可以免费维修。', agent_kind: 'human', at: '2026-03-02T09:14:40+08:00' },
  ],
  outcome: { escalated: false, resolved: true, csat: 5 },
  metadata: { intent: 'screen_repair' },
};
const enDialogue: DialogueInput = {
  id: 'en-1',
  turns: [
    { role: 'customer', text: 'My order #W4923227 is late. Email me at jane.doe@example.com' },
    { role: 'agent', text: 'Sorry about that! It ships tomorrow; the price stays $1,299.99.' },
  ],
};
const customer = {
  customer_id: 'c-1',
  name: '李娜',
  tier: 'vip',
  purchases: [{ product: 'Phone X', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'A1', price: 3999 }],
};

/** Good records interleaved with one of each kind of malformed input; `bad` maps line -> reason pattern. */
function writeCorrupted(file: string): { good: number; bad: Record<number, RegExp> } {
  const parts: (string | Buffer)[] = [
    line(zhDialogue), // 1
    '{"id": "broken", "turns": [', // 2 bad JSON
    line(enDialogue), // 3
    line({ turns: [{ role: 'customer', text: 'no id' }] }), // 4 missing id
    line({ id: 'wrong-types', turns: [{ role: 'customer', text: 42 }] }), // 5 wrong type
    line({ id: 'no-turns', turns: [] }), // 6 empty turns
    line({ id: 'blank-turn', turns: [{ role: 'customer', text: '   ' }] }), // 7 empty text
    line({ id: 'bad-role', turns: [{ role: 'robot', text: 'hi' }] }), // 8 bad role
    line(customer), // 9 customer
    '[1, 2, 3]', // 10 not an object
    '', // 11 blank, skipped
    line({ id: 'bad-date', started_at: 'yesterday', turns: [{ role: 'customer', text: 'hi' }] }), // 12 bad timestamp
  ];
  const text = parts.map((p) => `${p}\n`).join('');
  const invalidUtf8 = Buffer.concat([Buffer.from('{"id":"bad-utf8","turns":[{"role":"customer","text":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}]}\n')]); // 13
  const huge = `${line({ id: 'huge', turns: [{ role: 'customer', text: 'x'.repeat(9 * 1024 * 1024) }] })}\n`; // 14
  const last = `${line({ ...enDialogue, id: 'en-2' })}\n`; // 15
  writeFileSync(file, Buffer.concat([Buffer.from(text), invalidUtf8, Buffer.from(huge), Buffer.from(last)]));
  return {
    good: 3,
    bad: {
      2: /invalid JSON/,
      4: /id/,
      5: /turns\[0\]\.text/,
      6: /at least one turn/,
      7: /text is empty/,
      8: /turns\[0\]\.role/,
      10: /not a JSON object/,
      12: /started_at/,
      13: /invalid UTF-8/,
      14: /longer than/,
    },
  };
}

describe('DuckDB memory by tag (what the ingest benchmark reports at its RSS peak)', () => {
  it('names the in-memory rows, the cached blocks of the file and the indexes, in bytes', async () => {
    const db = await tempStore(dir);
    const file = join(dir, 'memory.jsonl');
    writeFileSync(file, `${line(zhDialogue)}\n${line(enDialogue)}\n`);
    await ingestFiles(db, { paths: [file] });
    const byTag = await duckdbMemoryByTag(db);
    expect(Object.keys(byTag)).toEqual(expect.arrayContaining(['IN_MEMORY_TABLE', 'BASE_TABLE', 'ART_INDEX']));
    for (const bytes of Object.values(byTag)) expect(Number.isInteger(bytes) && bytes >= 0).toBe(true);
    // The loader checkpoints when it closes: the rows it loaded are now blocks of the file, cached.
    expect(byTag.BASE_TABLE).toBeGreaterThan(0);
  });
});

describe("the loader's hold on DuckDB's settings", () => {
  it('runs loads on one DuckDB thread with the checkpoint deferred, and gives the store its own settings back when the last load ends', async () => {
    const db = await tempStore(dir);
    const settings = async () => (await db.all<{ threads: string; threshold: string }>("SELECT current_setting('threads')::VARCHAR AS threads, current_setting('checkpoint_threshold') AS threshold"))[0]!;
    await db.run('SET threads = 2');
    const before = await settings();
    const during = { threads: '1', threshold: '59.6 GiB' }; // 64GB, as DuckDB prints it
    // Two loads at once: the store gets its settings back when the last one ends, not the first.
    const [first, second] = await Promise.all([DialogueLoader.open(db, 'batch-settings-1'), DialogueLoader.open(db, 'batch-settings-2')]);
    expect(await settings()).toEqual(during);
    await first.finish();
    await first.close();
    expect(await settings()).toEqual(during);
    await second.finish();
    await second.close();
    expect(await settings()).toEqual(before);
    const third = await DialogueLoader.open(db, 'batch-settings-3');
    expect(await settings()).toEqual(during);
    await third.finish();
    await third.close();
    expect(await settings()).toEqual(before);
  });
  it("checkpoints the load itself when another transaction holds the checkpoint off as it closes, instead of leaving it to the next commit", async () => {
    const db = await tempStore(dir);
    const walBytes = () => (existsSync(`${db.file}.wal`) ? statSync(`${db.file}.wal`).size : 0);
    const loader = await DialogueLoader.open(db, 'batch-busy');
    for (let i = 0; i < 200; i++) loader.addDialogue(`busy-${i}`, JSON.stringify({ ...enDialogue, id: `busy-${i}`, language: 'en' }), 'en', 'test');
    await loader.finish();
    expect(walBytes()).toBeGreaterThan(0);
    // A reviewer's change in flight when the loader closes: DuckDB refuses a checkpoint while a
    // transaction that updates rows is open.
    await db.run("INSERT INTO label_skips VALUES ('busy-0', 'reviewer', now())");
    const other = await db.connect();
    await other.run('BEGIN TRANSACTION');
    await other.run("UPDATE label_skips SET skipped_at = now() WHERE dialogue_id = 'busy-0'");
    const closing = loader.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    await other.run('COMMIT');
    await closing;
    other.closeSync();
    expect(walBytes()).toBe(0);
    expect((await db.all<{ threshold: string }>("SELECT current_setting('checkpoint_threshold') AS threshold"))[0]!.threshold).not.toBe('59.6 GiB');
  });
});

describe('ingestFiles on canonical JSONL with corrupted lines', () => {
  const file = join(dir, 'corrupted.jsonl');
  const expected = writeCorrupted(file);
  let db: Awaited<ReturnType<typeof tempStore>>;

  beforeAll(async () => {
    db = await tempStore(dir);
  });

  it('loads every good record and quarantines each bad one with its line and reason', async () => {
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary.loaded).toBe(expected.good);
    expect(summary.customers).toBe(1);
    expect(summary.quarantined).toBe(Object.keys(expected.bad).length);
    const rows = await new QuarantineRepository(db).list({ batchId: summary.batch_id });
    expect(rows.map((r) => r.line).sort((a, b) => a - b)).toEqual(Object.keys(expected.bad).map(Number));
    for (const row of rows) {
      expect(row.file).toBe(file);
      expect(row.reason).toMatch(expected.bad[row.line]!);
      expect(row.raw.length).toBeLessThanOrEqual(2000);
    }
  });

  it('redacts PII into typed placeholders and keeps Chinese text byte for byte around them', async () => {
    const stored = await new DialogueRepository(db).get('zh-1');
    expect(stored!.turns[0]!.text).toBe('我刚买的手机屏幕碎了怎么办？我的手机号是[PHONE]，订单号 20260302123456789。');
    expect(stored!.turns[1]!.text).toBe(zhDialogue.turns[1]!.text);
    const en = await new DialogueRepository(db).get('en-1');
    expect(en!.turns[0]!.text).toBe('My order #W4923227 is late. Email me at [EMAIL]');
    expect(en!.turns[1]!.text).toContain('$1,299.99');
  });

  it('detects the language when absent and defaults the channel', async () => {
    const repo = new DialogueRepository(db);
    expect((await repo.get('zh-1'))!.language).toBe('zh');
    const en = await repo.get('en-1');
    expect(en!.language).toBe('en');
    expect(en!.channel).toBe('unknown');
  });

  it('stores the CRM profile with its purchases', async () => {
    const c = await new CustomerRepository(db).get('c-1');
    expect(c).toMatchObject({ customer_id: 'c-1', name: '李娜', tier: 'vip' });
    expect(c!.purchases).toEqual([{ product: 'Phone X', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'A1', price: 3999 }]);
  });

  it('adds nothing when the same file is ingested again', async () => {
    const before = await new DialogueRepository(db).stats();
    const again = await ingestFiles(db, { paths: [file] });
    expect(again.loaded).toBe(0);
    expect(again.customers).toBe(0);
    expect(again.duplicates).toBe(expected.good + 1);
    expect(again.conflicts).toBe(0);
    const after = await new DialogueRepository(db).stats();
    expect({ ...after, quarantined: 0, ingest_batches: 0 }).toEqual({ ...before, quarantined: 0, ingest_batches: 0 });
  });

  it('keeps the stored copy and reports a conflict when an id comes back with other content', async () => {
    const changed = join(dir, 'changed.jsonl');
    writeFileSync(changed, `${line({ ...enDialogue, turns: [{ role: 'customer', text: 'different' }] })}\n`);
    const summary = await ingestFiles(db, { paths: [changed] });
    expect(summary).toMatchObject({ loaded: 0, duplicates: 1, conflicts: 1 });
    expect((await new DialogueRepository(db).get('en-1'))!.turns).toHaveLength(2);
  });

  it('counts redactions per type in the summary', async () => {
    const store = await tempStore(dir);
    const summary = await ingestFiles(store, { paths: [file] });
    expect(summary.redacted).toEqual({ PHONE: 1, EMAIL: 2 });
  });
});

describe('ingestFiles duplicates inside one batch', () => {
  it('keeps the first copy of an id that appears twice in the same file', async () => {
    const dir2 = tempDir();
    const file = join(dir2, 'twice.jsonl');
    writeFileSync(file, [enDialogue, { ...enDialogue, turns: [{ role: 'customer', text: 'second copy' }] }].map(line).join('\n'));
    const db = await tempStore(dir2);
    const summary = await ingestFiles(db, { paths: [file], mergeEvery: 1 });
    expect(summary).toMatchObject({ loaded: 1, duplicates: 1 });
    expect((await new DialogueRepository(db).get('en-1'))!.turns[0]!.text).toContain('#W4923227');
  });

  it('gives the same result whether merged every record or once at the end', async () => {
    const file = join(dir, 'corrupted.jsonl');
    const a = await ingestFiles(await tempStore(dir), { paths: [file], mergeEvery: 1 });
    const b = await ingestFiles(await tempStore(dir), { paths: [file], mergeEvery: 1_000_000 });
    expect({ ...a, batch_id: '', elapsed_ms: 0 }).toEqual({ ...b, batch_id: '', elapsed_ms: 0 });
  });
});

describe('ingestFiles on a line that gives a key twice', () => {
  it('stores what was validated and redacted (the last copy, as JSON.parse reads it), never the first copy', async () => {
    const dir2 = tempDir();
    const file = join(dir2, 'keys-twice.jsonl');
    // DuckDB's JSON reader takes the first copy of a key, JSON.parse (so zod and redaction) the last.
    const twice = [
      '{"id":"dup-1","turns":[{"role":"nobody","text":""},{"role":"customer","text":"call me on 13800138000"}],',
      '"turns":[{"role":"customer","text":"where is my parcel?"},{"role":"agent","text":"Let me check.","agent_kind":"bot"}],',
      '"channel":"sms","channel":"web"}',
    ].join('');
    writeFileSync(file, `${twice}
`);
    const db = await tempStore(dir2);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary).toMatchObject({ loaded: 1, quarantined: 0 });
    const stored = await new DialogueRepository(db).get('dup-1');
    expect(stored!.channel).toBe('web');
    expect(JSON.stringify(stored)).not.toContain('13800138000');
    expect(stored!.turns.map((t) => [t.role, t.text])).toEqual([
      ['customer', 'where is my parcel?'],
      ['agent', 'Let me check.'],
    ]);
  });
});

describe('export then ingest', () => {
  it('round-trips the store through canonical JSONL', async () => {
    const db = await tempStore(dir);
    await ingestFiles(db, { paths: [join(dir, 'corrupted.jsonl'), join(DATASETS, 'tau-bench-retail', 'retail-sample.jsonl')] });
    const out = join(dir, 'export.jsonl');
    const exported = await exportDialogues(db, out);
    expect(exported.written).toBe((await new DialogueRepository(db).stats()).dialogues);

    const copy = await tempStore(dir);
    const summary = await ingestFiles(copy, { paths: [out] });
    expect(summary).toMatchObject({ loaded: exported.written, quarantined: 0 });
    const out2 = join(dir, 'export2.jsonl');
    await exportDialogues(copy, out2);
    expect(readFileSync(out2, 'utf8')).toBe(readFileSync(out, 'utf8'));
    const a = await new DialogueRepository(db).get('zh-1');
    const b = await new DialogueRepository(copy).get('zh-1');
    expect({ ...b, source: a!.source, content_hash: '' }).toEqual({ ...a, content_hash: '' });
  });
});

describe('ingestFiles on the real data formats', () => {
  const cases = [
    { file: join(SHARED_DATA, 'bitext-customer-support', 'bitext-customer-support.csv'), format: 'bitext', dialogues: 4514 },
    { file: join(SHARED_DATA, 'tau-bench-retail', 'retail-dialogues.jsonl'), format: 'taubench', dialogues: 69 },
    { file: join(SHARED_DATA, 'abcd-sample', 'abcd_sample.json'), format: 'abcd', dialogues: 3 },
    { file: join(SHARED_DATA, 'dstc11-finance', 'test-utterances.jsonl'), format: 'dstc11', dialogues: 1130 },
  ] as const;

  for (const c of cases) {
    it(`auto-detects ${c.format}, loads all its records, and a second ingest adds nothing`, async () => {
      const db = await tempStore(dir);
      const first = await ingestFiles(db, { paths: [c.file] });
      expect(first.files[0]!.format).toBe(c.format);
      expect(first.quarantined).toBe(0);
      const stats = await new DialogueRepository(db).stats();
      expect(stats.dialogues).toBe(c.dialogues);
      expect(stats.by_source).toEqual({ [c.format]: c.dialogues });
      const second = await ingestFiles(db, { paths: [c.file] });
      expect(second.loaded).toBe(0);
      expect((await new DialogueRepository(db).stats()).dialogues).toBe(c.dialogues);
    });
  }
});

describe('ingestFiles on a CRM profile that changed', () => {
  const purchase = (order: string, product = 'Phone X') => ({ product, purchased_at: '2026-02-09', warranty_months: 12, order_id: order, price: 100 });
  const profile = (tier: string, purchases: ReturnType<typeof purchase>[] | undefined) => ({ customer_id: 'c-9', name: '王芳', tier, ...(purchases ? { purchases } : {}) });
  const other = { customer_id: 'c-10', name: 'Sam', tier: 'standard', purchases: [purchase('S1', 'Tablet')] };

  it('replaces the stored profile and exactly its purchases, whether the new list is longer, shorter or empty', async () => {
    const db = await tempStore(dir);
    const customers = new CustomerRepository(db);
    const ingest = async (name: string, ...records: unknown[]) => {
      const file = join(dir, `${name}.jsonl`);
      writeFileSync(file, records.map(line).join('\n'));
      return ingestFiles(db, { paths: [file] });
    };
    const stored = async (id = 'c-9') => {
      const c = await customers.get(id);
      return { tier: c!.tier, orders: (c!.purchases ?? []).map((p) => `${p.order_id}:${p.product}`) };
    };
    expect((await ingest('profile-1', profile('standard', [purchase('A1'), purchase('A2'), purchase('A3')]), other)).customers).toBe(2);
    expect(await stored()).toEqual({ tier: 'standard', orders: ['A1:Phone X', 'A2:Phone X', 'A3:Phone X'] });

    // Shorter, with the first purchase changed; the unchanged profile beside it is left alone.
    expect((await ingest('profile-2', profile('vip', [purchase('A1', 'Phone Y')]), other)).customers).toBe(1);
    expect(await stored()).toEqual({ tier: 'vip', orders: ['A1:Phone Y'] });
    expect(await stored('c-10')).toEqual({ tier: 'standard', orders: ['S1:Tablet'] });

    // Longer.
    await ingest('profile-3', profile('vip', [purchase('A1', 'Phone Y'), purchase('B2'), purchase('B3'), purchase('B4')]));
    expect(await stored()).toEqual({ tier: 'vip', orders: ['A1:Phone Y', 'B2:Phone X', 'B3:Phone X', 'B4:Phone X'] });

    // None at all; then a new customer and a changed one in the same file.
    await ingest('profile-4', profile('standard', undefined));
    expect(await stored()).toEqual({ tier: 'standard', orders: [] });
    await ingest('profile-5', profile('vip', [purchase('C1')]), { ...other, customer_id: 'c-11' });
    expect(await stored()).toEqual({ tier: 'vip', orders: ['C1:Phone X'] });
    expect(await stored('c-11')).toEqual({ tier: 'standard', orders: ['S1:Tablet'] });
    expect(await db.all("SELECT count(*)::VARCHAR AS n FROM purchases WHERE customer_id = 'c-9'")).toEqual([{ n: '1' }]);
  });
});
