// Database.read: the answer endpoint's reads on a second connection, never queued behind the first
// connection's statements, and seeing committed data only.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { holdTransaction } from '../test-support/held-transaction.ts';
import { tempDir } from '../test-support/temp.ts';
import { openDatabase, readingApart } from './database.ts';

/** A read that keeps a connection busy for a while (hundreds of milliseconds here). */
const LONG_READ = 'SELECT count(*)::BIGINT AS n FROM range(100000000) t(x) WHERE x % 7 = 1';

describe('Database.read', () => {
  it('answers a point read while another read scans, instead of queueing it behind the scan', async () => {
    const db = await openDatabase(join(tempDir(), 'lanes.duckdb'));
    try {
      const order: string[] = [];
      const long = db.read(LONG_READ).then(() => order.push('scan'));
      await db.read('SELECT 1 AS one');
      order.push('point');
      await long;
      expect(order).toEqual(['point', 'scan']);
    } finally {
      db.close();
    }
  });

  it('finishes the reads still running when the store is closed, then closes it, and refuses reads after', async () => {
    const path = join(tempDir(), 'closing.duckdb');
    const db = await openDatabase(path);
    const running = db.read<{ n: bigint | number }>(LONG_READ);
    await new Promise((resolve) => setTimeout(resolve, 20)); // the scan is under way
    db.close(); // closing the connection under it used to hang the thread running it, for good
    expect(Number((await running)[0]!.n)).toBe(14285715);
    await expect(db.read('SELECT 1')).rejects.toThrow(/closed/);
    await vi.waitFor(async () => (await openDatabase(path)).close()); // the file is released
  });

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
