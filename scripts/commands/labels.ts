// `firstcall keys …`, `firstcall labels import|export`.
import { resolve } from 'node:path';
import { usageError } from '../../server/domain/errors.ts';
import { Role } from '../../server/domain/label.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../server/services/api-keys.ts';
import { exportLabels, importLabels } from '../../server/services/label-files.ts';
import { openDatabase, resolveDbPath } from '../../server/storage/database.ts';
import { EXIT, type CommandIO } from '../io.ts';

export async function keysCreateCommand(args: { db?: string; role?: string; name?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const role = Role.safeParse(args.role);
  if (!role.success) throw usageError(`--role must be one of ${Role.options.join(', ')}`);
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const { key, info } = await createApiKey(db, role.data, args.name);
    io.out(args.json ? JSON.stringify({ key, ...info }) : `${key}\n(${info.role} key "${info.name}", id ${info.id}: shown once, store it now)`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export async function keysListCommand(args: { db?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const keys = await listApiKeys(db);
    if (args.json) io.out(JSON.stringify(keys));
    else for (const k of keys) io.out(`${k.id}  ${k.role.padEnd(9)} ${k.name}  (created ${k.created_at})`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export async function keysRevokeCommand(id: string, args: { db?: string }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    if (!(await revokeApiKey(db, id))) throw usageError(`no active key ${id}`);
    io.out(`revoked ${id}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/**
 * Exit 0 when labels were imported (1 with --strict if any line was rejected); 2 when the file cannot
 * be read; 3 when nothing was imported (every line rejected, or no line at all).
 */
export async function labelsImportCommand(file: string, args: { db?: string; json?: boolean; strict?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const result = await importLabels(db, resolve(file));
    if (args.json) io.out(JSON.stringify(result));
    else {
      io.out(`imported ${result.imported} labels, rejected ${result.rejected.length}`);
      for (const r of result.rejected.slice(0, 20)) io.out(`  ${file}:${r.line}  ${r.reason}`);
    }
    if (result.imported === 0) {
      const first = result.rejected[0];
      io.err(
        first
          ? `firstcall: nothing imported: all ${result.rejected.length} lines of ${file} were rejected (first: line ${first.line}: ${first.reason})`
          : `firstcall: nothing imported: ${file} holds no labels`,
      );
      return EXIT.incomplete;
    }
    return args.strict && result.rejected.length > 0 ? EXIT.failed : EXIT.ok;
  } finally {
    db.close();
  }
}

export async function labelsExportCommand(args: { db?: string; out?: string; gold?: boolean }, io: CommandIO): Promise<number> {
  if (!args.out) throw usageError('--out FILE is required');
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const n = await exportLabels(db, resolve(args.out), { gold: args.gold });
    io.out(`wrote ${n} ${args.gold ? 'gold labels' : 'labels'} to ${resolve(args.out)}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
