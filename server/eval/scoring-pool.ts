// Offline scorers run in worker threads (round robin). Judge scorers need a provider and stay on
// the main thread.
import { Worker } from 'node:worker_threads';
import type { ScoreInput } from '../domain/eval.ts';
import type { ReplyScores } from './score-reply.ts';

export interface ScoringPool {
  score(input: ScoreInput): Promise<ReplyScores>;
  close(): Promise<void>;
}

/**
 * `config`: per-scorer options for the workers' scorers (structured-cloneable: e.g. a learned
 * scorer's models as their JSON files), as `createScorers(names, { config })` takes them.
 */
export function createScoringPool(names: readonly string[], size = 1, config?: Readonly<Record<string, unknown>>): ScoringPool {
  const pending = new Map<number, (scored: ReplyScores) => void>();
  const failures = new Map<number, (error: Error) => void>();
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./scoring-worker.mjs', import.meta.url), { workerData: { names: [...names], config } });
    worker.on('message', (batch: ({ id: number } & ReplyScores)[]) => {
      for (const m of batch) {
        pending.get(m.id)?.({ scores: m.scores, failures: m.failures ?? [], escalation: m.escalation });
        pending.delete(m.id);
        failures.delete(m.id);
      }
    });
    worker.on('error', (error) => {
      for (const fail of failures.values()) fail(error);
      pending.clear();
      failures.clear();
    });
    worker.unref();
    return { worker, batch: [] as { id: number; input: ScoreInput }[] };
  });
  // The replies a turn of the event loop brings (several calls often finish together) go to a worker in
  // one message, and their scores come back in one: each message costs both threads a wake-up and a dispatch.
  const send = (slot: (typeof workers)[number]) => {
    const batch = slot.batch.splice(0);
    if (batch.length > 0) slot.worker.postMessage(batch);
  };
  let next = 0;
  return {
    score(input) {
      const id = next++;
      return new Promise((resolve, reject) => {
        pending.set(id, resolve);
        failures.set(id, reject);
        const slot = workers[id % workers.length]!;
        if (slot.batch.push({ id, input }) === 1) setImmediate(() => send(slot));
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()));
    },
  };
}
