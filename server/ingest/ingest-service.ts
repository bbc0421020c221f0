// The ingest use case: stream each file through its format reader, validate every record with zod,
// detect language, redact PII, quarantine what is bad (file, line, reason; PII redacted there too) and
// bulk-load the rest.
import { randomUUID } from 'node:crypto';
import { open } from 'node:fs/promises';
import type { z } from 'zod';
import { Customer, DialogueInput, type ParsedDialogue } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { LabelLine } from '../domain/label.ts';
import { loneSurrogatePath, mayHoldLoneSurrogate, metadataProblem } from '../domain/record-limits.ts';
import type { Database } from '../storage/database.ts';
import { DialogueLoader, type LoadTotals } from '../storage/dialogue-loader.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { IngestBatchRepository } from '../storage/ingest-batch-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { detectLanguage } from '../text/detect-language.ts';
import { redactPii } from '../text/pii-redaction.ts';
import { FORMAT_READERS, detectFormat } from './formats/registry.ts';
import { MAX_RAW_KEPT, type FormatId, type SourceItem } from './formats/types.ts';

export interface IngestOptions {
  paths: readonly string[];
  format?: FormatId | 'auto';
  /** csv only: canonical field -> column. */
  columnMap?: Readonly<Record<string, string>>;
  /** Redact PII in turn texts (default true). */
  redact?: boolean;
  /** Records staged between merges into the store; bounds memory. */
  mergeEvery?: number;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestProgress {
  file: string;
  records: number;
  quarantined: number;
}

export interface FileSummary {
  path: string;
  format: FormatId;
  records: number;
  quarantined: number;
}

export interface IngestSummary {
  batch_id: string;
  files: FileSummary[];
  loaded: number;
  customers: number;
  quarantined: number;
  duplicates: number;
  conflicts: number;
  /** Judgements the data set carries (e.g. STC-3's annotators), stored as reviewer labels. */
  labels: number;
  redacted: Record<string, number>;
  elapsed_ms: number;
}

const DEFAULT_MERGE_EVERY = 50_000;

export async function ingestFiles(db: Database, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const redact = options.redact ?? true;
  const mergeEvery = options.mergeEvery ?? DEFAULT_MERGE_EVERY;
  const plan = await Promise.all(options.paths.map(async (path) => ({ path, format: await chooseFormat(path, options.format) })));

  const batches = new IngestBatchRepository(db);
  const batchId = `ib-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  await batches.start(batchId, plan);

  const redacted: Record<string, number> = {};
  const files: FileSummary[] = [];

  const loader = await DialogueLoader.open(db, batchId);
  const labels: LabelLine[] = [];
  let totals: LoadTotals;
  try {
    for (const { path, format } of plan) {
      const file: FileSummary = { path, format, records: 0, quarantined: 0 };
      files.push(file);
      const source = format;
      const quarantine = (line: number, reason: string, raw: string) => {
        file.quarantined++;
        loader.addQuarantine(path, line, redact ? redactPii(reason).text : reason, redact ? redactRaw(raw) : cut(raw));
      };
      for await (const items of FORMAT_READERS[format].read({ path, columnMap: options.columnMap })) {
        for (const item of items) {
          file.records++;
          stageItem(item, { loader, quarantine, redact, redacted, source, labels });
        }
        options.onProgress?.({ file: path, records: file.records, quarantined: file.quarantined });
        if (loader.pending >= mergeEvery) await loader.rotate();
      }
    }
    totals = await loader.finish();
    // A data set's own judgements, for the dialogues that are in the store (a quarantined one's are dropped).
    if (labels.length > 0) await new LabelRepository(db).upsertMany(await labelsOfStoredDialogues(db, labels));
  } catch (error) {
    await batches.fail(batchId).catch(() => undefined);
    throw error;
  } finally {
    await loader.close();
  }

  const summary: IngestSummary = {
    batch_id: batchId,
    files,
    ...totals,
    labels: labels.length,
    quarantined: files.reduce((n, f) => n + f.quarantined, 0),
    redacted,
    elapsed_ms: Math.round(performance.now() - started),
  };
  await batches.finish(summary);
  return summary;
}

interface StageContext {
  loader: DialogueLoader;
  quarantine: (line: number, reason: string, raw: string) => void;
  redact: boolean;
  redacted: Record<string, number>;
  source: string;
  labels: LabelLine[];
}

function stageItem(item: SourceItem, ctx: StageContext): void {
  if (item.kind === 'bad') {
    ctx.quarantine(item.line, item.reason, item.raw);
    return;
  }
  if (item.kind === 'label') {
    const parsed = LabelLine.safeParse(item.value);
    if (!parsed.success) ctx.quarantine(item.line, `invalid label: ${describeIssues(parsed.error)}`, rawOf(item));
    else ctx.labels.push(parsed.data);
    return;
  }
  if (item.kind === 'customer') {
    const parsed = Customer.safeParse(item.value);
    if (!parsed.success) ctx.quarantine(item.line, `invalid customer: ${describeIssues(parsed.error)}`, rawOf(item));
    else {
      const surrogate = loneSurrogatePath(parsed.data);
      if (surrogate !== undefined) ctx.quarantine(item.line, `invalid customer: ${surrogate}: ${LONE_SURROGATE}`, rawOf(item));
      else ctx.loader.addCustomer(JSON.stringify(parsed.data));
    }
    return;
  }
  const parsed = DialogueInput.safeParse(item.value);
  if (!parsed.success) {
    ctx.quarantine(item.line, `invalid dialogue: ${describeIssues(parsed.error)}`, rawOf(item));
    return;
  }
  const dialogue = parsed.data;
  const problem = storageProblem(item, dialogue);
  if (problem !== undefined) {
    ctx.quarantine(item.line, `invalid dialogue: ${problem}`, rawOf(item));
    return;
  }
  const changed = ctx.redact && redactTurns(dialogue, ctx.redacted);
  const language = dialogue.language ?? languageOf(dialogue);
  const doc = item.raw !== undefined && !changed ? item.raw : JSON.stringify(dialogue);
  ctx.loader.addDialogue(doc, language, ctx.source);
}

async function labelsOfStoredDialogues(db: Database, labels: LabelLine[]): Promise<LabelLine[]> {
  const stored = await new DialogueRepository(db).existingIds([...new Set(labels.map((l) => l.dialogue_id))]);
  return labels.filter((l) => stored.has(l.dialogue_id));
}

const cut = (raw: string) => (raw.length > MAX_RAW_KEPT ? raw.slice(0, MAX_RAW_KEPT) : raw);

/**
 * A quarantined record's text with PII redacted. A reader may have cut it at MAX_RAW_KEPT: the token
 * cut there (half a phone number or address, which no pattern recognises) is dropped first.
 */
export function redactRaw(raw: string): string {
  const whole = raw.length < MAX_RAW_KEPT ? raw : cut(raw).replace(/[\p{Nd}\p{Cf}A-Za-z@._%+\-]+$/u, '');
  return redactPii(whole).text;
}

const LONE_SURROGATE = 'lone surrogate (an unpaired \\ud800-\\udfff escape), not valid Unicode';

/**
 * What zod cannot see but the store cannot take: metadata too deep or too large, a lone surrogate.
 * A raw line is stored as it is, so all of it is checked, and only when it spells a surrogate escape.
 */
function storageProblem(item: { value: unknown; raw?: string }, dialogue: ParsedDialogue): string | undefined {
  const metadata = metadataProblem(dialogue.metadata, item.raw === undefined ? undefined : item.raw.length * 3);
  if (metadata !== undefined) return metadata;
  const surrogate = item.raw === undefined ? loneSurrogatePath(dialogue) : mayHoldLoneSurrogate(item.raw) ? loneSurrogatePath(item.value) : undefined;
  return surrogate === undefined ? undefined : `${surrogate}: ${LONE_SURROGATE}`;
}

/** Redacts turn texts in place; true when any text changed. */
export function redactTurns(dialogue: ParsedDialogue, counts: Record<string, number>): boolean {
  let changed = false;
  for (const turn of dialogue.turns) {
    const result = redactPii(turn.text);
    if (result.text === turn.text) continue;
    turn.text = result.text;
    changed = true;
    for (const [type, n] of Object.entries(result.counts)) counts[type] = (counts[type] ?? 0) + (n ?? 0);
  }
  return changed;
}

/** The customer's own words decide; a dialogue with none falls back to all turns. */
function languageOf(dialogue: ParsedDialogue) {
  const customer = dialogue.turns.filter((t) => t.role === 'customer').map((t) => t.text);
  return detectLanguage(customer.length > 0 ? customer : dialogue.turns.map((t) => t.text));
}

export function describeIssues(error: z.ZodError, max = 4): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - max;
  return parts.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function rawOf(item: { value: unknown; raw?: string }): string {
  if (item.raw !== undefined) return item.raw;
  try {
    return JSON.stringify(item.value) ?? '';
  } catch {
    return String(item.value);
  }
}

async function chooseFormat(path: string, requested: IngestOptions['format']): Promise<FormatId> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new AppError('usage', `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    if (requested && requested !== 'auto') return requested;
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return detectFormat(buffer.subarray(0, bytesRead).toString('utf8'), path);
  } finally {
    await handle.close();
  }
}
