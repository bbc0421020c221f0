// Intent classifiers fitted on this store (`firstcall intents fit`): immutable versions per language,
// each with the intents it knows, the model file and its card (cross-validated figures).
import type { Language } from '../domain/dialogue.ts';
import type { Database } from './database.ts';

export interface StoredIntentModel {
  id: string;
  language: Language;
  version: number;
  created_at: string;
  labels: Array<{ intent: string; examples: number }>;
  card: Record<string, unknown>;
}

type Row = Record<string, unknown>;
const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const SELECT = `id, language, version, labels, card, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at`;

function fromRow(row: Row): StoredIntentModel {
  return {
    id: String(row.id),
    language: row.language as Language,
    version: Number(row.version),
    created_at: String(row.created_at),
    labels: parse(row.labels) as StoredIntentModel['labels'],
    card: parse(row.card) as Record<string, unknown>,
  };
}

export class IntentModelRepository {
  constructor(private readonly db: Database) {}

  /** Stores the next version for the language; `model` is the classifier's file (validated by whoever loads it). */
  async add(language: Language, info: { labels: StoredIntentModel['labels']; model: unknown; card: unknown }): Promise<StoredIntentModel> {
    return this.db.transaction(async () => {
      const [last] = await this.db.all<{ v: number | null }>('SELECT max(version) AS v FROM intent_models WHERE language = $l', { l: language });
      const version = Number(last?.v ?? 0) + 1;
      const [row] = await this.db.all(
        `INSERT INTO intent_models (id, language, version, created_at, labels, model, card)
         VALUES ($id, $l, $v, now(), $labels, $model, $card) RETURNING ${SELECT}`,
        { id: `intents-${language}-v${version}`, l: language, v: version, labels: JSON.stringify(info.labels), model: JSON.stringify(info.model), card: JSON.stringify(info.card) },
      );
      return fromRow(row!);
    });
  }

  /** The newest version per language. */
  async latest(): Promise<StoredIntentModel[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM intent_models QUALIFY row_number() OVER (PARTITION BY language ORDER BY version DESC) = 1 ORDER BY language`)).map(fromRow);
  }

  async list(): Promise<StoredIntentModel[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM intent_models ORDER BY language, version DESC`)).map(fromRow);
  }

  /** The model file of a stored version, as stored (JSON). */
  async modelFile(id: string): Promise<unknown> {
    const [row] = await this.db.all<{ model: unknown }>('SELECT model FROM intent_models WHERE id = $id', { id });
    return row ? parse(row.model) : undefined;
  }
}
