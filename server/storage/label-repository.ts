// Reviewers' labels and skips (gold labels: gold-label-repository.ts). A label row is keyed by
// (dialogue, reviewer) and carries a version for optimistic concurrency: an update names the version
// it read, or changes nothing.
import { z } from 'zod';
import { LABEL_SCHEMA_VERSION, TurnFlag, type Label, type LabelFields } from '../domain/label.ts';
import { LABEL_FIELD_COLUMNS, labelFieldParams, labelFromRow, type StorableLabelFields } from './converters.ts';
import type { Database } from './database.ts';
import { storeChanged } from './store-changes.ts';

const COLUMNS = LABEL_FIELD_COLUMNS.join(', ');
const VALUES = LABEL_FIELD_COLUMNS.map((c) => `$${c}`).join(', ');
const ASSIGN = LABEL_FIELD_COLUMNS.map((c) => `${c} = $${c}`).join(', ');
const SELECT_LABEL = `dialogue_id, reviewer, status, version, schema_version, ${COLUMNS},
  strftime(created_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at, strftime(updated_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS updated_at`;

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
    return this.changed(dialogueId, rows[0]);
  }

  /** Updates when `version` is still the stored one; undefined when it is stale (or the label is gone). */
  async update(dialogueId: string, reviewer: string, fields: LabelFields, status: Label['status'], version: number): Promise<Label | undefined> {
    const rows = await this.db.all(
      `UPDATE labels SET ${ASSIGN}, status = $status, version = version + 1, schema_version = ${LABEL_SCHEMA_VERSION}, updated_at = now()
       WHERE dialogue_id = $d AND reviewer = $r AND version = $version
       RETURNING ${SELECT_LABEL}`,
      { d: dialogueId, r: reviewer, status, version, ...labelFieldParams(fields) },
    );
    return this.changed(dialogueId, rows[0]);
  }

  /** The label written (when one was), after saying so to who keeps labels in memory. */
  private changed(dialogueId: string, row: Record<string, unknown> | undefined): Label | undefined {
    if (!row) return undefined;
    storeChanged(this.db, { labels: [dialogueId] });
    return labelFromRow(row);
  }

  /** Inserts or replaces labels in bulk (import); returns how many were written. */
  async upsertMany(labels: readonly (StorableLabelFields & { dialogue_id: string; reviewer: string; status: Label['status']; schema_version: number })[]): Promise<number> {
    // Set-based, a chunk at a time: row-by-row upserts of tens of thousands of labels in one
    // transaction exhaust DuckDB's memory.
    const types = `{"dialogue_id":"VARCHAR","reviewer":"VARCHAR","status":"VARCHAR","schema_version":"INTEGER",${LABEL_FIELD_COLUMNS.map((c) => `"${c}":"${c === 'tone' || c === 'csat' ? 'TINYINT' : 'VARCHAR'}"`).join(',')}}`;
    const written = await this.db.transaction(async () => {
      for (let i = 0; i < labels.length; i += 5000) {
        const rows = labels.slice(i, i + 5000).map((l) => ({ dialogue_id: l.dialogue_id, reviewer: l.reviewer, status: l.status, schema_version: l.schema_version, ...labelFieldParams(l) }));
        await this.db.run(
          `INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, ${COLUMNS}, created_at, updated_at)
           SELECT r.dialogue_id, r.reviewer, r.status, 1, r.schema_version, ${LABEL_FIELD_COLUMNS.map((c) => `r.${c}`).join(', ')}, now(), now()
           FROM (SELECT unnest(from_json($rows, '[${types}]')) AS r)
           ON CONFLICT (dialogue_id, reviewer) DO UPDATE SET ${LABEL_FIELD_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(', ')},
             status = EXCLUDED.status, schema_version = EXCLUDED.schema_version, version = labels.version + 1, updated_at = now()`,
          { rows: JSON.stringify(rows) },
        );
      }
      return labels.length;
    });
    if (written > 0) storeChanged(this.db, { labels: [...new Set(labels.map((l) => l.dialogue_id))], imported: true });
    return written;
  }

  /**
   * Labels every unlabeled synthetic dialogue as `reviewer` from the generator's ground truth
   * (intent, accuracy and tone from agent_quality, reference answer, required facts), in one statement:
   * what a benchmark needs to stand in for reviewers at scale.
   */
  async labelSyntheticTruth(reviewer: string, quality: Readonly<Record<string, { accuracy: string; tone: number }>>): Promise<number> {
    const accuracy = Object.entries(quality).map(([q, l]) => `WHEN '${q}' THEN '${l.accuracy}'`).join(' ');
    const tone = Object.entries(quality).map(([q, l]) => `WHEN '${q}' THEN ${l.tone}`).join(' ');
    const rows = await this.db.all(
      `INSERT INTO labels (dialogue_id, reviewer, status, version, schema_version, intent, fcr, accuracy, tone, tone_tags, escalation_needed, escalated,
                          reference_answer, required_facts, notes, turn_flags, created_at, updated_at)
       SELECT id, $r, 'submitted', 1, ${LABEL_SCHEMA_VERSION}, metadata->>'intent', NULL, CASE metadata->>'agent_quality' ${accuracy} END,
              CASE metadata->>'agent_quality' ${tone} END, '[]', NULL, NULL, coalesce(metadata->>'reference_answer', ''),
              coalesce(metadata->'required_facts', '[]'), '', '[]', now(), now()
       FROM dialogues WHERE metadata->>'synthetic' = 'true' AND id NOT IN (SELECT dialogue_id FROM labels WHERE reviewer = $r)
       RETURNING 1 AS n`,
      { r: reviewer },
    );
    if (rows.length > 0) storeChanged(this.db, { labels: 'all', imported: true });
    return rows.length;
  }

  async count(): Promise<number> {
    const [row] = await this.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM labels');
    return row?.n ?? 0;
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

  /** Who has labeled what and how far, for the queue's in-memory state. */
  async statuses(): Promise<Pick<Label, 'dialogue_id' | 'reviewer' | 'status'>[]> {
    return this.db.all<Pick<Label, 'dialogue_id' | 'reviewer' | 'status'>>('SELECT dialogue_id, reviewer, status FROM labels');
  }

  /** Turn flags of every reviewer's submitted label, by dialogue (the gold label keeps only the decided ones). */
  async submittedTurnFlags(): Promise<Map<string, TurnFlag[]>> {
    const rows = await this.db.all<{ dialogue_id: string; flags: string }>(
      `SELECT dialogue_id, CAST(turn_flags AS VARCHAR) AS flags FROM labels WHERE status = 'submitted' AND json_array_length(turn_flags) > 0`,
    );
    const flags = new Map<string, TurnFlag[]>();
    const parse = z.array(TurnFlag);
    for (const r of rows) flags.set(r.dialogue_id, [...(flags.get(r.dialogue_id) ?? []), ...parse.parse(JSON.parse(r.flags))]);
    return flags;
  }

  /** Reviewers' skips (a skipped dialogue is not offered to that reviewer again). */
  async skips(): Promise<{ dialogue_id: string; reviewer: string }[]> {
    return this.db.all<{ dialogue_id: string; reviewer: string }>('SELECT dialogue_id, reviewer FROM label_skips');
  }

  async addSkip(dialogueId: string, reviewer: string): Promise<void> {
    await this.db.run('INSERT INTO label_skips VALUES ($d, $me, now())', { d: dialogueId, me: reviewer });
  }
}
