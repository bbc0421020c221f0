// Reviewers' labels and gold labels. A label row is keyed by (dialogue, reviewer) and carries a
// version for optimistic concurrency: an update names the version it read, or changes nothing.
import { LABEL_SCHEMA_VERSION, type GoldLabel, type GoldLabelLine, type Label, type LabelFields } from '../domain/label.ts';
import { LABEL_FIELD_COLUMNS, goldLabelFromRow, labelFieldParams, labelFromRow, type StorableLabelFields } from './converters.ts';
import type { Database } from './database.ts';

const COLUMNS = LABEL_FIELD_COLUMNS.join(', ');
const VALUES = LABEL_FIELD_COLUMNS.map((c) => `$${c}`).join(', ');
const ASSIGN = LABEL_FIELD_COLUMNS.map((c) => `${c} = $${c}`).join(', ');
const SELECT_LABEL = `dialogue_id, reviewer, status, version, schema_version, ${COLUMNS},
  strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS updated_at`;
const SELECT_GOLD = `dialogue_id, decided_by, source, schema_version, ${COLUMNS}, strftime(decided_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS decided_at`;

export interface LabelQuery {
  dialogueId?: string;
  reviewer?: string;
  status?: 'draft' | 'submitted';
  limit?: number;
  offset?: number;
}

export class LabelRepository {
  constructor(private readonly db: Database) {}

