// The writer's side of the work queues: adds a job (its id names run, case and trial, so adding it
// again while it waits or runs is a no-op) and resolves when a worker finished it, from BullMQ's queue
// events. A killed worker's job goes back to the queue (stalled-job recovery) and another worker runs
// it; the writer still waits for exactly one result per job, so nothing is counted twice.
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { jsonOrText } from '../domain/json-or-text.ts';
import type { ProviderId } from '../providers/registry.ts';
import { queueName, WorkResult, type WorkJob } from './jobs.ts';
import { REDIS_PREFIX, redisOptions } from './redis-options.ts';

interface Waiter {
  resolve: (result: WorkResult) => void;
  reject: (error: unknown) => void;
}

interface Lane {
  queue: Queue;
  events: QueueEvents;
}

/** Finished jobs are kept this long (a writer that timed out and asks again still finds the result). */
const KEEP_FINISHED_S = 3600;

export class WorkDispatcher {
  private readonly lanes = new Map<ProviderId, Promise<Lane>>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private closed = false;

  constructor(private readonly url: string) {}

  /** Runs one job on some worker and resolves with what it returned (a failed call is a result too). */
  async run(provider: ProviderId, id: string, data: WorkJob, signal?: AbortSignal): Promise<WorkResult> {
    if (this.closed) throw new Error('the work queue is closed');
    const { queue } = await this.lane(provider);
    const key = `${provider}|${id}`;
    const waiter = {} as Waiter;
    const done = new Promise<WorkResult>((resolve, reject) => Object.assign(waiter, { resolve, reject }));
    let set = this.waiters.get(key);
    if (!set) this.waiters.set(key, (set = new Set()));
    set.add(waiter);
    const forget = () => {
      set.delete(waiter);
      if (set.size === 0 && this.waiters.get(key) === set) this.waiters.delete(key);
    };
    const onAbort = () => {
      forget();
      waiter.reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await queue.add(data.kind, data, { jobId: id, attempts: 1, removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S } });
      return await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      forget();
    }
  }

  /** Forgets a finished job, so that asking again runs it again (a retry after a failed call). */
  async discard(provider: ProviderId, id: string): Promise<void> {
    const { queue } = await this.lane(provider);
    await queue.remove(id);
  }

  /** Workers listening on a provider's queue now. */
  async workers(provider: ProviderId): Promise<number> {
    const { queue } = await this.lane(provider);
    return (await queue.getWorkers()).length;
  }

  async close(): Promise<void> {
    this.closed = true;
    const lanes = await Promise.allSettled(this.lanes.values());
    await Promise.all(lanes.flatMap((l) => (l.status === 'fulfilled' ? [l.value.events.close(), l.value.queue.close()] : [])));
  }

  private lane(provider: ProviderId): Promise<Lane> {
    let lane = this.lanes.get(provider);
    if (!lane) {
      lane = (async () => {
        const name = queueName(provider);
        const queue = new Queue(name, { connection: redisOptions(this.url), prefix: REDIS_PREFIX, streams: { events: { maxLen: 50_000 } } });
        // Events are read from the stream's present end, so none of this writer's jobs finish unseen.
        const probe = new Redis(redisOptions(this.url));
        const [tail] = await probe.xrevrange(queue.keys.events!, '+', '-', 'COUNT', 1).finally(() => probe.disconnect());
        const events = new QueueEvents(name, { connection: redisOptions(this.url, { blocking: true }), prefix: REDIS_PREFIX, lastEventId: tail?.[0] ?? '0-0' });
        events.on('completed', ({ jobId, returnvalue }) => this.settle(provider, jobId, returnvalue));
        events.on('failed', ({ jobId, failedReason }) => this.settle(provider, jobId, failure(failedReason)));
        // Added again while it exists (a retry after a timeout, a resumed run): it may have finished unseen.
        events.on('duplicated', ({ jobId }) => void this.settleIfFinished(provider, queue, jobId));
        await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
        return { queue, events };
      })();
      this.lanes.set(provider, lane);
    }
    return lane;
  }

  private async settleIfFinished(provider: ProviderId, queue: Queue, id: string): Promise<void> {
    if (!this.waiters.has(`${provider}|${id}`)) return;
    const job = await queue.getJob(id);
    if (job?.finishedOn) this.settle(provider, id, job.failedReason ? failure(job.failedReason) : job.returnvalue);
  }

  private settle(provider: ProviderId, id: string, value: unknown): void {
    const set = this.waiters.get(`${provider}|${id}`);
    if (!set) return; // another writer's job, or one this writer stopped waiting for
    const parsed = WorkResult.safeParse(typeof value === 'string' ? jsonOrText(value) : value);
    for (const waiter of [...set]) {
      if (parsed.success) waiter.resolve(parsed.data);
      else waiter.reject(new Error(`job ${id} returned something that is not a work result`));
    }
  }
}

/** A job BullMQ failed (it threw on the worker, or stalled too often): worth another try. */
const failure = (reason: string): WorkResult => ({ ok: false, error: { message: reason || 'the job failed on a worker', retryable: true, usage: false }, worker: 'unknown' });
