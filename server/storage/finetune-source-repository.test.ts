import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareCodePoints } from '../domain/code-point-order.ts';
import { LABEL_SCHEMA_VERSION, LabelFields } from '../domain/label.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import { caseFromDialogue, caseFromTrustedDialogue } from '../services/suites.ts';
import type { Database } from './database.ts';
import {
  customerFromRow,
  customerFromTrustedRow,
  dialogueFromRow,
  dialogueFromTrustedRow,
  goldLabelFromRow,
  goldLabelFromTrustedRow,
  labelFromRow,
  labelFromTrustedRow,
} from './converters.ts';
import { FinetuneSourceRepository, sortSourceRow } from './finetune-source-repository.ts';
import { GoldLabelRepository } from './gold-label-repository.ts';
import { LabelRepository } from './label-repository.ts';

// Ids whose UTF-16 order differs from DuckDB's (code point) order: an astral character sorts before
// U+FFFD as UTF-16 units and after it as code points. Slices bounded by the wrong order would drop rows.
const IDS = ['a-1', 'a-2', 'Z-3', '中-4', 'z\ufffd-5', 'z\u{1f600}-6', 'z\u{1f600}-7', 'é-8', 'z\uff5e-9'];
const REVIEWERS = ['bob', 'alice', 'Émile', 'zoë', 'z\u{1f600}', 'z\ufffd'];

let db: Database;
const dir = tempDir('firstcall-finetune-source-');

beforeAll(async () => {
  ({ db } = await labelingStore(
    IDS.map((id, i) =>
      fixtureDialogue(id, {
        turns: Array.from({ length: 12 }, (_, k) => ({ role: k % 2 === 0 ? ('customer' as const) : ('agent' as const), text: `${id} turn ${k}: ${'文'.repeat(i + k)}` })),
      }),
    ),
  ));
  const labels = new LabelRepository(db);
  await labels.upsertMany(
    IDS.flatMap((id, i) =>
      REVIEWERS.slice(0, 1 + (i % REVIEWERS.length)).map((reviewer) => ({
        ...LabelFields.parse({ intent: 'screen_repair', accuracy: 'correct', tone: 4, notes: `${reviewer} on ${id}` }),
        dialogue_id: id,
        reviewer,
        status: 'submitted' as const,
        schema_version: LABEL_SCHEMA_VERSION,
      })),
    ),
  );
  await new GoldLabelRepository(db).putAdjudication(IDS[3]!, LabelFields.parse({ intent: 'returns', accuracy: 'correct', tone: 5 }), 'ada');
}, 60_000);

