// The labeling queue's candidates: matching dialogue ids in a stable shuffled order (by hash), and
// a version string that changes whenever the candidates may have.
import type { QueueFilters } from '../domain/api.ts';
import type { Database } from './database.ts';
import { dialogueFilterSql } from './dialogue-filters.ts';

export class QueueCandidateRepository {
  constructor(private readonly db: Database) {}

  /** Changes whenever dialogues are added (or, for the uncertain filter, estimates are recomputed). */
  async version(uncertain: boolean): Promise<string> {
    const [row] = await this.db.all<{ v: string }>(
      uncertain
        ? `SELECT concat((SELECT count(*) FROM dialogues), ':', (SELECT count(*) FROM fcr_estimates WHERE value = 'unclear'), ':',
                         (SELECT max(batch_id) FROM dialogues)) AS v`
        : `SELECT concat(count(*), ':', max(batch_id)) AS v FROM dialogues`,
    );
    return row!.v;
  }

  /** Every dialogue id matching the filters, in the queue's order. */
  async ids(filters: QueueFilters): Promise<string[]> {
    const { where, params } = dialogueFilterSql(filters);
    if (filters.uncertain) where.push("f.value = 'unclear'");
    const rows = await this.db.all<{ ids: string[] | null }>(
      `SELECT list(d.id ORDER BY hash(d.id), d.id) AS ids FROM dialogues d
       ${filters.uncertain ? 'JOIN fcr_estimates f ON f.dialogue_id = d.id' : ''}
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
    return rows[0]?.ids ?? [];
  }
}
