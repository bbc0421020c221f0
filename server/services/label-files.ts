// `labels import` / `labels export`: labels as JSONL, one label per line (dialogue_id, reviewer and
// the label fields by name), so labels from other tools come in and go out. A line with `decided_by`
// instead of `reviewer` (what `labels export --gold` writes) is a decided label and comes in as gold.
import { createWriteStream } from 'node:fs';
import { access, constants, mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { GoldLabelLine, LabelLine } from '../domain/label.ts';
import { describeIssues } from '../ingest/ingest-service.ts';
import { readLines } from '../ingest/read-lines.ts';
import type { Database } from '../storage/database.ts';
import { DialogueSelectionRepository } from '../storage/dialogue-selection-repository.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { goldLabels } from './gold-labels.ts';

export interface LabelImportResult {
  imported: number;
  rejected: { line: number; reason: string }[];
}

/** Imports what it can; a file that cannot be read is a usage error (nothing is imported). */
export async function importLabels(db: Database, path: string): Promise<LabelImportResult> {
  try {
    await access(path, constants.R_OK);
  } catch (error) {
    throw new AppError('usage', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const good: ((LabelLine | GoldLabelLine) & { line: number })[] = [];
  const rejected: LabelImportResult['rejected'] = [];
  for await (const batch of readLines(path)) {
    for (const item of batch) {
      if ('error' in item) {
        rejected.push({ line: item.line, reason: item.error });
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(item.text);
      } catch (error) {
        rejected.push({ line: item.line, reason: `invalid JSON: ${(error as Error).message}` });
        continue;
      }
      const isGold = typeof value === 'object' && value !== null && 'decided_by' in value && !('reviewer' in value);
      const parsed = isGold ? GoldLabelLine.safeParse(value) : LabelLine.safeParse(value);
      if (parsed.success) good.push({ ...parsed.data, line: item.line });
      else rejected.push({ line: item.line, reason: describeIssues(parsed.error) });
    }
  }
  const known = await new DialogueSelectionRepository(db).existing([...new Set(good.map((l) => l.dialogue_id))]);
  const accepted = good.filter((l) => {
    if (known.has(l.dialogue_id)) return true;
    rejected.push({ line: l.line, reason: `no dialogue ${l.dialogue_id} in the store` });
    return false;
  });
  await new LabelRepository(db).upsertMany(accepted.filter((l): l is LabelLine & { line: number } => 'reviewer' in l));
  await new GoldLabelRepository(db).importLines(accepted.filter((l): l is GoldLabelLine & { line: number } => 'decided_by' in l));
  rejected.sort((a, b) => a.line - b.line);
  return { imported: accepted.length, rejected };
}

export async function exportLabels(db: Database, out: string, options: { gold?: boolean } = {}): Promise<number> {
  const rows = options.gold ? await goldLabels(db) : await new LabelRepository(db).submitted();
  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  for (const row of rows) if (!stream.write(`${JSON.stringify(row)}\n`)) await once(stream, 'drain');
  stream.end();
  await once(stream, 'finish');
  return rows.length;
}
