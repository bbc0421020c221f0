// Versions of fine-tuning sets (table finetune_sets, migration 6): where each was written and its card.
import { FinetuneCard, FinetuneFormat } from '../domain/finetune.ts';
import type { Database } from './database.ts';

export interface FinetuneSetRow {
  name: string;
  version: number;
  format: FinetuneFormat;
  hash: string;
  path: string;
}

type Row = Record<string, unknown>;

export function finetuneSetFromRow(row: Row): FinetuneSetRow {
  return { name: String(row.name), version: Number(row.version), format: FinetuneFormat.parse(row.format), hash: String(row.hash), path: String(row.path) };
}

/** The stored card as written; parsed with the domain schema, so an unreadable card fails here and not in a client. */
export function finetuneCardFromColumn(value: unknown): FinetuneCard {
  return FinetuneCard.parse(typeof value === 'string' ? JSON.parse(value) : value);
}

export class FinetuneSetRepository {
  constructor(private readonly db: Database) {}

  async latest(name: string): Promise<FinetuneSetRow | undefined> {
    const [row] = await this.db.all('SELECT name, version, format, hash, path FROM finetune_sets WHERE name = $name ORDER BY version DESC LIMIT 1', { name });
    return row ? finetuneSetFromRow(row) : undefined;
  }

  async insert(card: FinetuneCard, path: string): Promise<void> {
    await this.db.run('INSERT INTO finetune_sets VALUES ($name, $version, $format, $hash, $created_at, $path, $card)', {
      name: card.name,
      version: card.version,
      format: card.format,
      hash: card.hash,
      created_at: card.created_at,
      path,
      card: JSON.stringify(card),
    });
  }

  /** Every version with its card, newest first within a name. */
  async listWithCards(): Promise<(FinetuneSetRow & { card: FinetuneCard })[]> {
    const rows = await this.db.all('SELECT name, version, format, hash, path, card FROM finetune_sets ORDER BY name, version DESC');
    return rows.map((r) => ({ ...finetuneSetFromRow(r), card: finetuneCardFromColumn(r.card) }));
  }

  async get(name: string, version: number): Promise<FinetuneSetRow | undefined> {
    const [row] = await this.db.all('SELECT name, version, format, hash, path FROM finetune_sets WHERE name = $name AND version = $version', { name, version });
    return row ? finetuneSetFromRow(row) : undefined;
  }

  async list(): Promise<FinetuneSetRow[]> {
    return (await this.db.all('SELECT name, version, format, hash, path FROM finetune_sets ORDER BY name, version')).map(finetuneSetFromRow);
  }
}
