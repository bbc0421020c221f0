// Versions of fine-tuning sets in DuckDB (table finetune_sets, migration 6): where each was written and its card.
import type { Database } from '../storage/database.ts';
import type { FinetuneCard } from './card.ts';

export interface FinetuneSetRow {
  name: string;
  version: number;
  format: string;
  hash: string;
  path: string;
}

export class FinetuneSetRepository {
  constructor(private readonly db: Database) {}

  async latest(name: string): Promise<FinetuneSetRow | undefined> {
    const [row] = await this.db.all<FinetuneSetRow>('SELECT name, version, format, hash, path FROM finetune_sets WHERE name = $name ORDER BY version DESC LIMIT 1', { name });
    return row ? { ...row, version: Number(row.version) } : undefined;
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
    const rows = await this.db.all<FinetuneSetRow & { card: string }>('SELECT name, version, format, hash, path, card FROM finetune_sets ORDER BY name, version DESC');
    return rows.map((r) => ({ ...r, version: Number(r.version), card: JSON.parse(r.card) as FinetuneCard }));
  }

  async get(name: string, version: number): Promise<FinetuneSetRow | undefined> {
    const [row] = await this.db.all<FinetuneSetRow>('SELECT name, version, format, hash, path FROM finetune_sets WHERE name = $name AND version = $version', { name, version });
    return row ? { ...row, version: Number(row.version) } : undefined;
  }

  async list(): Promise<FinetuneSetRow[]> {
    const rows = await this.db.all<FinetuneSetRow>('SELECT name, version, format, hash, path FROM finetune_sets ORDER BY name, version');
    return rows.map((r) => ({ ...r, version: Number(r.version) }));
  }
}
