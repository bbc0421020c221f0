import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { SaveLabelBody } from '../domain/api.ts';
import type { ApiKeyInfo } from '../domain/label.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { FIXTURE_CUSTOMER, fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import type { Database } from '../storage/database.ts';
import { LabelingService } from './labeling.ts';
import { LabelingRecords } from './labeling-records.ts';
import { importLabels } from './label-files.ts';
import { refreshFcrEstimates } from './fcr-from-logs.ts';
import { storeChanged } from '../storage/store-changes.ts';

const alice: ApiKeyInfo = { id: 'k1', name: 'alice', role: 'reviewer', created_at: '2026-01-01T00:00:00Z' };
const fields: SaveLabelBody['fields'] = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] };

/** What a view reads of an item: its dialogue, turns, customer, purchases, labels and estimate. */
const ITEM_READ = /FROM (dialogues|turns|customers|purchases|labels|fcr_estimates) WHERE/;

interface Read {
  sql: string;
  params: unknown;
}

/**
 * Counts the statements read from now on, through the store's first connection (`first`) and through
 * its read connections (`apart`); `settled()` resolves once no read is running (the read ahead done).
 */
function counting(db: Database) {
  const first: Read[] = [];
  const apart: Read[] = [];
  let running = 0;
  const all = db.all.bind(db);
  const read = db.read.bind(db);
  db.all = (sql, params) => (first.push({ sql, params }), all(sql, params));
  db.read = (sql, params) => {
    apart.push({ sql, params });
    running++;
    return read(sql, params).finally(() => running--) as never;
  };
  const settled = async () => {
    // A read ahead reads the customer once its dialogue is read: quiet twice in a row.
    for (let quiet = 0; quiet < 2; ) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      quiet = running === 0 ? quiet + 1 : 0;
    }
  };
  /** Reads of the item `dialogue` (by its id or its customer's), on either connection. */
  const itemReads = (dialogue: { id: string; customer_id?: string | null }, on: Read[] = [...first, ...apart]) =>
    on.filter((r) => ITEM_READ.test(r.sql) && Object.values((r.params ?? {}) as object).some((v) => v === dialogue.id || v === dialogue.customer_id)).map((r) => r.sql);
  const reset = () => {
    first.length = 0;
    apart.length = 0;
  };
  return { first, apart, settled, itemReads, reset };
}

/** Labels items in the queue's order until `id` is the one handed out; returns that item. */
async function nextUntil(labeling: LabelingService, id: string) {
  for (;;) {
    const { item } = await labeling.next(alice);
    if (!item) throw new Error(`${id} never came`);
    if (item.dialogue.id === id) return item;
    await labeling.save(item.dialogue.id, alice, { fields, status: 'submitted', version: null });
  }
}

