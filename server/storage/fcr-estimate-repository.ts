// Reads of the FCR-from-logs estimates (server/services/fcr-from-logs.ts computes them).
import type { FcrEstimate } from '../domain/label.ts';
import type { Database } from './database.ts';

export class FcrEstimateRepository {
  constructor(private readonly db: Database) {}

  /** Every estimate that is not `unclear`, by dialogue id. */
  async decided(): Promise<Map<string, Pick<FcrEstimate, 'value' | 'repeat_dialogue_id'>>> {
    const rows = await this.db.all<{ dialogue_id: string; value: 'yes' | 'no'; repeat_dialogue_id: string | null }>(
      "SELECT dialogue_id, value, repeat_dialogue_id FROM fcr_estimates WHERE value <> 'unclear'",
    );
    return new Map(rows.map((r) => [r.dialogue_id, { value: r.value, repeat_dialogue_id: r.repeat_dialogue_id }]));
  }
}
