// What ingest does to each record before the store sees it, as a pure function over a batch: validate
// with zod, check what the store cannot take, redact PII, detect the language, and sort the result
// into rows to load, quarantined lines and data-set labels. The same function runs on the main
// thread or in a worker (ingest-worker.ts), so both give the same rows.
import type { z } from 'zod';
import { Customer, DialogueInput, type ParsedDialogue } from '../domain/dialogue.ts';
import { LabelLine } from '../domain/label.ts';
import { loneSurrogatePath, mayHoldLoneSurrogate, metadataProblem } from '../domain/record-limits.ts';
import { detectLanguage } from '../text/detect-language.ts';
import { redactPii } from '../text/pii-redaction.ts';
import { classifyJsonLine } from './formats/jsonl.ts';
import { badItem } from './formats/reader-helpers.ts';
import { MAX_RAW_KEPT, type SourceItem } from './formats/types.ts';
import { linesOfBlock, type LineItem } from './read-lines.ts';

/** One batch of records made ready for the store, in the order they came. */
export interface StagedBatch {
  /** Records read (good and bad). */
  records: number;
  /** Dialogues as canonical JSON (validated, redacted), each with its id and language. */
  dialogues: string[];
  ids: string[];
  languages: string[];
  /** Customer profiles as canonical JSON. */
  customers: string[];
  /** Quarantined records: line, reason, raw text (PII redacted in both unless redaction is off). */
  quarantine: [line: number, reason: string, raw: string][];
  labels: LabelLine[];
  /** PII found, by type. */
  redacted: Record<string, number>;
}

/** A batch of work: records a format reader made, or a block of canonical JSONL lines still to be decoded. */
export type StageJob =
  | { kind: 'items'; items: SourceItem[]; redact: boolean }
  | { kind: 'jsonl'; block: { firstLine: number; bytes: Uint8Array }; redact: boolean; maxLineBytes?: number }
  | { kind: 'line'; item: LineItem; redact: boolean };

export function stageJob(job: StageJob): StagedBatch {
  if (job.kind === 'items') return stageItems(job.items, job.redact);
  const lines = job.kind === 'line' ? [job.item] : linesOfBlock(job.block, job.maxLineBytes);
  const items: SourceItem[] = new Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    items[i] = 'text' in line ? classifyJsonLine(line.line, line.text) : badItem(line.line, line.error, line.raw);
  }
  return stageItems(items, job.redact);
}

export function stageItems(items: readonly SourceItem[], redact: boolean): StagedBatch {
  const out: StagedBatch = { records: items.length, dialogues: [], ids: [], languages: [], customers: [], quarantine: [], labels: [], redacted: {} };
  const quarantine = (line: number, reason: string, raw: string) => {
    out.quarantine.push([line, redact ? redactPii(reason).text : reason, redact ? redactRaw(raw) : cut(raw)]);
  };
  for (const item of items) stageItem(item, out, quarantine, redact);
  return out;
}

function stageItem(item: SourceItem, out: StagedBatch, quarantine: (line: number, reason: string, raw: string) => void, redact: boolean): void {
  if (item.kind === 'bad') {
    quarantine(item.line, item.reason, item.raw);
    return;
  }
  if (item.kind === 'label') {
    const parsed = LabelLine.safeParse(item.value);
    if (!parsed.success) quarantine(item.line, `invalid label: ${describeIssues(parsed.error)}`, rawOf(item));
    else out.labels.push(parsed.data);
    return;
  }
  if (item.kind === 'customer') {
    const parsed = Customer.safeParse(item.value);
    if (!parsed.success) quarantine(item.line, `invalid customer: ${describeIssues(parsed.error)}`, rawOf(item));
    else {
      const surrogate = loneSurrogatePath(parsed.data);
      if (surrogate !== undefined) quarantine(item.line, `invalid customer: ${surrogate}: ${LONE_SURROGATE}`, rawOf(item));
      else out.customers.push(JSON.stringify(parsed.data));
    }
    return;
  }
  const parsed = DialogueInput.safeParse(item.value);
  if (!parsed.success) {
    quarantine(item.line, `invalid dialogue: ${describeIssues(parsed.error)}`, rawOf(item));
    return;
  }
  const dialogue = parsed.data;
  const problem = storageProblem(item, dialogue);
  if (problem !== undefined) {
    quarantine(item.line, `invalid dialogue: ${problem}`, rawOf(item));
    return;
  }
  if (redact) redactTurns(dialogue, out.redacted);
  // What was validated and redacted is what the store reads, never the raw line: in a line with a key
  // twice, JSON.parse (and so zod and redaction) sees the last copy where DuckDB's JSON reader would
  // take the first, unvalidated and unredacted.
  out.dialogues.push(JSON.stringify(dialogue));
  out.ids.push(dialogue.id);
  out.languages.push(dialogue.language ?? languageOf(dialogue));
}

const cut = (raw: string) => (raw.length > MAX_RAW_KEPT ? raw.slice(0, MAX_RAW_KEPT) : raw);

/**
 * A quarantined record's text with PII redacted. A reader may have cut it at MAX_RAW_KEPT: the token
 * cut there (half a phone number or address, which no pattern recognises) is dropped first.
 */
export function redactRaw(raw: string): string {
  const whole = raw.length < MAX_RAW_KEPT ? raw : cut(raw).replace(/[\p{Nd}\p{Cf}A-Za-z@._%+\-]+$/u, '');
  return redactPii(whole).text;
}

const LONE_SURROGATE = 'lone surrogate (an unpaired \\ud800-\\udfff escape), not valid Unicode';

/**
 * What zod cannot see but the store cannot take: metadata too deep or too large, a lone surrogate
 * (looked for only when the raw line spells a surrogate escape).
 */
function storageProblem(item: { value: unknown; raw?: string }, dialogue: ParsedDialogue): string | undefined {
  const metadata = metadataProblem(dialogue.metadata, item.raw === undefined ? undefined : item.raw.length * 3);
  if (metadata !== undefined) return metadata;
  const surrogate = item.raw === undefined ? loneSurrogatePath(dialogue) : mayHoldLoneSurrogate(item.raw) ? loneSurrogatePath(item.value) : undefined;
  return surrogate === undefined ? undefined : `${surrogate}: ${LONE_SURROGATE}`;
}

/** Redacts turn texts in place; true when any text changed. */
export function redactTurns(dialogue: ParsedDialogue, counts: Record<string, number>): boolean {
  let changed = false;
  for (const turn of dialogue.turns) {
    const result = redactPii(turn.text);
    if (result.text === turn.text) continue;
    turn.text = result.text;
    changed = true;
    for (const [type, n] of Object.entries(result.counts)) counts[type] = (counts[type] ?? 0) + (n ?? 0);
  }
  return changed;
}

/** The customer's own words decide; a dialogue with none falls back to all turns. */
function languageOf(dialogue: ParsedDialogue) {
  const customer = dialogue.turns.filter((t) => t.role === 'customer').map((t) => t.text);
  return detectLanguage(customer.length > 0 ? customer : dialogue.turns.map((t) => t.text));
}

export function describeIssues(error: z.ZodError, max = 4): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more = error.issues.length - max;
  return parts.join('; ') + (more > 0 ? ` (and ${more} more)` : '');
}

function rawOf(item: { value: unknown; raw?: string }): string {
  if (item.raw !== undefined) return item.raw;
  try {
    return JSON.stringify(item.value) ?? '';
  } catch {
    return String(item.value);
  }
}
