// Stored gold labels: adjudications and decided labels imported from elsewhere (consensus gold is
// derived from reviewers' labels, not stored: see server/services/gold-labels.ts).
import { LABEL_SCHEMA_VERSION, type AccuracyValue, type GoldLabel, type GoldLabelLine, type LabelFields } from '../domain/label.ts';
import { LABEL_FIELD_COLUMNS, goldLabelFromRow, labelFieldParams } from './converters.ts';
import type { Database } from './database.ts';

const COLUMNS = LABEL_FIELD_COLUMNS.join(', ');
const VALUES = LABEL_FIELD_COLUMNS.map((c) => `$${c}`).join(', ');
const SELECT_GOLD = `dialogue_id, decided_by, source, schema_version, ${COLUMNS}, strftime(decided_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS decided_at`;

/** A value of the generator's `metadata.agent_quality` -> the accuracy and tone it stands for. */
export type QualityLabels = Readonly<Record<string, { readonly accuracy: AccuracyValue; readonly tone: number }>>;

export class GoldLabelRepository {
  constructor(private readonly db: Database) {}

  /** The stored gold label of a dialogue (adjudicated or imported). */
  async get(dialogueId: string): Promise<GoldLabel | undefined> {
    const [row] = await this.db.all(`SELECT ${SELECT_GOLD} FROM gold_labels WHERE dialogue_id = $d`, { d: dialogueId });
    return row ? goldLabelFromRow(row) : undefined;
  }

  async all(): Promise<GoldLabel[]> {
    return (await this.db.all(`SELECT ${SELECT_GOLD} FROM gold_labels ORDER BY dialogue_id`)).map(goldLabelFromRow);
  }

  /** Dialogues an adjudicator has decided (they leave the queue). */
  async adjudicatedIds(): Promise<string[]> {
    return (await this.db.all<{ dialogue_id: string }>("SELECT dialogue_id FROM gold_labels WHERE source = 'adjudication'")).map((r) => r.dialogue_id);
  }

  async putAdjudication(dialogueId: string, fields: LabelFields, decidedBy: string): Promise<GoldLabel> {
    const [row] = await this.db.all(
      `INSERT OR REPLACE INTO gold_labels (dialogue_id, decided_by, source, schema_version, ${COLUMNS}, decided_at)
       VALUES ($d, $by, 'adjudication', ${LABEL_SCHEMA_VERSION}, ${VALUES}, now()) RETURNING ${SELECT_GOLD}`,
      { d: dialogueId, by: decidedBy, ...labelFieldParams(fields) },
    );
    return goldLabelFromRow(row!);
  }

  /** Stores decided labels brought from elsewhere as gold (source `import`), replacing earlier imports. */
  async importLines(lines: readonly GoldLabelLine[]): Promise<void> {
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

  /**
   * Gold labels (source `import`) from the ground truth the synthetic generator wrote into each
   * synthetic dialogue's metadata, for dialogues without a gold label yet; returns how many.
   */
  async importSyntheticTruth(quality: QualityLabels, decidedBy: string): Promise<number> {
    const accuracy = Object.entries(quality).map(([q, l]) => `WHEN '${q}' THEN '${l.accuracy}'`).join(' ');
    const tone = Object.entries(quality).map(([q, l]) => `WHEN '${q}' THEN ${l.tone}`).join(' ');
    const rows = await this.db.all<{ n: string }>(
      `INSERT INTO gold_labels (dialogue_id, decided_by, source, schema_version, intent, fcr, accuracy, tone, tone_tags, escalation_needed,
                                escalated, reference_answer, required_facts, notes, turn_flags, decided_at)
       SELECT id, $by, 'import', ${LABEL_SCHEMA_VERSION}, metadata->>'intent',
              CASE WHEN resolved AND NOT coalesce(escalated, false) THEN 'yes' WHEN resolved IS NULL THEN NULL ELSE 'no' END,
              CASE metadata->>'agent_quality' ${accuracy} END,
              CASE metadata->>'agent_quality' ${tone} END,
              '[]',
              CASE WHEN (metadata->>'expected_escalation')::BOOLEAN THEN 'yes' ELSE 'no' END,
              CASE WHEN escalated THEN 'yes' ELSE 'no' END,
              coalesce(metadata->>'reference_answer', ''), coalesce(metadata->'required_facts', '[]'), 'imported from the synthetic generator''s ground truth', '[]', now()
       FROM dialogues
       WHERE metadata->>'synthetic' = 'true' AND id NOT IN (SELECT dialogue_id FROM gold_labels)
       RETURNING 1 AS n`,
      { by: decidedBy },
    );
    return rows.length;
  }
}
