// `firstcall ingest <paths…>`: load logs into the store.
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { FORMAT_IDS } from '../../server/ingest/formats/types.ts';
import { parseColumnMap } from '../../server/ingest/formats/csv.ts';
import { ingestFiles, type IngestSummary } from '../../server/ingest/ingest-service.ts';
import { QuarantineRepository } from '../../server/storage/quarantine-repository.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { getSettings } from '../../server/services/settings.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { startProgress } from '../progress.ts';

export const IngestArgs = z.object({
  paths: z.array(z.string().min(1)).min(1, 'give at least one file to ingest'),
  format: z.enum(['auto', ...FORMAT_IDS]).default('auto'),
  map: z.string().optional(),
  json: z.boolean().default(false),
  strict: z.boolean().default(false),
  redact: z.boolean().default(true),
});
export type IngestArgs = z.input<typeof IngestArgs>;

export const ingest = defineCommand({
  name: 'ingest',
  description: 'load dialogue logs (canonical JSONL, CSV, Bitext, tau-bench, ABCD) into the store',
  arguments: [{ key: 'paths', syntax: '<paths...>', help: 'files to ingest', path: 'in' }],
  options: [
    { flags: '--format <format>', help: 'input format', choices: ['auto', ...FORMAT_IDS], default: 'auto' },
    { flags: '--map <field=column,...>', help: 'csv column mapping, e.g. dialogue_id=ticket,role=speaker,text=body' },
    { flags: '--json', help: 'print the summary as one JSON object' },
    { flags: '--strict', help: 'exit 1 when any record was quarantined' },
    { flags: '--no-redact', help: 'keep PII in the stored texts (exports and model calls still redact)' },
  ],
  args: IngestArgs,
  store: true,
  remote: true,
  async run(args, { io, openStore, serving }) {
    const columnMap = args.map ? parseColumnMap(args.map) : undefined;
    if (columnMap && args.format !== 'csv' && args.format !== 'auto') throw usageError('--map applies to --format csv only');

    const db = await openStore();
    const progress = startProgress(io, 'ingest {file} | {value} records | {quarantined} quarantined', 0, { file: '', quarantined: 0 });
    let summary: IngestSummary;
    try {
      summary = await ingestFiles(db, {
        paths: args.paths,
        format: args.format,
        columnMap,
        redact: args.redact,
        serving: serving === true,
        onProgress: (p) => progress.update({ file: p.file, quarantined: p.quarantined }, p.records),
      });
    } finally {
      progress.stop();
    }
    // Repeat contacts may span batches: the FCR estimates the batch can change (its own, its customers'
    // earlier contacts about the same intents, those waiting for the window to pass) are recomputed, as a
    // full recompute would, on a connection of their own so requests served meanwhile do not wait.
    await refreshFcrEstimates(db, (await getSettings(db)).fcr_window_days);
    if (args.json) io.out(JSON.stringify(summary));
    else io.out(await describeSummary(summary, new QuarantineRepository(db)));
    return args.strict && summary.quarantined > 0 ? EXIT.failed : EXIT.ok;
  },
});

const fmt = (n: number) => n.toLocaleString('en-US');

async function describeSummary(s: IngestSummary, quarantine: QuarantineRepository): Promise<string> {
  const lines = [`Ingested ${s.files.length} file(s) in ${(s.elapsed_ms / 1000).toFixed(1)} s (batch ${s.batch_id})`];
  for (const f of s.files) lines.push(`  ${f.path} [${f.format}]: ${fmt(f.records)} records, ${fmt(f.quarantined)} quarantined`);
  lines.push(`  loaded       ${fmt(s.loaded)} dialogues, ${fmt(s.customers)} customer profiles new or changed`);
  lines.push(
    `  duplicates   ${fmt(s.duplicates)} already in the store` +
      (s.conflicts > 0 ? ` (${fmt(s.conflicts)} with different content: the stored copy was kept)` : ''),
  );
  const redacted = Object.entries(s.redacted);
  lines.push(`  redacted     ${redacted.length === 0 ? 'nothing' : redacted.map(([type, n]) => `${type} ${fmt(n)}`).join(', ')}`);
  lines.push(`  quarantined  ${fmt(s.quarantined)}`);
  if (s.quarantined > 0) {
    const shown = await quarantine.list({ batchId: s.batch_id, limit: 10 });
    for (const q of shown) lines.push(`    ${q.file}:${q.line}  ${q.reason}`);
    if (s.quarantined > shown.length) lines.push(`    … and ${fmt(s.quarantined - shown.length)} more: firstcall quarantine --batch ${s.batch_id}`);
  }
  return lines.join('\n');
}
