// Writes the store's dialogues (or customers) as canonical JSONL. Texts are redacted again on the way
// out, so data ingested with --no-redact still leaves the store without PII unless asked otherwise.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import type { Dialogue, DialogueInput } from '../domain/dialogue.ts';
import { redactTurns } from '../ingest/ingest-service.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';

export interface ExportResult {
  written: number;
  redacted: Record<string, number>;
  out: string;
}

/** The canonical fields of a stored dialogue, in DESIGN.md's order. */
export function toCanonical(d: Dialogue): DialogueInput {
  const { source: _source, content_hash: _hash, ...canonical } = d;
  return canonical;
}

export async function exportDialogues(db: Database, out: string, options: { redact?: boolean } = {}): Promise<ExportResult> {
  const redacted: Record<string, number> = {};
  const written = await writeLines(out, new DialogueRepository(db).all(), (d) => {
    if (options.redact ?? true) redactTurns(d, redacted);
    return JSON.stringify(toCanonical(d));
  });
  return { written, redacted, out };
}

export async function exportCustomers(db: Database, out: string): Promise<ExportResult> {
  const written = await writeLines(out, new CustomerRepository(db).all(), (c) => JSON.stringify(c));
  return { written, redacted: {}, out };
}

async function writeLines<T>(out: string, pages: AsyncIterable<T[]>, line: (item: T) => string): Promise<number> {
  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  let written = 0;
  try {
    for await (const page of pages) {
      const text = page.map((item) => `${line(item)}\n`).join('');
      written += page.length;
      if (!stream.write(text)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
    await once(stream, 'finish');
  }
  return written;
}
