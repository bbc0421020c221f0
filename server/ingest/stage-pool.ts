// Stages ingest batches on worker threads, or inline when given no workers, and hands the results
// back in the order the batches were submitted (record order decides which copy of a duplicate id
// is kept, and line numbers must stay with their records). The caller bounds how many batches are in
// flight, so memory stays flat however big the file. A worker that dies fails every batch it held and
// every later one: the ingest stops with the worker's error instead of waiting forever.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { stageJob, type StagedBatch, type StageJob } from './stage-records.ts';

export interface StagePool {
  /** Batches submitted whose results have not been taken yet. */
  readonly pending: number;
  submit(job: StageJob): void;
  /** The result of the oldest batch not taken yet (rejects when its worker died). */
  next(): Promise<StagedBatch>;
  close(): Promise<void>;
}

/**
 * Worker threads worth starting on this machine: one per core, at most 4 (the appender and DuckDB
 * need the rest), less the cores to leave to others: a server ingesting while it answers requests
 * leaves one. 2026-12-07 on 2 cores, with the load's DuckDB work on one thread, during a 100k ingest
 * in the serving process: the label queue's next-item p95 33–35 ms with one worker against 43–49 ms
 * with two (three alternating pairs), the ingest as fast (13.7–14.8 s against 13.4–15.0); a
 * standalone 200k ingest is faster with both (9.8–10.5 s against 11.2–12.1).
 */
export function defaultStageWorkers(leaveFree = 0): number {
  return Math.max(1, Math.min(4, availableParallelism() - leaveFree));
}

const WORKER_ENTRY = new URL('./ingest-worker.mjs', import.meta.url);

/**
 * The young generation of a worker's heap. A batch's parsed records, their validated copies and
 * their JSON stay alive until the batch is done: in V8's default young generation most of them
 * outlive a scavenge and are copied into the old one, which then needs collecting too (GC was 12%
 * of a worker's time). 2026-12-07, 200k dialogues, seven alternating pairs against the default:
 * 8.50–9.68 s against 9.16–10.32 (faster in each, by 0.7 s on average), 1.3 CPU s less, peak RSS
 * 40–60 MB more; 128 MB was no faster than 64 and took 150 MB more.
 */
const WORKER_YOUNG_GENERATION_MB = 64;

export function createStagePool(workers: number, entry: URL = WORKER_ENTRY): StagePool {
  return workers <= 0 ? inlinePool() : threadPool(workers, entry);
}

function inlinePool(): StagePool {
  const queue: Promise<StagedBatch>[] = [];
  return {
    get pending() {
      return queue.length;
    },
    submit(job) {
      try {
        queue.push(Promise.resolve(stageJob(job)));
      } catch (error) {
        queue.push(Promise.reject(error as Error));
      }
    },
    next: () => queue.shift() ?? Promise.reject(new Error('no batch pending')),
    close: async () => undefined,
  };
}

interface Waiting {
  resolve: (staged: StagedBatch) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  waiting: Map<number, Waiting>;
  failure?: Error;
}

function threadPool(size: number, entry: URL): StagePool {
  const queue: Promise<StagedBatch>[] = [];
  let seq = 0;
  let closing = false;
  const fail = (slot: Slot, error: Error) => {
    slot.failure ??= error;
    for (const w of slot.waiting.values()) w.reject(slot.failure);
    slot.waiting.clear();
  };
  const slots: Slot[] = Array.from({ length: size }, () => {
    const slot: Slot = { worker: new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } }), waiting: new Map() };
    slot.worker.on('message', (m: { seq: number; staged: StagedBatch }) => {
      slot.waiting.get(m.seq)?.resolve(m.staged);
      slot.waiting.delete(m.seq);
    });
    slot.worker.on('error', (error) => fail(slot, new Error(`an ingest worker failed: ${error.message}`, { cause: error })));
    slot.worker.on('exit', (code) => {
      if (!closing || slot.waiting.size > 0) fail(slot, new Error(`an ingest worker stopped (exit code ${code}) with ${slot.waiting.size} batch(es) unfinished`));
    });
    return slot;
  });
  return {
    get pending() {
      return queue.length;
    },
    submit(job) {
      const id = seq++;
      // The least busy live worker; when every one has died, the batch fails with the first death.
      const live = slots.filter((s) => !s.failure);
      const promise =
        live.length === 0
          ? Promise.reject(slots[0]!.failure!)
          : new Promise<StagedBatch>((resolve, reject) => {
              const slot = live.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
              slot.waiting.set(id, { resolve, reject });
              const transfer = job.kind === 'jsonl' ? [job.block.bytes.buffer as ArrayBuffer] : [];
              slot.worker.postMessage({ seq: id, job }, transfer);
            });
      promise.catch(() => undefined); // surfaced by next(), in order
      queue.push(promise);
    },
    next: () => queue.shift() ?? Promise.reject(new Error('no batch pending')),
    async close() {
      closing = true;
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
