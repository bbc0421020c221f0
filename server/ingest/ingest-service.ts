// The ingest use case: stream each file through its format reader, validate every record with zod,
// detect language, redact PII, quarantine what is bad (file, line, reason; PII redacted there too) and
// bulk-load the rest. Validation and redaction (stage-records.ts) run on worker threads for big inputs
// (stage-pool.ts); this thread reads, keeps the results in file order and appends them to the loader.
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { AppError } from '../domain/errors.ts';
import type { LabelLine } from '../domain/label.ts';
import type { Database } from '../storage/database.ts';
import { DialogueLoader, type LoadTotals } from '../storage/dialogue-loader.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { IngestBatchRepository } from '../storage/ingest-batch-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { FORMAT_READERS, detectFormat } from './formats/registry.ts';
import type { FormatId } from './formats/types.ts';
import { readLineBlocks } from './read-lines.ts';
import { createStagePool, defaultStageWorkers } from './stage-pool.ts';
import type { StagedBatch, StageJob } from './stage-records.ts';

export { describeIssues, redactRaw, redactTurns } from './stage-records.ts';

export interface IngestOptions {
  paths: readonly string[];
  format?: FormatId | 'auto';
  /** csv only: canonical field -> column. */
  columnMap?: Readonly<Record<string, string>>;
  /** Redact PII in turn texts (default true). */
  redact?: boolean;
  /** Records staged between merges into the store; bounds memory. */
  mergeEvery?: number;
  /**
   * Worker threads that validate and redact; 0 does it all on this thread. Default: one per core
   * (at most 4; one core fewer when `serving`) when the files add up to WORKERS_FROM_BYTES or more, else 0.
   */
  workers?: number;
  /** The process answers requests while it ingests (a server running `firstcall ingest`): leave them a core. */
  serving?: boolean;
  /** Tests only: the worker entry (e.g. one that crashes). */
  workerEntry?: URL;
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
  /** Worker threads that validated and redacted (0: this thread did). */
  workers: number;
  elapsed_ms: number;
}

const DEFAULT_MERGE_EVERY = 25_000;
/** Below this much input, starting worker threads costs more than it saves. */
export const WORKERS_FROM_BYTES = 16 * 1024 * 1024;

export async function ingestFiles(db: Database, options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const redact = options.redact ?? true;
  const mergeEvery = options.mergeEvery ?? DEFAULT_MERGE_EVERY;
  const plan = await Promise.all(options.paths.map(async (path) => ({ path, format: await chooseFormat(path, options.format) })));
  const workers = options.workers ?? ((await totalBytes(plan.map((p) => p.path))) >= WORKERS_FROM_BYTES ? defaultStageWorkers(options.serving ? 1 : 0) : 0);

  const batches = new IngestBatchRepository(db);
  const batchId = `ib-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 8)}`;
  await batches.start(batchId, plan);

  const redacted: Record<string, number> = {};
  const files: FileSummary[] = [];

  const loader = await DialogueLoader.open(db, batchId);
  const pool = createStagePool(workers, options.workerEntry);
  // Batches in flight: enough to keep every worker busy while this thread appends, few enough to keep memory flat.
  const inFlight = Math.max(1, workers * 2);
  const labels: LabelLine[] = [];
  let totals: LoadTotals;
  try {
    for (const { path, format } of plan) {
      const file: FileSummary = { path, format, records: 0, quarantined: 0 };
      files.push(file);
      const apply = async (staged: StagedBatch) => {
        file.records += staged.records;
        file.quarantined += staged.quarantine.length;
        for (const [line, reason, raw] of staged.quarantine) loader.addQuarantine(path, line, reason, raw);
        // In slices, so requests served by this process meanwhile wait for one slice at most.
        for (let i = 0; i < staged.dialogues.length; i++) {
          loader.addDialogue(staged.ids[i]!, staged.dialogues[i]!, staged.languages[i]!, format);
          if (i % APPEND_SLICE === APPEND_SLICE - 1) await yieldToEventLoop();
        }
        for (const doc of staged.customers) loader.addCustomer(doc);
        for (const label of staged.labels) labels.push(label);
        for (const [type, n] of Object.entries(staged.redacted)) redacted[type] = (redacted[type] ?? 0) + n;
        options.onProgress?.({ file: path, records: file.records, quarantined: file.quarantined });
        if (loader.pending >= mergeEvery) await loader.rotate();
        await yieldToEventLoop(); // requests served by this process meanwhile get their turn between batches
      };
      for await (const job of jobsOf(path, format, options, redact)) {
        pool.submit(job);
        while (pool.pending >= inFlight) await apply(await pool.next());
      }
      while (pool.pending > 0) await apply(await pool.next());
    }
    totals = await loader.finish();
    // A data set's own judgements, for the dialogues that are in the store (a quarantined one's are dropped).
    if (labels.length > 0) await new LabelRepository(db).upsertMany(await labelsOfStoredDialogues(db, labels));
  } catch (error) {
    await batches.fail(batchId).catch(() => undefined);
    throw error;
  } finally {
    await pool.close();
    await loader.close();
  }

  const summary: IngestSummary = {
    batch_id: batchId,
    files,
    ...totals,
    labels: labels.length,
    quarantined: files.reduce((n, f) => n + f.quarantined, 0),
    redacted,
    workers,
    elapsed_ms: Math.round(performance.now() - started),
  };
  await batches.finish(summary);
  return summary;
}

/** A file's records as batches of work: canonical JSONL as raw blocks of lines (decoded where they are staged), other formats as their reader's records. */
async function* jobsOf(path: string, format: FormatId, options: IngestOptions, redact: boolean): AsyncIterable<StageJob> {
  if (format === 'jsonl') {
    for await (const block of readLineBlocks(path)) yield 'item' in block ? { kind: 'line', item: block.item, redact } : { kind: 'jsonl', block, redact };
    return;
  }
  for await (const items of FORMAT_READERS[format].read({ path, columnMap: options.columnMap })) yield { kind: 'items', items, redact };
}

/** Records appended between yields to the event loop. */
const APPEND_SLICE = 128;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function totalBytes(paths: readonly string[]): Promise<number> {
  const sizes = await Promise.all(paths.map(async (p) => (await stat(p)).size));
  return sizes.reduce((a, b) => a + b, 0);
}

async function labelsOfStoredDialogues(db: Database, labels: LabelLine[]): Promise<LabelLine[]> {
  const stored = await new DialogueRepository(db).existingIds([...new Set(labels.map((l) => l.dialogue_id))]);
  return labels.filter((l) => stored.has(l.dialogue_id));
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
