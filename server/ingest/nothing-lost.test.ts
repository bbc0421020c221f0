// Issue 9 ("Trust"): bad input is quarantined line by line and never takes the rest of an ingest, an
// export or the API down with it; an ingest killed mid-way is reconciled on the store's next open.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { METADATA_MAX_DEPTH } from '../domain/record-limits.ts';
import { exportDialogues } from '../services/export-dialogues.ts';
import { UNREADABLE_METADATA_NOTE } from '../storage/converters.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { IngestBatchRepository } from '../storage/ingest-batch-repository.ts';
import { QuarantineRepository } from '../storage/quarantine-repository.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { ingestFiles } from './ingest-service.ts';

const dir = tempDir();
const dialogueLine = (id: string, text = `hello ${id}`) => JSON.stringify({ id, turns: [{ role: 'customer', text }] });
/** Metadata nested `depth` levels below its top-level object, written as text (JSON.stringify would overflow). */
const deepMetadataLine = (id: string, depth: number) =>
  `{"id":"${id}","turns":[{"role":"customer","text":"hi"}],"metadata":{"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}}`;

describe('lone surrogates', () => {
  it('quarantines the one line with a lone surrogate escape, with its line number, and loads the other 47', async () => {
    const file = join(dir, 'surrogate.jsonl');
    const lines = Array.from({ length: 48 }, (_, i) => dialogueLine(`s-${i}`));
    lines[20] = String.raw`{"id":"s-bad","turns":[{"role":"customer","text":"a\ud800b"}]}`;
    writeFileSync(file, `${lines.join('\n')}\n`);
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary).toMatchObject({ loaded: 47, quarantined: 1 });
    const [row] = await new QuarantineRepository(db).list({ batchId: summary.batch_id });
    expect(row).toMatchObject({ line: 21, file });
    expect(row!.reason).toMatch(/turns\[0\]\.text: lone surrogate/);
  });

  it('keeps a properly paired surrogate escape (an emoji) and quarantines a lone one in metadata or a customer', async () => {
    const file = join(dir, 'surrogate-2.jsonl');
    writeFileSync(
      file,
      [
        String.raw`{"id":"emoji","turns":[{"role":"customer","text":"ok \ud83d\ude00"}]}`,
        String.raw`{"id":"meta","turns":[{"role":"customer","text":"hi"}],"metadata":{"note":"\udc00"}}`,
        String.raw`{"customer_id":"c-9","name":"\ud800"}`,
      ].join('\n'),
    );
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary).toMatchObject({ loaded: 1, customers: 0, quarantined: 2 });
    expect((await new DialogueRepository(db).get('emoji'))!.turns[0]!.text).toBe('ok 😀');
    const reasons = (await new QuarantineRepository(db).list({ batchId: summary.batch_id })).map((r) => [r.line, r.reason]);
    expect(reasons).toEqual([
      [2, expect.stringMatching(/metadata\.note: lone surrogate/)],
      [3, expect.stringMatching(/invalid customer: name: lone surrogate/)],
    ]);
  });
});

describe('metadata limits at ingest', () => {
  it(`quarantines metadata nested deeper than ${METADATA_MAX_DEPTH} levels and loads metadata at the limit`, async () => {
    const file = join(dir, 'deep.jsonl');
    writeFileSync(file, [deepMetadataLine('deep', 5000), deepMetadataLine('at-limit', METADATA_MAX_DEPTH - 2), dialogueLine('plain')].join('\n'));
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary).toMatchObject({ loaded: 2, quarantined: 1 });
    const [row] = await new QuarantineRepository(db).list({ batchId: summary.batch_id });
    expect(row).toMatchObject({ line: 1, reason: `invalid dialogue: metadata nested deeper than ${METADATA_MAX_DEPTH} levels` });
  });

  it('quarantines metadata over 64 KiB serialised', async () => {
    const file = join(dir, 'big.jsonl');
    const big = { id: 'big', turns: [{ role: 'customer', text: 'hi' }], metadata: { blob: 'x'.repeat(70 * 1024) } };
    writeFileSync(file, [JSON.stringify(big), dialogueLine('small')].join('\n'));
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary).toMatchObject({ loaded: 1, quarantined: 1 });
    const [row] = await new QuarantineRepository(db).list({ batchId: summary.batch_id });
    expect(row!.reason).toMatch(/metadata is 70\.\d KiB serialised, over the 64 KiB limit/);
  });
});

/** What an older firstcall let in: a dialogue whose stored metadata is 5,000 levels deep. */
async function storeDeepDialogue(db: Database, id: string, channel = 'web') {
  const depth = 5000;
  await db.run(
    `INSERT INTO dialogues (id, channel, language, source, metadata, turn_count, content_hash, batch_id)
     VALUES ($id, $channel, 'en', 'jsonl', $metadata, 1, 'h', 'ib-old')`,
    { id, channel, metadata: `{"x":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}` },
  );
  await db.run("INSERT INTO turns (dialogue_id, seq, role, text) VALUES ($id, 0, 'customer', 'my screen is broken')", { id });
}

