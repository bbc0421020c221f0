// Versions of fine-tuning sets in DuckDB. The table is created here on first use; it belongs in a
// migration (storage/migrations.ts) once the feature settles.
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

  async list(): Promise<FinetuneSetRow[]> {
    const rows = await this.db.all<FinetuneSetRow>('SELECT name, version, format, hash, path FROM finetune_sets ORDER BY name, version');
    return rows.map((r) => ({ ...r, version: Number(r.version) }));
  }
}
