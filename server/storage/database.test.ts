import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../domain/errors.ts';
import { tempDir } from '../test-support/temp.ts';
import { explainOpenError, migrate, openDatabase, resolveDbPath } from './database.ts';
import { MIGRATIONS } from './migrations.ts';

const SECRET = 'fc_admin_doNotPrintThisKeyAnywhere0123456789';

describe('openDatabase', () => {
  it('applies every migration once and records it', async () => {
    const file = join(tempDir(), 'a.duckdb');
    const db = await openDatabase(file);
    const rows = await db.all<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => Number(r.version))).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await migrate(db)).toEqual([]);
    db.close();
    const again = await openDatabase(file);
    expect(await again.all('SELECT count(*) AS n FROM schema_migrations')).toEqual([{ n: String(MIGRATIONS.length) }]);
    again.close();
  });

  it('creates the folder of a database file that does not exist yet', async () => {
    const file = join(tempDir(), 'nested', 'deeper', 'x.duckdb');
    const db = await openDatabase(file);
    expect(await db.all('SELECT count(*) AS n FROM dialogues')).toEqual([{ n: '0' }]);
    db.close();
  });

  it('says which process holds a locked file and what to do, instead of DuckDB’s raw error', async () => {
    const file = join(tempDir(), 'locked.duckdb');
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '-e', `import('${join(import.meta.dirname, 'database.ts')}').then(async (m) => { await m.openDatabase(${JSON.stringify(file)}); console.log('holding'); setInterval(() => {}, 1000); })`, '--', '--api-key', SECRET],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout!.on('data', (d: Buffer) => d.toString().includes('holding') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      const error = await openDatabase(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(AppError.isInstance(error)).toBe(true);
      const message = (error as AppError).message;
      expect((error as AppError).code).toBe('database_locked');
      expect(message).toContain(`PID ${holder.pid}`);
      expect(message).toContain('firstcall serve');
      expect(message).toContain('--db FILE');
      expect(message).not.toContain(SECRET);
    } finally {
      holder.kill();
    }
  });
});

describe('explainOpenError', () => {
  it('names the holding process by PID and executable name only, never its arguments (an --api-key)', async () => {
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', 'serve', '--api-key', SECRET], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => holder.once('spawn', resolve));
      const duckdb = new Error(`IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in ${process.execPath} (PID ${holder.pid}) by user me. See also https://duckdb.org/docs/connect/concurrency`);
      const message = explainOpenError('/x.duckdb', duckdb).message;
      expect(message).toContain(`is open in node (PID ${holder.pid})`);
      expect(message).not.toContain(SECRET);
      expect(message).not.toContain('--api-key');
      expect(message).not.toContain(process.execPath);
    } finally {
      holder.kill();
    }
  });

  it('falls back to the executable name DuckDB gives when /proc does not know the PID', () => {
    const duckdb = new Error('IO Error: Could not set lock on file "/x.duckdb": Conflicting lock is held in /opt/node/bin/node (PID 999999999) by user me');
    expect(explainOpenError('/x.duckdb', duckdb).message).toContain('is open in node (PID 999999999)');
  });

  it('passes other errors through unchanged', () => {
    const original = new Error('IO Error: disk full');
    expect(explainOpenError('/x.duckdb', original)).toBe(original);
  });
});

describe('resolveDbPath', () => {
  it('prefers --db, then FIRSTCALL_DB, then ./data/firstcall.duckdb', () => {
    expect(resolveDbPath('/a.duckdb', { FIRSTCALL_DB: '/b.duckdb' })).toBe('/a.duckdb');
    expect(resolveDbPath(undefined, { FIRSTCALL_DB: '/b.duckdb' })).toBe('/b.duckdb');
    expect(resolveDbPath(undefined, {})).toMatch(/data\/firstcall\.duckdb$/);
    expect(resolveDbPath(':memory:', {})).toBe(':memory:');
  });
});
