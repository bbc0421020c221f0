// Ingest batches: one row per `firstcall ingest` run, with what it loaded and quarantined.
import { z } from 'zod';
import type { Database } from './database.ts';
import { dropOrphanedStagingTables } from './dialogue-loader.ts';

export const IngestBatch = z.object({
  id: z.string(),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  /** `interrupted`: the process died mid-ingest (kill -9, power loss); found so on the store's next open. */
  status: z.enum(['running', 'done', 'failed', 'interrupted']),
  sources: z.array(z.object({ path: z.string(), format: z.string() })),
  loaded: z.number(),
  customers: z.number(),
  duplicates: z.number(),
  quarantined: z.number(),
  redacted: z.record(z.string(), z.number()),
});
export type IngestBatch = z.infer<typeof IngestBatch>;

export class IngestBatchRepository {
  constructor(private readonly db: Database) {}

  async start(id: string, sources: readonly { path: string; format: string }[]): Promise<void> {
    await this.db.run("INSERT INTO ingest_batches (id, started_at, status, sources) VALUES ($id, now(), 'running', $sources)", {
      id,
      sources: JSON.stringify(sources),
    });
  }

  async finish(summary: { batch_id: string; loaded: number; customers: number; duplicates: number; quarantined: number; redacted: Record<string, number> }): Promise<void> {
    await this.db.run(
      `UPDATE ingest_batches SET finished_at = now(), status = 'done', loaded = $loaded, customers = $customers,
         duplicates = $duplicates, quarantined = $quarantined, redacted = $redacted WHERE id = $id`,
      {
        id: summary.batch_id,
        loaded: summary.loaded,
        customers: summary.customers,
        duplicates: summary.duplicates,
        quarantined: summary.quarantined,
        redacted: JSON.stringify(summary.redacted),
      },
    );
  }

  async fail(id: string): Promise<void> {
    await this.db.run("UPDATE ingest_batches SET finished_at = now(), status = 'failed' WHERE id = $id", { id });
  }

  /**
   * A process killed during ingest leaves its batch `running` and its staging tables behind. Run when
   * the store is opened for writing (so no other process can be ingesting into it): such batches become
   * `interrupted`, with what their completed merges did load, and the staging tables are dropped.
   */
  async reconcileInterrupted(): Promise<{ batches: string[]; staging_tables: string[] }> {
    const running = await this.db.all<{ id: string }>("SELECT id FROM ingest_batches WHERE status = 'running'");
    if (running.length > 0) {
      await this.db.run(`
        UPDATE ingest_batches b SET status = 'interrupted', finished_at = now(),
          loaded = (SELECT count(*) FROM dialogues d WHERE d.batch_id = b.id),
          customers = (SELECT count(*) FROM customers c WHERE c.batch_id = b.id),
          quarantined = (SELECT count(*) FROM quarantine q WHERE q.batch_id = b.id)
        WHERE status = 'running'`);
    }
    const tables = await dropOrphanedStagingTables(this.db);
    if (tables.length > 0) await this.db.run('CHECKPOINT'); // hands the staged rows' blocks back for reuse
    return { batches: running.map((r) => r.id), staging_tables: tables };
  }

  async list(limit = 20): Promise<IngestBatch[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `SELECT id, CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at, status,
              sources, loaded, customers, duplicates, quarantined, redacted
       FROM ingest_batches ORDER BY started_at DESC LIMIT $limit`,
      { limit },
    );
    return rows.map((r) => IngestBatch.parse({ ...r, sources: JSON.parse(String(r.sources)), redacted: JSON.parse(String(r.redacted)) }));
  }
}
