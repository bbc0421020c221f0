// The labeling queue's candidates: matching dialogue ids in a stable shuffled order (by hash), and
// a version string that changes whenever the candidates may have. Dialogues whose gold label was
// imported (source `import`) are already decided and never reach the queue.
import type { QueueFilters } from '../domain/api.ts';
import type { Database } from './database.ts';
import { dialogueFilterSql } from './dialogue-filters.ts';

/** Imported gold labels: a count and the latest import time, so an import or a re-import changes the version. */
const IMPORTED_GOLD_VERSION = `(SELECT concat(count(*), '@', max(decided_at)) FROM gold_labels WHERE source = 'import')`;

export class QueueCandidateRepository {
  constructor(private readonly db: Database) {}

  /** Changes whenever dialogues are added, gold labels are imported (or, for the uncertain filter, estimates are recomputed). */
  async version(uncertain: boolean): Promise<string> {
    const [row] = await this.db.all<{ v: string }>(
      uncertain
        ? `SELECT concat((SELECT count(*) FROM dialogues), ':', (SELECT count(*) FROM fcr_estimates WHERE value = 'unclear'), ':',
                         (SELECT max(batch_id) FROM dialogues), ':', ${IMPORTED_GOLD_VERSION}) AS v`
        : `SELECT concat(count(*), ':', max(batch_id), ':', ${IMPORTED_GOLD_VERSION}) AS v FROM dialogues`,
    );
    return row!.v;
  }

  /** Every dialogue id matching the filters and without an imported gold label, in the queue's order. */
  async ids(filters: QueueFilters): Promise<string[]> {
    const { where, params } = dialogueFilterSql(filters);
    if (filters.uncertain) where.push("f.value = 'unclear'");
    where.push("NOT EXISTS (SELECT 1 FROM gold_labels g WHERE g.dialogue_id = d.id AND g.source = 'import')");
    const rows = await this.db.all<{ ids: string[] | null }>(
      `SELECT list(d.id ORDER BY hash(d.id), d.id) AS ids FROM dialogues d
       ${filters.uncertain ? 'JOIN fcr_estimates f ON f.dialogue_id = d.id' : ''}
       WHERE ${where.join(' AND ')}`,
      params,
    );
    return rows[0]?.ids ?? [];
  }
}
