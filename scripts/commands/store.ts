// `firstcall stats`, `firstcall export …`, `firstcall quarantine`: reading the store.
import { resolve } from 'node:path';
import { z } from 'zod';
import { exportCustomers, exportDialogues } from '../../server/services/export-dialogues.ts';
import { DialogueRepository, type StoreStats } from '../../server/storage/dialogue-repository.ts';
import { QuarantineRepository } from '../../server/storage/quarantine-repository.ts';
import { collect, defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { runExportPromptfoo } from './promptfoo.ts';

const fmt = (n: number) => n.toLocaleString('en-US');

export const stats = defineCommand({
  name: 'stats',
  description: 'counts of dialogues, turns, customers and quarantined records, by language and channel',
  options: [{ flags: '--json', help: 'print one JSON object' }],
  args: z.object({ json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const stats = await new DialogueRepository(await openStore()).stats();
    io.out(args.json ? JSON.stringify(stats) : describeStats(stats));
    return EXIT.ok;
  },
});

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
  what: z.enum(['dialogues', 'customers', 'promptfoo'], { message: 'export what? `dialogues`, `customers` or `promptfoo`' }),
  out: z.string({ message: '--out FILE is required' }).min(1),
  redact: z.boolean().default(true),
  json: z.boolean().default(false),
  // promptfoo only (scripts/commands/promptfoo.ts):
  suite: z.string().min(1).optional(),
  suiteVersion: z.coerce.number().int().min(1).optional(),
  candidate: z.array(z.string()).default([]),
  scorers: z.string().optional(),
});

export const exportStore = defineCommand({
  name: 'export',
  description: 'write the store as canonical JSONL',
  arguments: [{ key: 'what', syntax: '<what>', help: 'dialogues | customers | promptfoo (a suite and candidates as a promptfoo config)' }],
  options: [
    { flags: '--out <file>', help: 'output file (promptfoo: a folder)', required: true, path: 'out' },
    { flags: '--no-redact', help: 'do not redact PII again on the way out' },
    { flags: '--json', help: 'print the result as JSON' },
    { flags: '--suite <name>', help: 'promptfoo: the suite whose cases become tests (latest version unless --suite-version)' },
    { flags: '--suite-version <n>', help: 'promptfoo: a specific suite version' },
    { flags: '--candidate <file>', help: 'promptfoo: a candidate file, as a provider; repeat for several', parse: collect, default: [], path: 'in' },
    { flags: '--scorers <list>', help: 'promptfoo: scorers as assertions (default the default scorers)' },
  ],
  args: ExportArgs,
  store: true,
  remote: true,
  async run(args, ctx) {
    if (args.what === 'promptfoo') return runExportPromptfoo(args, ctx);
    const { io, openStore } = ctx;
    const db = await openStore();
    const out = resolve(args.out);
    const result = args.what === 'dialogues' ? await exportDialogues(db, out, { redact: args.redact }) : await exportCustomers(db, out);
    io.out(args.json ? JSON.stringify(result) : `wrote ${fmt(result.written)} ${args.what} to ${result.out}`);
    if (result.skipped.length === 0) return EXIT.ok;
    // Everything else was written; the skipped records are named so they can be fixed and exported again.
    io.err(`skipped ${fmt(result.skipped.length)} ${args.what} that could not be written:`);
    for (const s of result.skipped.slice(0, 20)) io.err(`  ${s.id}: ${s.reason}`);
    if (result.skipped.length > 20) io.err(`  … and ${fmt(result.skipped.length - 20)} more (--json lists them all)`);
    return EXIT.failed;
  },
});

/** Reason and raw text come out PII-redacted (QuarantineRepository.list). */
export const quarantine = defineCommand({
  name: 'quarantine',
  description: 'list quarantined records with file, line and reason',
  options: [
    { flags: '--batch <id>', help: 'only this ingest batch' },
    { flags: '--limit <n>', help: 'at most this many', default: '100' },
    { flags: '--json', help: 'one JSON object per line' },
  ],
  args: z.object({
    batch: z.string().optional(),
    limit: z.coerce.number().int('--limit must be a whole number').min(1, '--limit must be at least 1').default(100),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const rows = await new QuarantineRepository(await openStore()).list({ batchId: args.batch, limit: args.limit });
    if (args.json) for (const r of rows) io.out(JSON.stringify(r));
    else if (rows.length === 0) io.out('nothing quarantined');
    else for (const r of rows) io.out(`${r.file}:${r.line}  ${r.reason}\n    ${r.raw.slice(0, 160)}`);
    return EXIT.ok;
  },
});