describe('export with a bad record already stored', () => {
  it('writes every other dialogue and reports the one it cannot serialise by id', async () => {
    const file = join(dir, 'good.jsonl');
    writeFileSync(file, ['a', 'b', 'c'].map((id) => dialogueLine(id)).join('\n'));
    const db = await tempStore(dir);
    await ingestFiles(db, { paths: [file] });
    await storeDeepDialogue(db, 'b-deep');
    const out = join(dir, 'export.jsonl');
    const result = await exportDialogues(db, out);
    expect(result.written).toBe(3);
    expect(result.skipped).toEqual([{ id: 'b-deep', reason: expect.stringMatching(/nested deeper than 32 levels/) }]);
    expect(readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['a', 'b', 'c']);
  });
});

describe('the labeling API with a bad record already stored', () => {
  let app: FastifyInstance;
  let keys: Keys;
  beforeAll(async () => {
    const store = await labelingStore([fixtureDialogue('d-1')]);
    keys = store.keys;
    await storeDeepDialogue(store.db, 'deep-1', 'deepchan');
    app = await buildApp({ db: store.db, maxAuthFailures: 1000 });
  });
  afterAll(() => app?.close());
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  it('serves the dialogue with a note in place of metadata it cannot serve', async () => {
    const response = await app.inject({ url: '/api/dialogues/deep-1', headers: as(keys.reviewer) });
    expect(response.statusCode).toBe(200);
    expect(response.json().dialogue.metadata).toEqual({ [UNREADABLE_METADATA_NOTE]: expect.stringMatching(/nested deeper than 32 levels/) });
  });

  it("hands it out in the reviewer's queue", async () => {
    const response = await app.inject({ url: '/api/queue/next?channel=deepchan', headers: as(keys.reviewer) });
    expect(response.statusCode).toBe(200);
    expect(JSON.stringify(response.json())).toContain('deep-1');
  });
});

describe('quarantined records are redacted', () => {
  const file = join(dir, 'pii-bad.jsonl');
  writeFileSync(file, [dialogueLine('ok'), '{"id":"x","turns":[{"role":"customer","text":"call me 13812345678 or li.na@example.com"}]', '{"id": 13812345678}'].join('\n'));

  it('stores the raw line and the reason with PII redacted', async () => {
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file] });
    expect(summary.quarantined).toBe(2);
    const stored = await db.all<{ reason: string; raw: string }>('SELECT reason, raw FROM quarantine ORDER BY line');
    expect(stored[0]!.raw).toBe('{"id":"x","turns":[{"role":"customer","text":"call me [PHONE] or [EMAIL]"}]');
    expect(JSON.stringify(stored)).not.toMatch(/13812345678|li\.na/);
  });

  it('prints records stored unredacted (--no-redact) redacted all the same', async () => {
    const db = await tempStore(dir);
    const summary = await ingestFiles(db, { paths: [file], redact: false });
    const [stored] = await db.all<{ raw: string }>('SELECT raw FROM quarantine ORDER BY line');
    expect(stored!.raw).toContain('13812345678');
    const listed = await new QuarantineRepository(db).list({ batchId: summary.batch_id });
    expect(listed.map((r) => r.raw).join('\n')).not.toMatch(/13812345678|li\.na/);
    expect(listed[0]!.raw).toContain('[PHONE]');
  });
});

describe('an ingest killed with SIGKILL', () => {
  it('is marked interrupted and its staging tables are dropped when the store is next opened', async () => {
    const file = join(dir, 'many.jsonl');
    writeFileSync(file, `${Array.from({ length: 40_000 }, (_, i) => dialogueLine(`k-${i}`, `我的手机屏幕碎了，第 ${i} 次联系，请尽快处理，谢谢。`.repeat(2))).join('\n')}\n`);
    const store = join(dir, 'killed.duckdb');
    const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'ingest-until-killed.fixture.ts'), store, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => out.includes('ingesting') && resolve());
      child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it was killed`)));
    });
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    const [, signal] = await exited;
    expect(signal).toBe('SIGKILL');

    // As the kill left it (a read-only open does not reconcile): a running batch, staging tables.
    const before = await openDatabase(store, { readOnly: true });
    const [running] = await before.all<{ id: string; status: string }>('SELECT id, status FROM ingest_batches');
    const staged = await before.all("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'stage_%'");
    before.close();
    expect(running!.status).toBe('running');
    expect(staged).toEqual([]); // staging lives in an in-memory database: nothing of it reaches the file

    const db = await openDatabase(store);
    try {
      const [batch] = await new IngestBatchRepository(db).list();
      expect(batch).toMatchObject({ id: running!.id, status: 'interrupted' });
      expect(batch!.finished_at).not.toBeNull();
      const [{ n }] = (await db.all<{ n: number }>('SELECT count(*) AS n FROM dialogues')) as [{ n: number }];
      expect(batch!.loaded).toBe(Number(n)); // what its committed merges loaded
      expect(Number(n)).toBeGreaterThan(0);
      expect(await db.all("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'stage_%'")).toEqual([]);
      // The store works again: ingesting the same file completes and adds the rest.
      const again = await ingestFiles(db, { paths: [file] });
      expect(again.loaded + again.duplicates).toBe(40_000);
      expect((await new DialogueRepository(db).stats()).dialogues).toBe(40_000);
    } finally {
      db.close();
    }
  });
});
