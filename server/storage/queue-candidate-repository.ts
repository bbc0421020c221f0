// The labeling queue's candidates: matching dialogue ids in a stable shuffled order (by hash), and
// a version string that changes whenever the candidates may have. Dialogues whose gold label was
// imported (source `import`) are already decided and never reach the queue. Besides the whole list,
// the repository reads what was added since a watermark (the table's row ids, which grow as rows are
// appended) together with the matching count, so the service can append a batch instead of rebuilding
// and still tell when its list no longer adds up. Neither reads on the store's shared connection: the
// ids on a connection of their own, opened for the read (a read of the whole list takes a while, and
// requests must not queue behind it), the version on the store's read connections (Database.read).
import type { DuckDBValue } from '@duckdb/node-api';
import type { QueueFilters } from '../domain/api.ts';
import type { Database } from './database.ts';
import { dialogueFilterSql } from './dialogue-filters.ts';

/** Imported gold labels: a count and the latest import time, so an import or a re-import changes the version. */
const IMPORTED_GOLD_VERSION = `(SELECT concat(count(*), '@', max(decided_at)) FROM gold_labels WHERE source = 'import')`;

/** The queue's order: by `hash(id)`, then id. The key is the hash as 16 hex digits, so keys compare as the hashes do. */
const ORDER = 'hash(d.id), d.id';
const KEY = "lpad(to_hex(hash(d.id)), 16, '0')";

export interface QueueVersion {
  /** Changes when dialogues are added (or, for the uncertain filter, estimates are recomputed). */
  dialogues: string;
  /** Changes when gold labels are imported. */
  imported: string;
}

export interface CandidateRows {
  /** Matching ids in the queue's order (only those with a row id above `after`, when given). */
  ids: string[];
  /** Each id's order key (its hash), aligned with `ids`. */
  keys: string[];
  /** How many dialogues match the filters in all. */
  total: number;
  /** The highest row id of the dialogues table: the watermark for the next call. */
  top: string;
}

export class QueueCandidateRepository {
  constructor(private readonly db: Database) {}

  /** Read through the store's read connections (a small read, made about once a second while reviewers work). */
  async version(uncertain: boolean): Promise<QueueVersion> {
    const [row] = await this.db.read<QueueVersion>(
      uncertain
        ? `SELECT concat((SELECT count(*) FROM dialogues), ':', (SELECT count(*) FROM fcr_estimates WHERE value = 'unclear'), ':',
                         (SELECT max(batch_id) FROM dialogues)) AS dialogues, ${IMPORTED_GOLD_VERSION} AS imported`
        : `SELECT concat(count(*), ':', max(batch_id)) AS dialogues, ${IMPORTED_GOLD_VERSION} AS imported FROM dialogues`,
    );
    return { dialogues: String(row!.dialogues), imported: String(row!.imported) };
  }

  /**
   * Dialogue ids matching the filters and without an imported gold label, in the queue's order: all
   * of them, or (with `after`) only those appended since that watermark; with the total that match.
   * One statement, so the count, the ids and the watermark are of one snapshot.
   */
  async ids(filters: QueueFilters, after?: string): Promise<CandidateRows> {
    const { where, params } = dialogueFilterSql(filters);
    if (filters.uncertain) where.push("f.value = 'unclear'");
    where.push("NOT EXISTS (SELECT 1 FROM gold_labels g WHERE g.dialogue_id = d.id AND g.source = 'import')");
    const from = `FROM dialogues d ${filters.uncertain ? 'JOIN fcr_estimates f ON f.dialogue_id = d.id' : ''} WHERE ${where.join(' AND ')}`;
    const since = after === undefined ? '' : 'AND d.rowid > CAST($after AS BIGINT)';
    const [row] = await this.read<{ ids: string[] | null; keys: string[] | null; total: number | string; top: string | number | null }>(
      `SELECT n.ids, n.keys, c.total, (SELECT max(rowid) FROM dialogues) AS top
       FROM (SELECT list(d.id ORDER BY ${ORDER}) AS ids, list(${KEY} ORDER BY ${ORDER}) AS keys ${from} ${since}) n,
            (SELECT count(*) AS total ${from}) c`,
      after === undefined ? params : { ...params, after },
    );
    return { ids: row?.ids ?? [], keys: row?.keys ?? [], total: Number(row?.total ?? 0), top: String(row?.top ?? -1) };
  }

  private async read<T>(sql: string, params?: Record<string, DuckDBValue>): Promise<T[]> {
    const connection = await this.db.connect();
    try {
      await connection.run("SET TimeZone = 'UTC'"); // as the shared connection: the date filters depend on it
      return (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as T[];
    } finally {
      connection.closeSync();
    }
  }
}