describe("the labeling view's records, read ahead", () => {
  const dialogues = ['r-1', 'r-2', 'r-3', 'r-4'].map((id, i) => fixtureDialogue(id, { customer_id: `c-${i + 1}` }));
  const customers = dialogues.map((d, i) => ({ ...FIXTURE_CUSTOMER, customer_id: d.customer_id, name: `客户${i + 1}` }));

  /** Ingests every dialogue's customer, their names prefixed with `prefix`. */
  async function ingestCustomers(db: Database, prefix = ''): Promise<void> {
    const file = join(tempDir(), 'customers.jsonl');
    writeFileSync(file, customers.map((c) => JSON.stringify({ ...c, name: `${prefix}${c.name}` })).join('\n'));
    await ingestFiles(db, { paths: [file] });
  }

  /** A store with the customers, its reads counted, and alice's first item labeled (so the following one was read ahead). */
  async function firstItemLabeled() {
    const { db } = await labelingStore(dialogues);
    await ingestCustomers(db);
    const reads = counting(db);
    const labeling = new LabelingService(db);
    const first = (await labeling.next(alice)).item!;
    await labeling.save(first.dialogue.id, alice, { fields, status: 'submitted', version: null });
    await reads.settled();
    reads.reset();
    return { db, reads, labeling, first };
  }

  it("reads the following item's dialogue, customer, estimate and labels while the reviewer labels the current one", async () => {
    const { db, reads, labeling, first } = await firstItemLabeled();
    const second = (await labeling.next(alice)).item!;
    expect(second.dialogue.id).not.toBe(first.dialogue.id);
    // Served from what was read ahead: no read of the item on any connection (alice's save of the first one concerned only that one).
    expect(reads.itemReads(second.dialogue)).toEqual([]);
    // And it is the full view, as a fresh read gives it.
    expect(second).toEqual(await new LabelingService(db).view(second.dialogue.id, alice));
    expect(second.dialogue.turns.length).toBe(2);
    expect(second.customer?.name).toMatch(/^客户\d$/);
    expect(second.fcr_estimate.value).toBeTruthy();
  });

  it('reads the next two items ahead, so a reviewer who labels faster than the store answers still finds theirs read', async () => {
    const { db } = await labelingStore(dialogues);
    const reads = counting(db);
    const labeling = new LabelingService(db);
    const first = (await labeling.next(alice)).item!;
    await reads.settled();
    // Read on the read connections: the first item (asked for now) and the two after it (ahead).
    const read = new Set(reads.apart.filter((r) => /FROM dialogues WHERE/.test(r.sql)).map((r) => (r.params as { id: string }).id));
    expect(read.size).toBe(3);
    // Both are served without a read: the second, and the third after the second is labeled.
    let item = first;
    for (let i = 0; i < 2; i++) {
      await labeling.save(item.dialogue.id, alice, { fields, status: 'submitted', version: null });
      reads.reset();
      item = (await labeling.next(alice)).item!;
      expect(read.has(item.dialogue.id)).toBe(true);
      expect(reads.itemReads(item.dialogue)).toEqual([]);
    }
  });

  it('reads ahead again when customers change, so the next item shows the changed profile', async () => {
    const { db, reads, labeling } = await firstItemLabeled();

    // Every customer is renamed by an ingest after the following item was read ahead.
    await ingestCustomers(db, '改名');
    await reads.settled();
    reads.reset();
    const second = (await labeling.next(alice)).item!;
    expect(second.customer?.name).toMatch(/^改名客户\d$/);
    expect(reads.itemReads(second.dialogue)).toEqual([]);
  });

  it("reads ahead again when the following item's labels change: a draft imported for it shows", async () => {
    const { db, labeling, first } = await firstItemLabeled();
    // Alice's drafts of the other items arrive by `labels import` after the read ahead.
    const file = join(tempDir(), 'labels.jsonl');
    const others = dialogues.filter((d) => d.id !== first.dialogue.id);
    writeFileSync(file, others.map((d) => JSON.stringify({ dialogue_id: d.id, reviewer: 'alice', status: 'draft', ...fields, notes: `imported ${d.id}` })).join('\n'));
    await importLabels(db, file);
    const second = (await labeling.next(alice)).item!;
    expect(second.my_label?.notes).toBe(`imported ${second.dialogue.id}`);
  });

  it('reads again what was read ahead when its labels change while it is being handed out', async () => {
    const { db } = await labelingStore(dialogues);
    const records = new LabelingRecords(db);
    records.readAhead(['r-2'], 'alice');
    const reads = counting(db);
    await reads.settled();
    // A label written behind the records' back, then announced while the read ahead is being taken.
    await db.run(
      `INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, tone_tags, reference_answer, required_facts, notes, turn_flags, created_at, updated_at)
       VALUES ('r-2', 'bob', 'draft', 1, 1, '[]', '', '[]', 'late', '[]', now(), now())`,
    );
    const taken = records.get('r-2', 'alice');
    storeChanged(db, { labels: ['r-2'] });
    expect((await taken).labels.map((l) => l.notes)).toEqual(['late']);
  });

  it('reads ahead again when the FCR estimates change, so the next item shows the new estimate', async () => {
    const { db } = await labelingStore(dialogues);
    const truth = await new LabelingService(db).view('r-2', alice);
    // An estimate that is not the store's, read ahead; then a refresh puts the store's back.
    await db.run("UPDATE fcr_estimates SET value = 'no', reason = 'not resolved in this contact'");
    const labeling = new LabelingService(db);
    const first = (await labeling.next(alice)).item!;
    await labeling.save(first.dialogue.id, alice, { fields, status: 'submitted', version: null });
    await refreshFcrEstimates(db, undefined, { full: true });
    const second = (await labeling.next(alice)).item!;
    expect(second.fcr_estimate.value).toBe(truth.fcr_estimate.value);
    expect(second.fcr_estimate.value).not.toBe('no');
  });

  it('drops, instead of reading again, what was read ahead for a reviewer who stopped a quarter of an hour ago', async () => {
    const { db, reads, labeling } = await firstItemLabeled();
    const later = Date.now() + 16 * 60_000;
    vi.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      await ingestCustomers(db, '改名');
      await reads.settled();
      reads.reset();
      const second = (await labeling.next(alice)).item!;
      expect(second.customer?.name).toMatch(/^改名客户\d$/);
      // Read now, on the read connections: nothing was read again for them.
      const dialogueReads = (on: Read[]) => reads.itemReads(second.dialogue, on).filter((sql) => /FROM dialogues WHERE/.test(sql));
      expect(dialogueReads(reads.apart)).toHaveLength(1);
      expect(dialogueReads(reads.first)).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('never serves a read-ahead production dialogue: its conversation may have gone on meanwhile', async () => {
    const { db } = await labelingStore(dialogues);
    await db.run("UPDATE dialogues SET source = 'production'");
    const labeling = new LabelingService(db);
    const first = (await labeling.next(alice)).item!;
    await labeling.save(first.dialogue.id, alice, { fields, status: 'submitted', version: null });
    // The exchange log replaces a continued production dialogue's turns; every remaining one goes on here.
    for (const d of dialogues.filter((d) => d.id !== first.dialogue.id)) {
      await db.run(`INSERT INTO turns VALUES ($id, 2, 'customer', '还是不行', NULL, NULL, NULL)`, { id: d.id });
    }
    const second = (await labeling.next(alice)).item!;
    expect(second.dialogue.turns.map((t) => t.text)).toContain('还是不行');
  });

  it('reads the record when the reviewer opens another dialogue than the one read ahead', async () => {
    const { db } = await labelingStore(dialogues);
    const labeling = new LabelingService(db);
    await labeling.next(alice);
    const opened = await labeling.view('r-4', alice);
    expect(opened.dialogue.id).toBe('r-4');
    expect(opened.customer).toBeNull(); // c-4 has no profile in this store
    const item = await nextUntil(labeling, 'r-4');
    expect(item.dialogue.id).toBe('r-4');
  });
});
