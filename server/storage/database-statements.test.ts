// Parameterised statements are kept prepared per connection (database.ts): each use binds afresh,
// concurrent uses never share one, a script's earlier statements still run every time, and a table
// changed under a kept statement is read as it is now.
import { describe, expect, it } from 'vitest';
import { openDatabase } from './database.ts';

const rowsOf = <T>(rows: T[]) => rows.map((r) => ({ ...r }));

describe('kept prepared statements', () => {
  it('binds each call afresh: other values give their own rows, and a missing parameter fails instead of reusing the last one', async () => {
    const db = await openDatabase(':memory:');
    await db.run('CREATE TABLE t (k VARCHAR, v INTEGER)');
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) await db.run('INSERT INTO t VALUES ($k, $v)', { k, v });
    const sql = 'SELECT v FROM t WHERE k = $k';
    expect(rowsOf(await db.all(sql, { k: 'a' }))).toEqual([{ v: 1 }]);
    expect(rowsOf(await db.all(sql, { k: 'c' }))).toEqual([{ v: 3 }]);
    expect(rowsOf(await db.read(sql, { k: 'b' }))).toEqual([{ v: 2 }]);
    expect(rowsOf(await db.read(sql, { k: 'a' }))).toEqual([{ v: 1 }]);
    await expect(db.all(sql, {})).rejects.toThrow();
    expect(rowsOf(await db.all(sql, { k: 'b' }))).toEqual([{ v: 2 }]);
    db.close();
  });

  it('gives two calls at once inside a transaction their own statement', async () => {
    const db = await openDatabase(':memory:');
    await db.run('CREATE TABLE t AS SELECT range AS v FROM range(1000)');
    const sql = 'SELECT sum(v) AS s FROM t WHERE v < $n';
    const sums = await db.transaction(() => Promise.all([10, 100, 1000, 5].map((n) => db.all<{ s: string }>(sql, { n }))));
    expect(sums.map(([r]) => Number(r!.s))).toEqual([45, 4950, 499500, 10]);
    db.close();
  });

  it('runs a script’s earlier statements every time (a script is never kept)', async () => {
    const db = await openDatabase(':memory:');
    await db.run('CREATE TABLE log (n INTEGER)');
    const script = 'INSERT INTO log VALUES (1); SELECT count(*) AS n FROM log WHERE n = $one';
    expect(rowsOf(await db.all(script, { one: 1 }))).toEqual([{ n: '1' }]);
    expect(rowsOf(await db.all(script, { one: 1 }))).toEqual([{ n: '2' }]);
    db.close();
  });

  it('reads a table replaced under a kept statement as it is now', async () => {
    const db = await openDatabase(':memory:');
    await db.run('CREATE TABLE t (k VARCHAR, v INTEGER)');
    await db.run("INSERT INTO t VALUES ('a', 1)");
    const sql = 'SELECT * FROM t WHERE k = $k';
    expect(rowsOf(await db.all(sql, { k: 'a' }))).toEqual([{ k: 'a', v: 1 }]);
    await db.run('CREATE OR REPLACE TABLE t (k VARCHAR, v VARCHAR, w INTEGER)');
    await db.run("INSERT INTO t VALUES ('a', 'one', 7)");
    expect(rowsOf(await db.all(sql, { k: 'a' }))).toEqual([{ k: 'a', v: 'one', w: 7 }]);
    await db.run('DROP TABLE t');
    await expect(db.all(sql, { k: 'a' })).rejects.toThrow(/t/);
    await db.run("CREATE TABLE t AS SELECT 'a' AS k, 2 AS v");
    expect(rowsOf(await db.all(sql, { k: 'a' }))).toEqual([{ k: 'a', v: 2 }]);
    db.close();
  });
});
