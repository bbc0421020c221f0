// The offline bot (local:kb) in worker threads, for the production answer endpoint: each worker
// builds the knowledge base once from the entries it is sent, and answers cases off the main event
// loop, so retrieval never holds up other requests. The answers are those of createLocalKbProvider.
// A worker that fails or exits fails the cases it held (the caller answers with its fallback) and
// is replaced for the next ones.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest, GenerateResult, PromptTemplate, Provider } from '../domain/eval.ts';
import { LOCAL_KB_ID, type KbEntry, type KbSourceEntry, type LocalKbOptions } from './local-kb.ts';
import type { LocalKbJob, LocalKbWorkerData, LocalKbWorkerMessage } from './local-kb-worker.ts';
import { abortedError, ProviderError } from './provider-error.ts';

export interface LocalKbPoolOptions extends Omit<LocalKbOptions, 'knowledgeBase'> {
  /** The knowledge base as read from the store (de-identified in the workers), or already de-identified (an answer replica's). */
  entries: readonly (KbSourceEntry | KbEntry)[];
  knownProducts: readonly string[];
  /** Worker threads; by default one fewer than the cores (at least one, at most four). */
  size?: number;
  /** The worker's entry file (tests pass one that fails). */
  workerFile?: URL;
}

export interface LocalKbPool extends Provider {
  /** Resolves once every worker has built its knowledge base; rejects when one could not. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

const WORKER_FILE = new URL('./local-kb-worker.mjs', import.meta.url);

interface Pending {
  resolve: (text: string) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
}

const failure = (message: string, cause?: unknown) => new ProviderError(`${LOCAL_KB_ID}: ${message}`, { provider: LOCAL_KB_ID, kind: 'server', retryable: false, cause });

export function createLocalKbPool(options: LocalKbPoolOptions): LocalKbPool {
  const { entries, knownProducts, size, workerFile, ...botOptions } = options;
  const data: LocalKbWorkerData = { entries: [...entries], knownProducts: [...knownProducts], options: botOptions };
  const count = Math.max(1, size ?? Math.min(4, availableParallelism() - 1));
  let closed = false;
  let nextId = 0;

  const start = (): Slot => {
    const worker = new Worker(workerFile ?? WORKER_FILE, { workerData: data });
    const pending = new Map<number, Pending>();
    let markReady!: () => void;
    let markFailed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      markFailed = reject;
    });
    ready.catch(() => undefined);
    const slot: Slot = { worker, ready, pending };
    const fail = (error: Error) => {
      markFailed(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
      // The next case starts a fresh worker in this slot.
      const i = slots.indexOf(slot);
      if (i >= 0 && !closed) slots[i] = null;
    };
    // Held open while it builds or has cases, so that a script awaiting an answer does not exit.
    const idle = () => {
      if (pending.size === 0) worker.unref();
    };
    worker.on('message', (m: LocalKbWorkerMessage) => {
      if ('ready' in m) {
        markReady();
        return idle();
      }
      const p = pending.get(m.id);
      pending.delete(m.id);
      idle();
      if ('error' in m) p?.reject(failure(m.error));
      else p?.resolve(m.text);
    });
    worker.on('error', (error) => fail(failure(`worker failed: ${error.message}`, error)));
    worker.on('exit', (code) => fail(failure(`worker exited (code ${code})`)));
    return slot;
  };

  const slots: (Slot | null)[] = Array.from({ length: count }, () => start());
  // The least busy worker; a failed one is replaced.
  const pick = (): Slot => {
    let best: Slot | undefined;
    for (let i = 0; i < slots.length; i++) {
      const slot = (slots[i] ??= start());
      if (best === undefined || slot.pending.size < best.pending.size) best = slot;
    }
    return best!;
  };

  // Prompt templates by identity (a config's is one object), and which of them each worker has.
  const templateIds = new WeakMap<PromptTemplate, number>();
  let nextTemplateId = 0;
  const templatesSent = new WeakMap<Worker, Set<number>>();
  const ready = Promise.all(slots.map((s) => s!.ready)).then(() => undefined);
  ready.catch(() => undefined); // reported to whoever awaits it
  return {
    id: LOCAL_KB_ID,
    ready,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      if (request.signal?.aborted) throw abortedError(LOCAL_KB_ID);
      if (request.case === undefined || request.template === undefined) {
        throw new AppError('usage', `${LOCAL_KB_ID} answers from the case and the prompt template: pass request.case and request.template`);
      }
      if (closed) throw failure('the worker pool is closed');
      const template = request.template;
      let templateId = templateIds.get(template);
      if (templateId === undefined) templateIds.set(template, (templateId = nextTemplateId++));
      const c = request.case;
      const slot = pick();
      const id = nextId++;
      const signal = request.signal;
      const text = await new Promise<string>((resolve, reject) => {
        const onAbort = () => {
          slot.pending.delete(id);
          if (slot.pending.size === 0) slot.worker.unref();
          reject(abortedError(LOCAL_KB_ID));
        };
        slot.pending.set(id, {
          resolve: (t) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(t);
          },
          reject: (e) => {
            signal?.removeEventListener('abort', onAbort);
            reject(e);
          },
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        slot.worker.ref();
        // A replacement worker takes cases once it has built its knowledge base.
        slot.ready.then(
          () => {
            if (!slot.pending.has(id)) return;
            // Decided when posted (messages to a worker keep their order): a worker gets each template once.
            let sent = templatesSent.get(slot.worker);
            if (!sent) templatesSent.set(slot.worker, (sent = new Set()));
            const first = !sent.has(templateId);
            sent.add(templateId);
            slot.worker.postMessage({ id, case: c, templateId, ...(first ? { template } : {}) } satisfies LocalKbJob);
          },
          () => undefined, // its failure has rejected the case already
        );
      });
      return { text, model: LOCAL_KB_ID };
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((s) => s?.worker.terminate()));
    },
  };
}
