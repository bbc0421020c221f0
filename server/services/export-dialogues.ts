// Writes the store's dialogues (or customers) as canonical JSONL. Texts are redacted again on the way
// out, so data ingested with --no-redact still leaves the store without PII unless asked otherwise.
// A stored record that cannot be written (metadata stored before ingest limited it, anything that
// fails to serialise) is skipped and reported with its id; the rest of the export goes on.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { Dialogue, DialogueInput } from '../domain/dialogue.ts';
import { redactTurns } from '../ingest/ingest-service.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { UNREADABLE_METADATA_NOTE } from '../storage/converters.ts';

export interface SkippedRecord {
  id: string;
  reason: string;
}

export interface ExportResult {
  written: number;
  redacted: Record<string, number>;
  /** Records left out, with why; the file holds every other record. */
  skipped: SkippedRecord[];
  out: string;
}

/** The canonical fields of a stored dialogue, in DESIGN.md's order. */
export function toCanonical(d: Dialogue): DialogueInput {
  const { source: _source, content_hash: _hash, ...canonical } = d;
  return canonical;
}

export async function exportDialogues(db: Database, out: string, options: { redact?: boolean } = {}): Promise<ExportResult> {
  const redacted: Record<string, number> = {};
  const skipped: SkippedRecord[] = [];
  const written = await writeLines(out, new DialogueRepository(db).all(), skipped, (d) => {
    const note = d.metadata?.[UNREADABLE_METADATA_NOTE];
    // Writing it without its metadata would change the record silently: leave it out and say so.
    if (typeof note === 'string') throw new Error(note);
    if (options.redact ?? true) redactTurns(d, redacted);
    return { id: d.id, line: JSON.stringify(toCanonical(d)) };
  });
  return { written, redacted, skipped, out };
}

export async function exportCustomers(db: Database, out: string): Promise<ExportResult> {
  const skipped: SkippedRecord[] = [];
  const written = await writeLines(out, new CustomerRepository(db).all(), skipped, (c) => ({ id: c.customer_id, line: JSON.stringify(c) }));
  return { written, redacted: {}, skipped, out };
}

async function writeLines<T extends object>(
  out: string,
  pages: AsyncIterable<T[]>,
  skipped: SkippedRecord[],
  line: (item: T) => { id: string; line: string },
): Promise<number> {
  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  let written = 0;
  try {
    for await (const page of pages) {
      let text = '';
      for (const item of page) {
        try {
          text += `${line(item).line}\n`;
          written++;
        } catch (error) {
          skipped.push({ id: idOf(item), reason: error instanceof RangeError ? `cannot be serialised (${error.message})` : (error as Error).message });
        }
      }
      if (!stream.write(text)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
    await once(stream, 'finish');
  }
  return written;
}

function idOf(item: object): string {
  const record = item as { id?: unknown; customer_id?: unknown };
  return String(record.id ?? record.customer_id ?? '?');
}
