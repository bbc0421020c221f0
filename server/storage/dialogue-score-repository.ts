// Scores of logged dialogues (`firstcall score`, monitoring), one row per dialogue and scorer, kept
// with their method and reason for trends.
import type { Database } from './database.ts';

export interface DialogueScoreRow {
  dialogue_id: string;
  scorer: string;
  /** offline, judge, learned:builtin, learned:<model id>, rules … */
  method: string;
  score: number;
  pass: boolean;
  reason: string;
}

const BATCH = 5000;

export class DialogueScoreRepository {
  constructor(private readonly db: Database) {}

  /** Appends scores in bulk (one statement per 5,000 rows), all stamped with the same time. */
  async insertMany(rows: readonly DialogueScoreRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += BATCH) {
      await this.db.run(
        `INSERT INTO dialogue_scores SELECT r.dialogue_id, r.scorer, r.method, r.score, r.pass, r.reason, now()
         FROM (SELECT unnest(from_json($rows, '[{"dialogue_id":"VARCHAR","scorer":"VARCHAR","method":"VARCHAR","score":"DOUBLE","pass":"BOOLEAN","reason":"VARCHAR"}]')) AS r)`,
        { rows: JSON.stringify(rows.slice(i, i + BATCH)) },
      );
    }
  }

  /** The latest score of each scorer for one dialogue. */
  async latestFor(dialogueId: string): Promise<DialogueScoreRow[]> {
    return this.db.all<DialogueScoreRow>(
      `SELECT dialogue_id, scorer, method, score, pass, reason FROM dialogue_scores WHERE dialogue_id = $d
       QUALIFY row_number() OVER (PARTITION BY scorer ORDER BY scored_at DESC) = 1 ORDER BY scorer`,
      { d: dialogueId },
    );
  }
}
