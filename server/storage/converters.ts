// Database rows -> domain objects. snake_case columns stay here and in SQL.
import type { Customer, Dialogue, Purchase, Turn } from '../domain/dialogue.ts';
import { Dialogue as DialogueSchema, Customer as CustomerSchema } from '../domain/dialogue.ts';
import { METADATA_MAX_BYTES, metadataProblem } from '../domain/record-limits.ts';
import { GoldLabel as GoldLabelSchema, Label as LabelSchema, type GoldLabel, type Label, type LabelFields } from '../domain/label.ts';

type Row = Record<string, unknown>;

/** Drops null and undefined fields so optional fields come out absent, as the canonical format has them. */
export function compact<T extends Row>(row: T): Partial<T> {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) if (value !== null && value !== undefined) out[key] = value;
  return out as Partial<T>;
}

export function turnFromRow(row: Row): Turn {
  return compact({ role: row.role, text: row.text, at: row.sent_at ?? row.at, agent_kind: row.agent_kind, name: row.name }) as Turn;
}

export function dialogueFromRow(row: Row, turns: readonly Row[]): Dialogue {
  return DialogueSchema.parse(dialogueShape(row, turns));
}

/**
 * The `…FromTrustedRow` converters reshape a row as their checked twins do, without parsing the result
 * with the domain's schema. Only for bulk reads of rows that were checked on their way into the store
 * (ingest checks dialogues and customers, label saves and imports check labels) and whose results are
 * checked again before they leave: the fine-tuning build, whose examples must pass their format's rules
 * and the PII guard before they are written. There the schemas cost a tenth of the build's CPU (4.8 of
 * 50 CPU s at 200k dialogues) and changed nothing (the same set, byte for byte).
 */
export function dialogueFromTrustedRow(row: Row, turns: readonly Row[]): Dialogue {
  return dialogueShape(row, turns) as Dialogue;
}

function dialogueShape(row: Row, turns: readonly Row[]) {
  const outcome = compact({
    resolved: row.resolved ?? undefined,
    escalated: row.escalated ?? undefined,
    csat: row.csat == null ? undefined : Number(row.csat),
  });
  return compact({
    id: row.id,
    channel: row.channel,
    customer_id: row.customer_id,
    language: row.language,
    started_at: row.started_at,
    turns: turns.map(turnFromRow),
    outcome: Object.keys(outcome).length > 0 ? outcome : undefined,
    metadata: metadataFromColumn(row.metadata),
    source: row.source,
    content_hash: row.content_hash,
  });
}

/** Key of the note that replaces stored metadata which cannot be served (see metadataFromColumn). */
export const UNREADABLE_METADATA_NOTE = '_firstcall_note';

/**
 * Stored metadata as an object. Metadata stored before ingest limited it (too deep to serialise, too
 * large, not an object) must not take the dialogue down with it: it becomes `{ _firstcall_note: why }`.
 */
export function metadataFromColumn(value: unknown): Record<string, unknown> | undefined {
  if (value == null) return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    if (value.length > METADATA_MAX_BYTES) return unreadable(`metadata is over the ${METADATA_MAX_BYTES / 1024} KiB limit`);
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return unreadable(`metadata is not valid JSON (${(error as Error).message.slice(0, 80)})`);
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return unreadable('metadata is not a JSON object');
  const problem = metadataProblem(parsed, typeof value === 'string' ? Buffer.byteLength(value) : undefined);
  return problem === undefined ? (parsed as Record<string, unknown>) : unreadable(problem);
}

const unreadable = (why: string) => ({ [UNREADABLE_METADATA_NOTE]: `stored metadata not shown: ${why}` });

export function customerFromRow(row: Row, purchases: readonly Row[]): Customer {
  return CustomerSchema.parse(customerShape(row, purchases));
}

/** customerFromRow without the schema (see dialogueFromTrustedRow). */
export function customerFromTrustedRow(row: Row, purchases: readonly Row[]): Customer {
  return customerShape(row, purchases) as Customer;
}

