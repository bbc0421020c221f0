// Ingest on worker threads: the same rows, quarantine and totals as on one thread, record order kept
// across workers, and a worker that dies stops the ingest with its error instead of leaving it waiting.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database } from '../storage/database.ts';
import { IngestBatchRepository } from '../storage/ingest-batch-repository.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { ingestFiles } from './ingest-service.ts';
import { createStagePool } from './stage-pool.ts';

const dir = tempDir();
const line = (o: unknown) => JSON.stringify(o);

/**
 * About 3 MiB of canonical JSONL (so several blocks, spread over the workers) with every kind of bad
 * line, duplicate ids far apart, customers, PII, CRLF line ends and blank lines.
 */
function writeMixedFile(file: string): void {
  const parts: (string | Buffer)[] = [];
  for (let i = 0; i < 6000; i++) {
    const zh = i % 3 === 0;
    const text = zh ? `第${i}次联系：手机屏幕碎了，电话 1380013${String(8000 + (i % 1000)).padStart(4, '0')}，${'麻烦尽快处理。'.repeat(8)}` : `Order ${i} is late, mail me at user${i}@example.com. ${'Please hurry. '.repeat(12)}`;
    parts.push(line({ id: `d-${i}`, channel: zh ? 'wechat' : 'web', customer_id: `c-${i % 50}`, turns: [{ role: 'customer', text }, { role: 'agent', text: zh ? '好的，马上为您处理。' : 'Sure, on it.' }] }));
    if (i % 97 === 5) parts.push('{"id": "broken", "turns": [');
    if (i % 211 === 7) parts.push(line({ id: `no-turns-${i}`, turns: [] }));
    if (i % 307 === 11) parts.push(String.raw`{"id":"sur-${i}","turns":[{"role":"customer","text":"a\ud800b"}]}`);
    if (i % 401 === 13) parts.push(Buffer.concat([Buffer.from('{"id":"utf8","turns":[{"role":"customer","text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]));
    if (i % 500 === 17) parts.push(line({ customer_id: `c-${i % 50}`, name: `Name ${i}`, tier: 'gold' }));
    if (i % 700 === 19) parts.push(''); // blank
    if (i === 5000) parts.push(line({ id: 'd-10', turns: [{ role: 'customer', text: 'a later copy of d-10: the first one is kept' }] }));
  }
  const body = Buffer.concat(parts.map((p, i) => Buffer.concat([typeof p === 'string' ? Buffer.from(p) : p, Buffer.from(i % 13 === 0 ? '\r\n' : '\n')])));
  writeFileSync(file, body);
}

async function snapshot(db: Database) {
  return {
    dialogues: await db.all('SELECT id, channel, customer_id, language, source, turn_count, content_hash FROM dialogues ORDER BY id'),
    turns: await db.all('SELECT dialogue_id, seq, role, text FROM turns ORDER BY dialogue_id, seq'),
    customers: await db.all('SELECT id, name, tier, content_hash FROM customers ORDER BY id'),
    quarantine: await db.all('SELECT file, line, reason, raw FROM quarantine ORDER BY line'),
  };
}

describe('ingest on worker threads', () => {
  it('loads the same rows and quarantines the same lines, at the same line numbers, as on one thread', async () => {
    const file = join(dir, 'mixed.jsonl');
    writeMixedFile(file);
    const single = await tempStore(dir);
    const threaded = await tempStore(dir);
    const a = await ingestFiles(single, { paths: [file], workers: 0, mergeEvery: 2000 });
    const b = await ingestFiles(threaded, { paths: [file], workers: 2, mergeEvery: 2000 });
    expect([a.workers, b.workers]).toEqual([0, 2]);
    const totals = (s: typeof a) => ({ ...s, batch_id: undefined, elapsed_ms: undefined, workers: undefined });
    expect(totals(b)).toEqual(totals(a));
    expect(a.quarantined).toBeGreaterThan(100);
    expect(a.redacted.PHONE).toBeGreaterThan(1000);
    expect(await snapshot(threaded)).toEqual(await snapshot(single));

    const [first] = await threaded.all<{ text: string }>("SELECT text FROM turns WHERE dialogue_id = 'd-10' AND seq = 0");
    expect(first!.text).not.toContain('later copy');
    const lines = (await threaded.all<{ line: number }>('SELECT line FROM quarantine ORDER BY line')).map((r) => Number(r.line));
    expect(lines.length).toBe(a.quarantined);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('hands results back in the order the batches were submitted, whichever worker finishes first', async () => {
    const pool = createStagePool(2);
    try {
      const big = Array.from({ length: 3000 }, (_, i) => ({ kind: 'dialogue' as const, line: i + 1, value: { id: `b-${i}`, turns: [{ role: 'customer', text: `call 1380013${String(i).padStart(4, '0')} ${'x'.repeat(300)}` }] } }));
      const small = [{ kind: 'dialogue' as const, line: 1, value: { id: 's-1', turns: [{ role: 'customer', text: 'hi' }] } }];
      pool.submit({ kind: 'items', items: big, redact: true });
      pool.submit({ kind: 'items', items: small, redact: true });
      pool.submit({ kind: 'items', items: big.slice(0, 10), redact: true });
      expect((await pool.next()).records).toBe(3000);
      expect((await pool.next()).ids).toEqual(['s-1']);
      expect((await pool.next()).records).toBe(10);
    } finally {
      await pool.close();
    }
  });

  it.each([
    ['throws', 'crashing-worker.fixture.mjs', /an ingest worker failed: boom/],
    ['exits', 'exiting-worker.fixture.mjs', /an ingest worker stopped \(exit code 7\)/],
  ])('stops with an error, not a hang, when a worker %s, and marks the batch failed', async (_how, fixture, message) => {
    const file = join(dir, `crash-${fixture}.jsonl`);
    writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => line({ id: `x-${i}`, turns: [{ role: 'customer', text: 'hi' }] })).join('\n')}\n`);
    const db = await tempStore(dir);
    await expect(ingestFiles(db, { paths: [file], workers: 2, workerEntry: new URL(`./${fixture}`, import.meta.url) })).rejects.toThrow(message);
    const [batch] = await new IngestBatchRepository(db).list();
    expect(batch!.status).toBe('failed');
  });
});
