// `firstcall keys …`, `firstcall labels import|export`.
import { resolve } from 'node:path';
import { z } from 'zod';
import { Role } from '../../server/domain/label.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../../server/services/api-keys.ts';
import { exportLabels, importLabels } from '../../server/services/label-files.ts';
import { usageError } from '../../server/domain/errors.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

// A new key is shown once: it never travels through a server's response (no `remote`).
export const keysCreate = defineCommand({
  name: 'keys create',
  description: 'create a key and print it (shown once; stored hashed)',
  options: [
    { flags: '--role <role>', help: 'reviewer | engineer | admin | bot', required: true },
    { flags: '--name <name>', help: 'who uses it (reviewer names appear on labels)' },
    { flags: '--json', help: 'print {"key": …}' },
  ],
  args: z.object({ role: z.enum(Role.options, { message: `--role must be one of ${Role.options.join(', ')}` }), name: z.string().optional(), json: z.boolean().default(false) }),
  store: true,
  async run(args, { io, openStore }) {
    const { key, info } = await createApiKey(await openStore(), args.role, args.name);
    io.out(args.json ? JSON.stringify({ key, ...info }) : `${key}\n(${info.role} key "${info.name}", id ${info.id}: shown once, store it now)`);
    return EXIT.ok;
  },
});

export const keysList = defineCommand({
  name: 'keys list',
  options: [{ flags: '--json', help: 'print JSON' }],
  args: z.object({ json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const keys = await listApiKeys(await openStore());
    if (args.json) io.out(JSON.stringify(keys));
    else for (const k of keys) io.out(`${k.id}  ${k.role.padEnd(9)} ${k.name}  (created ${k.created_at})`);
    return EXIT.ok;
  },
});

export const keysRevoke = defineCommand({
  name: 'keys revoke',
  arguments: [{ key: 'id', syntax: '<id>', help: 'key id (from keys list)' }],
  args: z.object({ id: z.string().min(1) }),
  store: true,
  async run(args, { io, openStore }) {
    if (!(await revokeApiKey(await openStore(), args.id))) throw usageError(`no active key ${args.id}`);
    io.out(`revoked ${args.id}`);
    return EXIT.ok;
  },
});

/**
 * Exit 0 when labels were imported (1 with --strict if any line was rejected); 2 when the file cannot
 * be read; 3 when nothing was imported (every line rejected, or no line at all).
 */
export const labelsImport = defineCommand({
  name: 'labels import',
  arguments: [{ key: 'file', syntax: '<file>', help: 'JSONL, one label per line', path: 'in' }],
  options: [
    { flags: '--json', help: 'print the result as JSON' },
    { flags: '--strict', help: `exit ${EXIT.failed} when any line was rejected (a missing file exits ${EXIT.usage}; nothing imported exits ${EXIT.incomplete})` },
  ],
  args: z.object({ file: z.string().min(1), json: z.boolean().default(false), strict: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run({ file, json, strict }, { io, openStore }) {
    const result = await importLabels(await openStore(), resolve(file));
    if (json) io.out(JSON.stringify(result));
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
    return strict && result.rejected.length > 0 ? EXIT.failed : EXIT.ok;
  },
});

export const labelsExport = defineCommand({
  name: 'labels export',
  options: [
    { flags: '--out <file>', help: 'output file', required: true, path: 'out' },
    { flags: '--gold', help: 'export the gold labels (consensus or adjudicated) instead of every reviewer’s' },
  ],
  args: z.object({ out: z.string({ message: '--out FILE is required' }).min(1), gold: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run({ out, gold }, { io, openStore }) {
    const n = await exportLabels(await openStore(), resolve(out), { gold });
    io.out(`wrote ${n} ${gold ? 'gold labels' : 'labels'} to ${resolve(out)}`);
    return EXIT.ok;
  },
});
