// `firstcall stats`, `firstcall export …`, `firstcall quarantine`: reading the store.
import { resolve } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { exportCustomers, exportDialogues } from '../../server/services/export-dialogues.ts';
import { openDatabase, resolveDbPath } from '../../server/storage/database.ts';
import { DialogueRepository, type StoreStats } from '../../server/storage/dialogue-repository.ts';
import { QuarantineRepository } from '../../server/storage/quarantine-repository.ts';
import { EXIT, type CommandIO } from '../io.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

export async function statsCommand(args: { db?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const stats = await new DialogueRepository(db).stats();
    io.out(args.json ? JSON.stringify(stats) : describeStats(stats));
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export function describeStats(s: StoreStats): string {
  const group = (title: string, counts: Record<string, number>) =>
    `  ${title.padEnd(12)} ${Object.entries(counts).map(([k, n]) => `${k} ${fmt(n)}`).join(', ') || '—'}`;
  return [
    `  dialogues    ${fmt(s.dialogues)}`,
    `  turns        ${fmt(s.turns)}`,
    `  customers    ${fmt(s.customers)}`,
    `  quarantined  ${fmt(s.quarantined)}`,
    group('by language', s.by_language),
    group('by channel', s.by_channel),
    group('by source', s.by_source),
  ].join('\n');
}

export const ExportArgs = z.object({
  what: z.enum(['dialogues', 'customers'], { message: 'export what? `dialogues` or `customers`' }),
  out: z.string({ message: '--out FILE is required' }).min(1),
  db: z.string().optional(),
  redact: z.boolean().default(true),
  json: z.boolean().default(false),
});

export async function exportCommand(input: z.input<typeof ExportArgs>, io: CommandIO): Promise<number> {
  const parsed = ExportArgs.safeParse(input);
  if (!parsed.success) throw usageError(parsed.error.issues.map((i) => i.message).join('; '));
  const args = parsed.data;
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const out = resolve(args.out);
    const result = args.what === 'dialogues' ? await exportDialogues(db, out, { redact: args.redact }) : await exportCustomers(db, out);
    io.out(args.json ? JSON.stringify(result) : `wrote ${fmt(result.written)} ${args.what} to ${result.out}`);
    if (result.skipped.length === 0) return EXIT.ok;
    // Everything else was written; the skipped records are named so they can be fixed and exported again.
    io.err(`skipped ${fmt(result.skipped.length)} ${args.what} that could not be written:`);
    for (const s of result.skipped.slice(0, 20)) io.err(`  ${s.id}: ${s.reason}`);
    if (result.skipped.length > 20) io.err(`  … and ${fmt(result.skipped.length - 20)} more (--json lists them all)`);
    return EXIT.failed;
  } finally {
    db.close();
  }
}

/** Reason and raw text come out PII-redacted (QuarantineRepository.list). */
export async function quarantineCommand(args: { db?: string; batch?: string; limit?: number; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const rows = await new QuarantineRepository(db).list({ batchId: args.batch, limit: args.limit ?? 100 });
    if (args.json) for (const r of rows) io.out(JSON.stringify(r));
    else if (rows.length === 0) io.out('nothing quarantined');
    else for (const r of rows) io.out(`${r.file}:${r.line}  ${r.reason}\n    ${r.raw.slice(0, 160)}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