  async get(dialogueId: string, reviewer: string): Promise<Label | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT_LABEL} FROM labels WHERE dialogue_id = $d AND reviewer = $r`, { d: dialogueId, r: reviewer });
    return row ? labelFromRow(row) : undefined;
  }

  async list(query: LabelQuery = {}): Promise<{ labels: Label[]; total: number }> {
    const params = { d: query.dialogueId ?? null, r: query.reviewer ?? null, s: query.status ?? null };
    const where = '($d IS NULL OR dialogue_id = $d) AND ($r IS NULL OR reviewer = $r) AND ($s IS NULL OR status = $s)';
    const rows = await this.db.all(`SELECT ${SELECT_LABEL} FROM labels WHERE ${where} ORDER BY updated_at DESC, dialogue_id, reviewer LIMIT $limit OFFSET $offset`, {
      ...params,
      limit: query.limit ?? 100,
      offset: query.offset ?? 0,
    });
    const [count] = await this.db.all<{ n: string }>(`SELECT count(*) AS n FROM labels WHERE ${where}`, params);
    return { labels: rows.map(labelFromRow), total: Number(count!.n) };
  }

  /**
   * Creates a reviewer's label for a stored dialogue; undefined when the dialogue does not exist or
   * the label already does (someone else created it first).
   */
  async create(dialogueId: string, reviewer: string, fields: LabelFields, status: Label['status']): Promise<Label | undefined> {
    const rows = await this.db.all(
      `INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, ${COLUMNS}, created_at, updated_at)
       SELECT $d, $r, $status, 1, ${LABEL_SCHEMA_VERSION}, ${VALUES}, now(), now() WHERE EXISTS (SELECT 1 FROM dialogues WHERE id = $d)
       ON CONFLICT DO NOTHING RETURNING ${SELECT_LABEL}`,
      { d: dialogueId, r: reviewer, status, ...labelFieldParams(fields) },
    );
    return rows[0] ? labelFromRow(rows[0]) : undefined;
  }

  /** Updates when `version` is still the stored one; undefined when it is stale (or the label is gone). */
  async update(dialogueId: string, reviewer: string, fields: LabelFields, status: Label['status'], version: number): Promise<Label | undefined> {
    const rows = await this.db.all(
      `UPDATE labels SET ${ASSIGN}, status = $status, version = version + 1, schema_version = ${LABEL_SCHEMA_VERSION}, updated_at = now()
       WHERE dialogue_id = $d AND reviewer = $r AND version = $version
       RETURNING ${SELECT_LABEL}`,
      { d: dialogueId, r: reviewer, status, version, ...labelFieldParams(fields) },
    );
    return rows[0] ? labelFromRow(rows[0]) : undefined;
  }

  /** Inserts or replaces labels in bulk (import); returns how many were written. */
  async upsertMany(labels: readonly (StorableLabelFields & { dialogue_id: string; reviewer: string; status: Label['status']; schema_version: number })[]): Promise<number> {
    return this.db.transaction(async () => {
      for (const l of labels) {
        await this.db.run(
          `INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, ${COLUMNS}, created_at, updated_at)
           VALUES ($d, $r, $status, 1, $schema_version, ${VALUES}, now(), now())
           ON CONFLICT (dialogue_id, reviewer) DO UPDATE SET ${LABEL_FIELD_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
             status = EXCLUDED.status, schema_version = EXCLUDED.schema_version, version = labels.version + 1, updated_at = now()`,
          { d: l.dialogue_id, r: l.reviewer, status: l.status, schema_version: l.schema_version, ...labelFieldParams(l) },
        );
      }
      return labels.length;
    });
  }

  /** Every submitted label, for agreement and exports. */
  async submitted(): Promise<Label[]> {
    const rows = await this.db.all(`SELECT ${SELECT_LABEL} FROM labels WHERE status = 'submitted' ORDER BY dialogue_id, reviewer`);
    return rows.map(labelFromRow);
  }

  /** Every reviewer's label of one dialogue, drafts included. */
  async forDialogue(dialogueId: string): Promise<Label[]> {
    const rows = await this.db.all(`SELECT ${SELECT_LABEL} FROM labels WHERE dialogue_id = $d ORDER BY reviewer`, { d: dialogueId });
    return rows.map(labelFromRow);
  }

  /** The adjudicated label of a dialogue (consensus gold is derived from labels, not stored). */
  async adjudicated(dialogueId: string): Promise<GoldLabel | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT_GOLD} FROM gold_labels WHERE dialogue_id = $d`, { d: dialogueId });
    return row ? goldLabelFromRow(row) : undefined;
  }

  async allAdjudicated(): Promise<GoldLabel[]> {
    return (await this.db.all(`SELECT ${SELECT_GOLD} FROM gold_labels ORDER BY dialogue_id`)).map(goldLabelFromRow);
  }

  /** Stores decided labels brought from elsewhere as gold (source `import`), replacing earlier imports. */
  async importGold(lines: readonly GoldLabelLine[]): Promise<void> {
    if (lines.length === 0) return;
    const rows = lines.map((l) => ({ dialogue_id: l.dialogue_id, decided_by: l.decided_by, schema_version: l.schema_version, ...labelFieldParams(l) }));
    const types = `{"dialogue_id":"VARCHAR","decided_by":"VARCHAR","schema_version":"INTEGER",${LABEL_FIELD_COLUMNS.map((c) => `"${c}":"${c === 'tone' || c === 'csat' ? 'TINYINT' : 'VARCHAR'}"`).join(',')}}`;
    await this.db.run(
      `INSERT OR REPLACE INTO gold_labels (dialogue_id, decided_by, source, schema_version, ${COLUMNS}, decided_at)
       SELECT r.dialogue_id, r.decided_by, 'import', r.schema_version, ${LABEL_FIELD_COLUMNS.map((c) => `r.${c}`).join(', ')}, now()
       FROM (SELECT unnest(from_json($rows, '[${types}]')) AS r)`,
      { rows: JSON.stringify(rows) },
    );
  }

  async setAdjudicated(dialogueId: string, fields: LabelFields, decidedBy: string): Promise<GoldLabel> {
    const [row] = await this.db.all(
      `INSERT OR REPLACE INTO gold_labels (dialogue_id, decided_by, source, schema_version, ${COLUMNS}, decided_at)
       VALUES ($d, $by, 'adjudication', ${LABEL_SCHEMA_VERSION}, ${VALUES}, now()) RETURNING ${SELECT_GOLD}`,
      { d: dialogueId, by: decidedBy, ...labelFieldParams(fields) },
    );
    return goldLabelFromRow(row!);
  }
}
