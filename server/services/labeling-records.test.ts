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

const alice: ApiKeyInfo = { id: 'k1', name: 'alice', role: 'reviewer', created_at: '2026-01-01T00:00:00Z' };
const fields: SaveLabelBody['fields'] = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] };

/** Counts the statements read through the store's first connection from now on (not those through the read connections). */
function counting(db: Database): string[] {
  const statements: string[] = [];
  const all = db.all.bind(db);
  db.all = (sql, params) => (statements.push(sql), all(sql, params));
  return statements;
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

  /** A store with the customers, its first connection's statements counted, and alice's first item labeled (so the following one was read ahead). */
  async function firstItemLabeled() {
    const { db } = await labelingStore(dialogues);
    await ingestCustomers(db);
    const statements = counting(db);
    const labeling = new LabelingService(db);
    const first = (await labeling.next(alice)).item!;
    await labeling.save(first.dialogue.id, alice, { fields, status: 'submitted', version: null });
    return { db, statements, labeling, first };
  }

  it("reads the following item's dialogue and customer while the reviewer labels the current one", async () => {
    const { db, statements, labeling, first } = await firstItemLabeled();
    statements.length = 0;
    const second = (await labeling.next(alice)).item!;
    expect(second.dialogue.id).not.toBe(first.dialogue.id);
    // Served from what was read ahead: no read of the dialogue, its turns or its customer on the first connection.
    expect(statements.filter((sql) => /FROM (dialogues|turns|customers|purchases) WHERE/.test(sql))).toEqual([]);
    // And it is the full record, as a fresh read gives it.
    expect(second).toEqual(await new LabelingService(db).view(second.dialogue.id, alice));
    expect(second.dialogue.turns.length).toBe(2);
    expect(second.customer?.name).toMatch(/^客户\d$/);
  });

  it('reads ahead again when customers change, so the next item shows the changed profile', async () => {
    const { db, statements, labeling } = await firstItemLabeled();

    // Every customer is renamed by an ingest after the following item was read ahead.
    await ingestCustomers(db, '改名');
    statements.length = 0;
    const second = (await labeling.next(alice)).item!;
    expect(second.customer?.name).toMatch(/^改名客户\d$/);
    expect(statements.filter((sql) => /FROM (dialogues|turns|customers|purchases) WHERE/.test(sql))).toEqual([]);
  });

  it('drops, instead of reading again, what was read ahead for a reviewer who stopped a quarter of an hour ago', async () => {
    const { db, statements, labeling } = await firstItemLabeled();
    const later = Date.now() + 16 * 60_000;
    vi.spyOn(Date, 'now').mockImplementation(() => later);
    try {
      await ingestCustomers(db, '改名');
      statements.length = 0;
      const second = (await labeling.next(alice)).item!;
      expect(second.customer?.name).toMatch(/^改名客户\d$/);
      // Read now, on the store's connection: nothing was read again for them.
      expect(statements.filter((sql) => /FROM dialogues WHERE/.test(sql))).toHaveLength(1);
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
