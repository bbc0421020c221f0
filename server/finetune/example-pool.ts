// Where a build's examples are made: worker threads (each with its own spool file) for big sets,
// the calling thread for small ones, behind one interface.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../domain/errors.ts';
import { ExampleBuilder, type ExampleBuilderOptions, type Outcome, type SourceItem } from './example-builder.ts';
import type { WorkerRequest } from './example-worker.ts';

export interface ExamplePool {
  /** The spool file of each builder, in spool-index order. */
  readonly spools: readonly string[];
  /** Batches waiting or running. */
  readonly pending: number;
  run(items: SourceItem[]): Promise<Outcome[]>;
  /** Flushes the spools and stops the workers (their memory is freed before the set is written); the pool cannot run more after this. */
  finish(): Promise<void>;
  /** Stops the workers (after finish, or to abandon a build). */
  destroy(): Promise<void>;
}

const WORKER_HEAP_MB = 128;

type Options = Omit<ExampleBuilderOptions, 'spoolPath' | 'spoolIndex'>;

export function inlinePool(options: Options, spoolPath: (index: number) => string): ExamplePool {
  const builder = new ExampleBuilder({ ...options, spoolPath: spoolPath(0), spoolIndex: 0 });
  return {
    spools: [spoolPath(0)],
    pending: 0,
    run: (items) => Promise.resolve(items.map((item) => builder.build(item))),
    finish: () => Promise.resolve(builder.close()),
    destroy: () => Promise.resolve(builder.close()),
  };
}

interface Reply {
  id: number;
  outcomes?: Outcome[];
  error?: { code: ErrorCode; message: string };
}

export function workerPool(options: Options, size: number, spoolPath: (index: number) => string): ExamplePool {
  const waiting = new Map<number, { resolve: (o: Outcome[]) => void; reject: (e: Error) => void; worker: number }>();
  const load = new Array<number>(size).fill(0);
  let next = 0;
  const workers = Array.from({ length: size }, (_, index) => {
    const worker = new Worker(new URL('./example-worker.mjs', import.meta.url), {
      workerData: { ...options, spoolPath: spoolPath(index), spoolIndex: index } satisfies ExampleBuilderOptions,
      // A worker holds a few batches and its caches: a small old generation keeps the process's memory flat.
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    worker.on('message', (m: Reply) => {
      const w = waiting.get(m.id);
      if (!w) return;
      waiting.delete(m.id);
      load[w.worker]!--;
      if (m.error) w.reject(new AppError(m.error.code, m.error.message));
      else w.resolve(m.outcomes!);
    });
    worker.on('error', (error) => fail(index, error));
    worker.on('exit', (code) => fail(index, new AppError('internal', `a fine-tuning build worker stopped (exit code ${code})`)));
    return worker;
  });
  function fail(index: number, error: Error): void {
    for (const [id, w] of waiting) if (w.worker === index) (waiting.delete(id), w.reject(error));
  }
  const send = (worker: number, message: Omit<WorkerRequest, 'id'>): Promise<Outcome[]> =>
    new Promise((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve, reject, worker });
      load[worker]!++;
      workers[worker]!.postMessage({ ...message, id });
    });
  return {
    spools: workers.map((_, i) => spoolPath(i)),
    get pending() {
      return waiting.size;
    },
    run(items) {
      let least = 0;
      for (let i = 1; i < size; i++) if (load[i]! < load[least]!) least = i;
      return send(least, { items });
    },
    async finish() {
      await Promise.all(workers.map((_, i) => send(i, { close: true })));
      // Nothing runs on them after this: their heaps go back to the system before the set is written.
      await Promise.all(workers.map((w) => (w.removeAllListeners('exit'), w.terminate())));
    },
    async destroy() {
      await Promise.all(workers.map((w) => (w.removeAllListeners('exit'), w.terminate())));
    },
  };
}
