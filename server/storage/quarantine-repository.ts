// Quarantined records: what was rejected, from which file and line, and why.
import { z } from 'zod';
import { redactPii } from '../text/pii-redaction.ts';
import type { Database } from './database.ts';

export const QuarantinedRecord = z.object({
  batch_id: z.string(),
  file: z.string(),
  line: z.number().int(),
  reason: z.string(),
  raw: z.string(),
});
export type QuarantinedRecord = z.infer<typeof QuarantinedRecord>;

export class QuarantineRepository {
  constructor(private readonly db: Database) {}

  /**
   * Records in the order they were quarantined. Reason and raw text come out PII-redacted (ingest
   * stores them redacted, but not with --no-redact nor before it did), unless `redact` is false.
   */
  async list(options: { batchId?: string; limit?: number; redact?: boolean } = {}): Promise<QuarantinedRecord[]> {
    const rows = await this.db.all(
      `SELECT batch_id, file, line, reason, raw FROM quarantine
       WHERE $batch IS NULL OR batch_id = $batch ORDER BY quarantined_at, file, line LIMIT $limit`,
      { batch: options.batchId ?? null, limit: options.limit ?? 1000 },
    );
    const redact = options.redact ?? true;
    return rows.map((r) => {
      const record = QuarantinedRecord.parse(r);
      return redact ? { ...record, reason: redactPii(record.reason).text, raw: redactPii(record.raw).text } : record;
    });
  }
}
