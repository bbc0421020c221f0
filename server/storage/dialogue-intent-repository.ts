// The intent of every dialogue, with where it came from (label, metadata, topic, classifier), its
// confidence and the model that assigned it. Written in bulk; one row per dialogue.
import type { DialogueIntent, IntentSource } from '../domain/insights.ts';
import type { Database } from './database.ts';

const CHUNK = 5000;
const SHAPE = '[{"dialogue_id":"VARCHAR","intent":"VARCHAR","confidence":"DOUBLE","source":"VARCHAR","model_id":"VARCHAR"}]';
const SELECT = `dialogue_id, intent, confidence, source, model_id, strftime(assigned_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS assigned_at`;

function fromRow(row: Record<string, unknown>): DialogueIntent {
  return {
    dialogue_id: String(row.dialogue_id),
    intent: (row.intent as string | null) ?? null,
    confidence: Number(row.confidence),
    source: row.source as IntentSource,
    model_id: (row.model_id as string | null) ?? null,
    assigned_at: String(row.assigned_at),
  };
}

export class DialogueIntentRepository {
  constructor(private readonly db: Database) {}

  /** Inserts or replaces one row per dialogue. */
  async putMany(rows: readonly Omit<DialogueIntent, 'assigned_at'>[]): Promise<void> {
    await this.db.transaction(async () => {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await this.db.run(
          `INSERT OR REPLACE INTO dialogue_intents (dialogue_id, intent, confidence, source, model_id, assigned_at)
           SELECT r.dialogue_id, r.intent, r.confidence, r.source, r.model_id, now() FROM (SELECT unnest(from_json($rows, '${SHAPE}'), recursive := true)) r`,
          { rows: JSON.stringify(rows.slice(i, i + CHUNK)) },
        );
      }
    });
  }

  async get(dialogueId: string): Promise<DialogueIntent | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT} FROM dialogue_intents WHERE dialogue_id = $id`, { id: dialogueId });
    return row ? fromRow(row) : undefined;
  }

  async bySource(source: IntentSource): Promise<DialogueIntent[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM dialogue_intents WHERE source = $s ORDER BY dialogue_id`, { s: source })).map(fromRow);
  }

  async all(): Promise<DialogueIntent[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM dialogue_intents ORDER BY dialogue_id`)).map(fromRow);
  }

  /** Of these dialogues, the ones whose logged metadata carries an intent (the lifted `dialogues.intent`), with it. */
  async metadataIntents(ids: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.db.all<{ id: string; intent: string }>(
        `SELECT id, intent FROM dialogues WHERE intent IS NOT NULL AND trim(intent) <> '' AND id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`,
        { ids: JSON.stringify(ids.slice(i, i + CHUNK)) },
      );
      for (const r of rows) out.set(r.id, r.intent);
    }
    return out;
  }

  /** Dialogues per source and intent (null intent: below the confidence threshold). */
  async counts(): Promise<Array<{ source: IntentSource; intent: string | null; n: number }>> {
    const rows = await this.db.all<{ source: IntentSource; intent: string | null; n: string }>('SELECT source, intent, count(*) AS n FROM dialogue_intents GROUP BY ALL ORDER BY n DESC, source, intent');
    return rows.map((r) => ({ source: r.source, intent: r.intent, n: Number(r.n) }));
  }
}
