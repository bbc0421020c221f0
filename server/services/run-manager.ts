// Eval runs started from the UI or API run inside the server process; their progress is kept here
// and streamed to whoever listens.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Progress } from '../domain/runs-api.ts';
import type { Database } from '../storage/database.ts';
import { evaluate } from './evaluate.ts';

export class RunManager {
  private readonly runs = new Map<string, Progress>();
  private readonly events = new EventEmitter();

  /** `redis`: the server's Redis URL; its runs' calls go to `firstcall worker` processes (server/scale). */
  constructor(
    private readonly db: Database,
    private readonly options: { redis?: string } = {},
  ) {
    this.events.setMaxListeners(0);
  }

  start(options: { suite: string; candidate: string; repeat?: number }): Progress {
    const runId = `run-${new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14)}-${randomUUID().slice(0, 6)}`;
    const progress: Progress = { run_id: runId, candidate: options.candidate, status: 'running', done: 0, total: 0, error: null };
    this.runs.set(runId, progress);
    const update = (patch: Partial<Progress>) => {
      Object.assign(progress, patch);
      this.events.emit(runId, { ...progress });
    };
    void evaluate(this.db, {
      suite: options.suite,
      candidates: [options.candidate],
      runId,
      repeat: options.repeat,
      cache: 'read',
      ...(this.options.redis ? { redis: this.options.redis } : {}),
      onProgress: (_candidate, done, total) => update({ done, total }),
    }).then(
      ({ report }) => {
        const broken = report.candidates.find((c) => !c.completeness.complete);
        update(broken ? { status: 'incomplete', error: broken.completeness.reason } : { status: 'done' });
      },
      (error: unknown) => update({ status: 'failed', error: error instanceof Error ? error.message : String(error) }),
    );
    return { ...progress };
  }

  progress(runId: string): Progress | undefined {
    const p = this.runs.get(runId);
    return p ? { ...p } : undefined;
  }

  /** Calls `listener` on every change until the run ends; returns the unsubscribe function. */
  subscribe(runId: string, listener: (p: Progress) => void): () => void {
    this.events.on(runId, listener);
    return () => this.events.off(runId, listener);
  }
}
