// Where dialogues pulled from Langfuse came from (metadata.langfuse: session id, trace ids,
// environment, written by `langfuse pull`), and the latest whole-dialogue scores to send back.
import type { Database } from './database.ts';
import type { DialogueScoreRow } from './dialogue-score-repository.ts';

export interface LangfuseReference {
  dialogue_id: string;
  session_id: string | null;
  /** In the order the pull met them: the last one holds the dialogue's last reply. */
  trace_ids: string[];
  environment: string | null;
}

/** A stored whole-dialogue score with when it was made. */
export type DialogueScoreToPush = DialogueScoreRow & { scored_at: string };

interface RefRow {
  dialogue_id: string;
  session_id: string | null;
  trace_ids: string | null;
  environment: string | null;
}

const CHUNK = 1000;

function toReference(row: RefRow): LangfuseReference {
  const ids = row.trace_ids ? (JSON.parse(row.trace_ids) as unknown) : [];
  return {
    dialogue_id: row.dialogue_id,
    session_id: row.session_id || null,
    trace_ids: Array.isArray(ids) ? ids.filter((t): t is string => typeof t === 'string' && t.length > 0) : [],
    environment: row.environment || null,
  };
}

export class LangfuseReferenceRepository {
  constructor(private readonly db: Database) {}

  /** The Langfuse origin of each of these dialogues that has one. */
  async references(dialogueIds: readonly string[]): Promise<Map<string, LangfuseReference>> {
    const out = new Map<string, LangfuseReference>();
    for (let i = 0; i < dialogueIds.length; i += CHUNK) {
      const rows = await this.db.all<RefRow>(
        `SELECT id AS dialogue_id, metadata->>'$.langfuse.session_id' AS session_id, CAST(metadata->'$.langfuse.trace_ids' AS VARCHAR) AS trace_ids,
                metadata->>'$.langfuse.environment' AS environment
         FROM dialogues WHERE id IN (SELECT unnest(from_json($ids, '["VARCHAR"]'))) AND json_exists(metadata, '$.langfuse')`,
        { ids: JSON.stringify(dialogueIds.slice(i, i + CHUNK)) },
      );
      for (const row of rows) {
        const ref = toReference(row);
        if (ref.session_id || ref.trace_ids.length > 0) out.set(ref.dialogue_id, ref);
      }
    }
    return out;
  }

  /** The latest score of each scorer of each dialogue, scored at or after `since` when given. */
  async latestDialogueScores(since?: string): Promise<DialogueScoreToPush[]> {
    return this.db.all<DialogueScoreToPush>(
      `SELECT dialogue_id, scorer, method, score, pass, reason, strftime(scored_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS scored_at
       FROM dialogue_scores WHERE $since IS NULL OR scored_at >= CAST($since AS TIMESTAMPTZ)
       QUALIFY row_number() OVER (PARTITION BY dialogue_id, scorer ORDER BY scored_at DESC) = 1
       ORDER BY dialogue_id, scorer`,
      { since: since ?? null },
    );
  }
}