function customerShape(row: Row, purchases: readonly Row[]) {
  return compact({
    customer_id: row.id,
    name: row.name,
    tier: row.tier,
    language: row.language,
    since: row.since,
    purchases: purchases.map(
      (p) =>
        compact({
          product: p.product,
          category: p.category,
          purchased_at: p.purchased_at,
          warranty_months: Number(p.warranty_months),
          order_id: p.order_id,
          price: p.price == null ? undefined : Number(p.price),
        }) as Purchase,
    ),
  });
}

const parseJson = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);

function labelFieldsFromRow(row: Row): LabelFields {
  return {
    intent: (row.intent as string | null) ?? null,
    fcr: (row.fcr as LabelFields['fcr']) ?? null,
    accuracy: (row.accuracy as LabelFields['accuracy']) ?? null,
    tone: row.tone == null ? null : Number(row.tone),
    csat: row.csat == null ? null : Number(row.csat),
    tone_tags: parseJson(row.tone_tags) ?? [],
    escalation_needed: (row.escalation_needed as LabelFields['escalation_needed']) ?? null,
    escalated: (row.escalated as LabelFields['escalated']) ?? null,
    reference_answer: String(row.reference_answer ?? ''),
    required_facts: parseJson(row.required_facts) ?? [],
    notes: String(row.notes ?? ''),
    turn_flags: parseJson(row.turn_flags) ?? [],
  };
}

/** Label fields as the store takes them: csat (schema v2) may be absent from labels made before it. */
export type StorableLabelFields = Omit<LabelFields, 'csat'> & { csat?: LabelFields['csat'] };

/** Label fields as named SQL parameters (JSON columns serialised), shared by labels and gold_labels. */
export function labelFieldParams(fields: StorableLabelFields): Record<string, string | number | null> {
  return {
    intent: fields.intent,
    fcr: fields.fcr,
    accuracy: fields.accuracy,
    tone: fields.tone,
    csat: fields.csat ?? null,
    tone_tags: JSON.stringify(fields.tone_tags),
    escalation_needed: fields.escalation_needed,
    escalated: fields.escalated,
    reference_answer: fields.reference_answer,
    required_facts: JSON.stringify(fields.required_facts),
    notes: fields.notes,
    turn_flags: JSON.stringify(fields.turn_flags),
  };
}

export const LABEL_FIELD_COLUMNS = [
  'intent', 'fcr', 'accuracy', 'tone', 'csat', 'tone_tags', 'escalation_needed', 'escalated',
  'reference_answer', 'required_facts', 'notes', 'turn_flags',
] as const;

export function labelFromRow(row: Row): Label {
  return LabelSchema.parse(labelShape(row));
}

/** labelFromRow without the schema (see dialogueFromTrustedRow). */
export function labelFromTrustedRow(row: Row): Label {
  return labelShape(row) as Label;
}

const labelShape = (row: Row) => ({
  ...labelFieldsFromRow(row),
  dialogue_id: row.dialogue_id,
  reviewer: row.reviewer,
  status: row.status,
  version: Number(row.version),
  schema_version: Number(row.schema_version),
  created_at: String(row.created_at),
  updated_at: String(row.updated_at),
});

export function goldLabelFromRow(row: Row): GoldLabel {
  return GoldLabelSchema.parse(goldLabelShape(row));
}

/** goldLabelFromRow without the schema (see dialogueFromTrustedRow). */
export function goldLabelFromTrustedRow(row: Row): GoldLabel {
  return goldLabelShape(row) as GoldLabel;
}

const goldLabelShape = (row: Row) => ({
  ...labelFieldsFromRow(row),
  dialogue_id: row.dialogue_id,
  decided_by: row.decided_by,
  source: row.source,
  decided_at: String(row.decided_at),
  schema_version: Number(row.schema_version),
});
