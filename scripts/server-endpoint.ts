// How `firstcall` finds the server that holds a store: `firstcall serve` writes `<db>.server.json`
// ({pid, url, token_file}) and a local admin token (`<db>.server.token`, mode 0600) next to the
// database, and removes both when it stops. A file whose process is gone is ignored (and replaced).
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../server/domain/errors.ts';

export const Endpoint = z.object({ pid: z.number().int().positive(), url: z.url(), token_file: z.string().min(1) });
export type Endpoint = z.infer<typeof Endpoint>;

export const endpointFileOf = (dbPath: string) => `${dbPath}.server.json`;
export const tokenFileOf = (dbPath: string) => `${dbPath}.server.token`;

/** Whether a process with this id runs (one we may not signal runs too). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Writes a fresh token (owner-only) and the endpoint file for the server of `dbPath` at `url`.
 * `remove` deletes both, and only while they are still this process's.
 */
export function publishEndpoint(dbPath: string, url: string, token = newLocalToken()): { token: string; remove(): void } {
  const tokenFile = tokenFileOf(dbPath);
  const endpointFile = endpointFileOf(dbPath);
  // This process holds the store, so whatever a previous server left here is stale.
  rmSync(tokenFile, { force: true });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(tokenFile, 0o600); // whatever the umask
  const endpoint: Endpoint = { pid: process.pid, url, token_file: tokenFile };
  const partial = `${endpointFile}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(endpoint)}\n`, { mode: 0o644 });
  renameSync(partial, endpointFile);

  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    if (readEndpoint(dbPath)?.pid !== process.pid) return; // another server's by now
    rmSync(endpointFile, { force: true });
    rmSync(tokenFile, { force: true });
  };
  process.once('exit', remove); // a crash that still runs exit handlers leaves nothing behind
  return { token, remove };
}

/** `fc_local_…`: the shape of an API key, so it travels like one. */
export const newLocalToken = () => `fc_local_${randomBytes(32).toString('base64url')}`;

function readEndpoint(dbPath: string): Endpoint | undefined {
  let text: string;
  try {
    text = readFileSync(endpointFileOf(dbPath), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = Endpoint.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The endpoint of the live server of `dbPath`, if one wrote it (a dead process's file is ignored). */
export function findEndpoint(dbPath: string): Endpoint | undefined {
  const endpoint = readEndpoint(dbPath);
  return endpoint && isAlive(endpoint.pid) ? endpoint : undefined;
}

/**
 * The local token, when it is this user's and no one else may read it (a token others could read
 * is not trusted, and not sent anywhere).
 */
export function readLocalToken(endpoint: Endpoint): string {
  let stat;
  try {
    stat = statSync(endpoint.token_file);
  } catch (error) {
    throw new AppError('unauthorized', `cannot read the server's local token ${endpoint.token_file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); set FIRSTCALL_API_KEY to an admin key instead`);
  }
  const uid = process.getuid?.();
  if ((uid !== undefined && stat.uid !== uid) || (stat.mode & 0o077) !== 0) {
    throw new AppError('unauthorized', `the server's local token ${endpoint.token_file} is not owner-only for this user; set FIRSTCALL_API_KEY to an admin key instead`);
  }
  try {
    return readFileSync(endpoint.token_file, 'utf8').trim();
  } catch (error) {
    throw new AppError('unauthorized', `cannot read the server's local token ${endpoint.token_file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); set FIRSTCALL_API_KEY to an admin key instead`);
  }
}
