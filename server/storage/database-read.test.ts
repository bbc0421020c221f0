// Database.read: the answer endpoint's reads on a second connection, never queued behind the first
// connection's statements, and seeing committed data only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdTransaction } from '../test-support/held-transaction.ts';
import { tempDir } from '../test-support/temp.ts';
import { openDatabase, readingApart } from './database.ts';

describe('Database.read', () => {
  it('answers while a transaction holds the writing connection, with the data committed before it', async () => {
    const db = await openDatabase(join(tempDir(), 'r.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER, ts TIMESTAMPTZ)');
      await db.run("INSERT INTO t VALUES (1, TIMESTAMPTZ '2026-03-02 09:14:00+08:00')");
      const { release, done: transaction } = await holdTransaction(db, () => db.run('INSERT INTO t VALUES (2, now())'));
      let queuedDone = false;
      const queued = db.all('SELECT count(*)::INT AS n FROM t').then((rows) => ((queuedDone = true), rows));
      // Resolves although the transaction is still open (and the statement queued behind it is not done).
      expect(await db.read('SELECT count(*)::INT AS n FROM t')).toEqual([{ n: 1 }]);
      expect(queuedDone).toBe(false);
      release();
      await transaction;
      expect(await queued).toEqual([{ n: 2 }]);
      expect(await db.read('SELECT count(*)::INT AS n FROM t')).toEqual([{ n: 2 }]);
      // Timestamps leave as UTC on this connection too.
      expect(await db.read("SELECT CAST(ts AS VARCHAR) AS ts FROM t WHERE id = 1")).toEqual([{ ts: '2026-03-02 01:14:00+00' }]);
      await expect(db.read('SELECT * FROM missing')).rejects.toThrow(/missing/);
      expect(await db.read('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      db.close();
    }
  });

  it('gives repositories, through readingApart, reads that run beside the writing connection while its writes stay on it', async () => {
    const db = await openDatabase(join(tempDir(), 'apart.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER)');
      await db.run('INSERT INTO t VALUES (1)');
      const apart = readingApart(db);
      const { release, done: transaction } = await holdTransaction(db, () => db.run('INSERT INTO t VALUES (2)'));
      expect(await apart.all('SELECT count(*)::INT AS n FROM t')).toEqual([{ n: 1 }]);
      // A write through it goes to the writing connection, so it waits for the open transaction.
      let written = false;
      const write = apart.run('INSERT INTO t VALUES (3)').then(() => (written = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(written).toBe(false);
      release();
      await transaction;
      await write;
      expect(await apart.all('SELECT count(*)::INT AS n FROM t')).toEqual([{ n: 3 }]);
    } finally {
      db.close();
    }
  });
});
