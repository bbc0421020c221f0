// Reads that pick dialogues for labels, suites and fine-tuning sets: which ids exist, a suite's
// candidate rows under its filters, and the labeled dialogues a fine-tuning set is built from.
import type { Dialogue } from '../domain/dialogue.ts';
import { dialogueFromRow } from './converters.ts';
import type { Database } from './database.ts';
import { dialogueFilterSql, type DialogueFilters } from './dialogue-filters.ts';

/** What a suite build needs to choose and stratify dialogues before loading them. */
export interface SuiteSourceRow {
  id: string;
  intent: string | null;
  language: string;
  /** The logs carry a reference answer (metadata.reference_answer). */
  has_reference: boolean;
}

export class DialogueSelectionRepository {
  constructor(private readonly db: Database) {}

  async exists(id: string): Promise<boolean> {
    const [row] = await this.db.all('SELECT 1 AS x FROM dialogues WHERE id = $id', { id });
    return row !== undefined;
  }

  /** Which of these ids are stored dialogues. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    const known = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.db.all<{ id: string }>(`SELECT id FROM dialogues WHERE id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`, {
        ids: JSON.stringify(ids.slice(i, i + 1000)),
      });
      for (const r of rows) known.add(r.id);
    }
    return known;
  }

  async suiteSources(filters: DialogueFilters): Promise<SuiteSourceRow[]> {
    const { where, params } = dialogueFilterSql(filters);
    return this.db.all<SuiteSourceRow>(
      `SELECT d.id, d.intent, d.language, (d.metadata->>'reference_answer') IS NOT NULL AS has_reference FROM dialogues d
       ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
      params,
    );
  }

  /**
   * Every dialogue under the filters that some reviewer submitted a label for or that has a stored
   * gold label, streamed a page at a time in no fixed order. `keep` picks by id before a row is
   * turned into a dialogue (which is what costs).
   */
  async *labeled(filters: DialogueFilters, keep: (id: string) => boolean = () => true): AsyncIterable<Dialogue[]> {
    const { where, params } = dialogueFilterSql(filters);
    where.push(`d.id IN (SELECT dialogue_id FROM labels WHERE status = 'submitted' UNION SELECT dialogue_id FROM gold_labels)`);
    const result = await this.db.connection.stream(
      // Turns aggregated per dialogue before the join: cheaper than grouping by every dialogue column.
      `SELECT d.*, t.turn_rows FROM dialogues d
       JOIN (SELECT dialogue_id, list({'role': role, 'text': text, 'sent_at': sent_at, 'agent_kind': agent_kind, 'name': name} ORDER BY seq) AS turn_rows
             FROM turns GROUP BY dialogue_id) t ON t.dialogue_id = d.id
       WHERE ${where.join(' AND ')}`,
      params,
    );
    for await (const rows of result.yieldRowObjectJson()) {
      const page: Dialogue[] = [];
      for (const row of rows) if (keep(String(row.id))) page.push(dialogueFromRow(row, (row.turn_rows ?? []) as Record<string, unknown>[]));
      yield page;
    }
  }
}
