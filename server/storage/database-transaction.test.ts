// Database.transaction: its own statements run inside it, everyone else's wait for it to end —
// including statements made later by work an earlier transaction left running.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { holdTransaction } from '../test-support/held-transaction.ts';
import { tempDir } from '../test-support/temp.ts';
import { openDatabase } from './database.ts';

const ids = (rows: { id: number }[]) => rows.map((r) => Number(r.id));

describe('Database.transaction', () => {
  it('runs its own statements inside it and queues another caller’s until it has committed', async () => {
    const db = await openDatabase(join(tempDir(), 't.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER)');
      const { release, done: transaction } = await holdTransaction(
        db,
        () => db.run('INSERT INTO t VALUES (1)'),
        async () => {
          // its own reads see its own writes
          expect(ids(await db.all('SELECT id FROM t ORDER BY id'))).toEqual([1]);
          await db.run('INSERT INTO t VALUES (2)');
          return 'done';
        },
      );
      const outside = db.all<{ id: number }>('SELECT id FROM t ORDER BY id');
      release();
      expect(await transaction).toBe('done');
      expect(ids(await outside)).toEqual([1, 2]); // not [1]: it waited for the commit
    } finally {
      db.close();
    }
  });

  it('rolls back when its work throws, and the store goes on serving', async () => {
    const db = await openDatabase(join(tempDir(), 't.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER)');
      await expect(
        db.transaction(async () => {
          await db.run('INSERT INTO t VALUES (1)');
          throw new Error('no');
        }),
      ).rejects.toThrow('no');
      await db.run('INSERT INTO t VALUES (2)');
      expect(ids(await db.all('SELECT id FROM t'))).toEqual([2]);
      // and a transaction after it works as before
      await db.transaction(async () => db.run('INSERT INTO t VALUES (3)'));
      expect(ids(await db.all('SELECT id FROM t ORDER BY id'))).toEqual([2, 3]);
    } finally {
      db.close();
    }
  });

  it('makes a statement that work of an ended transaction issues later wait for the open transaction instead of slipping into it', async () => {
    const db = await openDatabase(join(tempDir(), 't.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER)');
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      let leftover!: Promise<void>;
      await db.transaction(async () => {
        await db.run('INSERT INTO t VALUES (1)');
        leftover = gate.then(() => db.run('INSERT INTO t VALUES (99)')); // still pending when this transaction commits
      });
      const second = db.transaction(async () => {
        await db.run('INSERT INTO t VALUES (2)');
        open();
        await new Promise((resolve) => setTimeout(resolve, 50)); // the leftover statement's chance to run: it must wait
        expect(ids(await db.all('SELECT id FROM t ORDER BY id'))).toEqual([1, 2]);
        throw new Error('roll back the second one');
      });
      await expect(second).rejects.toThrow('roll back');
      await leftover;
      // 99 was committed on its own after the second transaction, not rolled back with it.
      expect(ids(await db.all('SELECT id FROM t ORDER BY id'))).toEqual([1, 99]);
    } finally {
      db.close();
    }
  });

  it('runs a beforeNextStatement hook once, ahead of the next statement another caller queues, so that statement sees what it wrote', async () => {
    const db = await openDatabase(join(tempDir(), 't.duckdb'));
    try {
      await db.run('CREATE TABLE t (id INTEGER)');
      let calls = 0;
      db.beforeNextStatement(() => {
        calls++;
        void db.transaction(() => db.run('INSERT INTO t VALUES (7)'));
      });
      expect(ids(await db.all('SELECT id FROM t'))).toEqual([7]);
      await db.run('INSERT INTO t VALUES (8)');
      expect(calls).toBe(1);
      expect(ids(await db.all('SELECT id FROM t ORDER BY id'))).toEqual([7, 8]);
    } finally {
      db.close();
    }
  });
});
