// Reads that pick dialogues for labels and suites: which ids exist and a suite's candidate rows under
// its filters (fine-tuning sets read theirs through finetune-source-repository.ts).
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
}
