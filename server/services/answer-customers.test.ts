// The primary's answer backend keeps the customer records it read in memory (a DuckDB lookup costs
// more than the rest of an answer): an ingest that changes a customer must never leave an answer
// with the record as it was.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { storeAnswerBackend } from './answer.ts';

const customer = (id: string, orders: string[]) => ({
  customer_id: id,
  name: '王小明',
  tier: 'standard',
  language: 'zh',
  since: '2023-02-01',
  purchases: orders.map((order_id, i) => ({ product: `Aero ${i + 14} laptop`, category: 'laptop', purchased_at: '2026-03-09', warranty_months: 24, order_id, price: 1299 })),
});

async function ingestLines(db: Awaited<ReturnType<typeof tempStore>>, dir: string, name: string, records: object[]) {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await ingestFiles(db, { paths: [path] });
}

describe('customer records in answers', () => {
  it('reads the record again after an ingest changed it (new purchases, a customer not there before), and never gives the name', async () => {
    const dir = tempDir();
    const db = await tempStore(dir);
    try {
      await ingestLines(db, dir, 'one.jsonl', [customer('c-1', ['DD1'])]);
      const backend = storeAnswerBackend(db);
      const first = await backend.customer('c-1');
      expect(first?.purchases.map((p) => p.order_id)).toEqual(['DD1']);
      expect(first).not.toHaveProperty('name');
      expect(await backend.customer('c-2')).toBeUndefined();
      expect((await backend.customer('c-1'))?.purchases).toHaveLength(1); // kept, same answer

      await ingestLines(db, dir, 'two.jsonl', [customer('c-1', ['DD1', 'DD2']), customer('c-2', ['DD3'])]);
      expect((await backend.customer('c-1'))?.purchases.map((p) => p.order_id)).toEqual(['DD1', 'DD2']);
      expect((await backend.customer('c-2'))?.purchases.map((p) => p.order_id)).toEqual(['DD3']);
    } finally {
      db.close();
    }
  });
});
