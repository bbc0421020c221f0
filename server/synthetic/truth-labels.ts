// The synthetic sample carries its own ground truth (metadata written by the generator); imported
// as gold labels (source `import`) it lets the demo build suites and fine-tuning sets before any
// reviewer has labeled, while reviewers can still label the same dialogues for agreement.
import { LABEL_SCHEMA_VERSION } from '../domain/label.ts';
import type { Database } from '../storage/database.ts';

/** agent_quality -> accuracy and tone, as the generator writes the replies. */
export const QUALITY_LABELS = {
  good: { accuracy: 'correct', tone: 5 },
  curt: { accuracy: 'correct', tone: 2 },
  wrong: { accuracy: 'incorrect', tone: 4 },
  rude: { accuracy: 'partial', tone: 1 },
} as const;

export async function importSyntheticTruth(db: Database, decidedBy = 'synthetic-truth'): Promise<number> {
  const accuracy = Object.entries(QUALITY_LABELS).map(([q, l]) => `WHEN '${q}' THEN '${l.accuracy}'`).join(' ');
  const tone = Object.entries(QUALITY_LABELS).map(([q, l]) => `WHEN '${q}' THEN ${l.tone}`).join(' ');
  const rows = await db.all<{ n: string }>(
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