/** A document as the one ordered statement writes it (the benchmark's COPY), keyed by id. */
function orderedDocuments(): Map<string, Record<string, unknown>> {
  const path = join(dir, 'copy.jsonl');
  return new Map(
    readFileSync(path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .map((d) => [d.id as string, d]),
  );
}

describe('FinetuneSourceRepository', () => {
  it('orders ids by code point, as DuckDB compares them', async () => {
    const [row] = await db.all<{ ids: string[] }>(`SELECT list(id ORDER BY id) AS ids FROM dialogues`);
    expect([...IDS].sort(compareCodePoints)).toEqual([...row!.ids]);
    expect([...REVIEWERS].sort(compareCodePoints)).toEqual((await db.all<{ r: string }>(`SELECT DISTINCT reviewer AS r FROM labels ORDER BY r`)).map((x) => x.r));
  });

  it('reads every dialogue once, in slices of any size, with the same content and order as the one ordered statement', async () => {
    const sources = new FinetuneSourceRepository(db);
    await sources.copyDocuments({}, IDS, join(dir, 'copy.jsonl'));
    const expected = orderedDocuments();
    expect(expected.size).toBe(IDS.length);
    for (const slice of [1, 2, 3, 4, 100]) {
      const seen: string[] = [];
      for await (const page of sources.documents({}, [...IDS].reverse(), slice)) {
        for (const doc of page) {
          seen.push(doc.id);
          const row = sortSourceRow(JSON.parse(doc.json) as Record<string, unknown>);
          const want = expected.get(doc.id)!;
          // to_json and COPY write timestamps alike; compare the lists and their order field by field.
          expect((row.turn_rows as { seq: number }[]).map((t) => t.seq)).toEqual([...Array(12).keys()]);
          expect(row.turn_rows).toEqual(want.turn_rows);
          expect(row.label_rows).toEqual(want.label_rows);
          expect(row.gold_row).toEqual(want.gold_row);
          expect(row.customer).toEqual(want.customer);
          expect(row.id).toBe(want.id);
        }
      }
      expect(seen.sort(compareCodePoints)).toEqual([...IDS].sort(compareCodePoints));
    }
  });

  it('gives, through the trusted converters the build uses, the same dialogues, customers, labels and cases as the checked ones', async () => {
    type Row = Record<string, unknown>;
    const sources = new FinetuneSourceRepository(db);
    let customers = 0;
    let labels = 0;
    for await (const page of sources.documents({}, IDS)) {
      for (const doc of page) {
        const row = sortSourceRow(JSON.parse(doc.json) as Row);
        const turns = row.turn_rows as Row[];
        const dialogue = dialogueFromRow(row, turns);
        expect(dialogueFromTrustedRow(row, turns)).toEqual(dialogue);
        const customer = row.customer as Row | null;
        const record = customer ? customerFromRow(customer, customer.purchase_rows as Row[]) : undefined;
        if (customer) {
          customers++;
          expect(customerFromTrustedRow(customer, customer.purchase_rows as Row[])).toEqual(record);
        }
        const gold = row.gold_row ? goldLabelFromRow(row.gold_row as Row) : undefined;
        expect(caseFromTrustedDialogue(dialogue, gold, record)).toEqual(caseFromDialogue(dialogue, gold, record));
        for (const label of (row.label_rows ?? []) as Row[]) {
          labels++;
          expect(labelFromTrustedRow(label)).toEqual(labelFromRow(label));
        }
        if (row.gold_row) expect(goldLabelFromTrustedRow(row.gold_row as Row)).toEqual(goldLabelFromRow(row.gold_row as Row));
      }
    }
    expect(customers).toBeGreaterThan(0);
    expect(labels).toBeGreaterThan(IDS.length);
  });

  it('puts labels in reviewer order and purchases and turns in seq order, whatever order they come in', () => {
    const row = sortSourceRow({
      turn_rows: [{ seq: 2 }, { seq: 0 }, { seq: 10 }, { seq: 1 }],
      label_rows: [{ reviewer: 'z\u{1f600}' }, { reviewer: 'z\ufffd' }, { reviewer: 'alice' }, { reviewer: 'Émile' }],
      customer: { purchase_rows: [{ seq: 1 }, { seq: 0 }] },
    });
    expect(row.turn_rows).toEqual([{ seq: 0 }, { seq: 1 }, { seq: 2 }, { seq: 10 }]);
    expect(row.label_rows).toEqual([{ reviewer: 'alice' }, { reviewer: 'z\ufffd' }, { reviewer: 'z\u{1f600}' }, { reviewer: 'Émile' }].sort((a, b) => compareCodePoints(a.reviewer, b.reviewer)));
    expect((row.label_rows as { reviewer: string }[]).map((l) => l.reviewer)).toEqual(['alice', 'z\ufffd', 'z\u{1f600}', 'Émile'].sort(compareCodePoints));
    expect((row.customer as { purchase_rows: unknown[] }).purchase_rows).toEqual([{ seq: 0 }, { seq: 1 }]);
    expect(sortSourceRow({ turn_rows: null, label_rows: null, customer: null })).toEqual({ turn_rows: null, label_rows: null, customer: null });
  });

  it('streams label documents for ids in any order and slice', async () => {
    const sources = new FinetuneSourceRepository(db);
    const seen = new Map<string, string[]>();
    for await (const page of sources.labelDocuments([...IDS, 'missing'], 2)) {
      for (const doc of page) seen.set(doc.id, ((sortSourceRow(JSON.parse(doc.json) as Record<string, unknown>).label_rows ?? []) as { reviewer: string }[]).map((l) => l.reviewer));
    }
    expect([...seen.keys()].sort(compareCodePoints)).toEqual([...IDS, 'missing'].sort(compareCodePoints));
    expect(seen.get('missing')).toEqual([]);
    for (const [i, id] of IDS.entries()) {
      const rows = await db.all<{ r: string }>(`SELECT reviewer AS r FROM labels WHERE dialogue_id = $id ORDER BY reviewer`, { id });
      expect(seen.get(id)).toEqual(rows.map((x) => x.r));
      expect(seen.get(id)).toHaveLength(1 + (i % REVIEWERS.length));
    }
  });
});
