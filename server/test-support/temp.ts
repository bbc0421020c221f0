// Temporary folders and stores for tests, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDatabase, type Database } from '../storage/database.ts';

export function tempDir(prefix = 'firstcall-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A fresh store in a temporary file (a real DuckDB file, migrations applied). */
export async function tempStore(dir = tempDir()): Promise<Database & { file: string }> {
  const file = join(dir, `store-${Math.random().toString(36).slice(2)}.duckdb`);
  const db = await openDatabase(file);
  afterAll(() => db.close());
  return Object.assign(db, { file });
}

/** ../shared/data beside the repository (present in CI too). */
export const SHARED_DATA = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
export const DATASETS = join(import.meta.dirname, '..', '..', 'datasets');
