// Learned scorers fitted on this store (`firstcall scorers fit`): immutable versions per target and
// language, each with the learned-scorer file, the hash of its training data and its card.
import type { Language } from '../domain/dialogue.ts';
import { LearnedModel, type LearnedModelFile, type ScorerTarget } from '../learn/learned-model.ts';
import type { Database } from './database.ts';

export interface StoredScorerModel {
  id: string;
  target: ScorerTarget;
  language: Language;
  version: number;
  data_sha256: string;
  labels: number;
  warm_start: string | null;
  card: Record<string, unknown>;
  created_at: string;
}

type Row = Record<string, unknown>;
const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
const SELECT = `id, target, language, version, data_sha256, labels, warm_start, card, strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at`;

function fromRow(row: Row): StoredScorerModel {
  return {
    id: String(row.id),
    target: row.target as ScorerTarget,
    language: row.language as Language,
    version: Number(row.version),
    data_sha256: String(row.data_sha256),
    labels: Number(row.labels),
    warm_start: (row.warm_start as string | null) ?? null,
    card: parse(row.card) as Record<string, unknown>,
    created_at: String(row.created_at),
  };
}

export class ScorerModelRepository {
  constructor(private readonly db: Database) {}

  /** Stores a new version (the next number for its target and language); returns it. */
  async add(model: LearnedModel, info: { data_sha256: string; labels: number; warm_start: string | null; card: unknown }): Promise<StoredScorerModel> {
    return this.db.transaction(async () => {
      const [last] = await this.db.all<{ v: number | null }>('SELECT max(version) AS v FROM scorer_models WHERE target = $t AND language = $l', {
        t: model.target,
        l: model.language,
      });
      const version = Number(last?.v ?? 0) + 1;
      const id = `${model.language}-${model.target}-v${version}`;
      const [row] = await this.db.all(
        `INSERT INTO scorer_models (id, target, language, version, data_sha256, labels, warm_start, model, card, created_at)
         VALUES ($id, $t, $l, $v, $sha, $n, $warm, $model, $card, now()) RETURNING ${SELECT}`,
        {
          id,
          t: model.target,
          l: model.language,
          v: version,
          sha: info.data_sha256,
          n: info.labels,
          warm: info.warm_start,
          model: JSON.stringify(model.file),
          card: JSON.stringify(info.card),
        },
      );
      return fromRow(row!);
    });
  }

  async list(): Promise<StoredScorerModel[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM scorer_models ORDER BY language, target, version DESC`)).map(fromRow);
  }

  /** The newest version per target and language. */
  async latest(): Promise<StoredScorerModel[]> {
    return (await this.db.all(`SELECT ${SELECT} FROM scorer_models QUALIFY row_number() OVER (PARTITION BY target, language ORDER BY version DESC) = 1 ORDER BY language, target`)).map(fromRow);
  }

  async get(id: string): Promise<StoredScorerModel | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT} FROM scorer_models WHERE id = $id`, { id });
    return row ? fromRow(row) : undefined;
  }

  /** The learned-scorer file of a stored version, validated. */
  async load(id: string): Promise<LearnedModel | undefined> {
    const [row] = await this.db.all<{ model: unknown }>('SELECT model FROM scorer_models WHERE id = $id', { id });
    return row ? LearnedModel.fromJson(parse(row.model) as LearnedModelFile) : undefined;
  }
}
