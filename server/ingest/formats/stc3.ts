// NTCIR-14 STC-3 Dialogue Quality data, one dialogue per line:
// `{"id", "turns": [{"sender": "customer"|"helpdesk", "utterances": [..]}], "annotations": [{"quality": {"A", "S", "E"}, "nugget": [..]}]}`.
// Each dialogue becomes a canonical dialogue (customer -> customer, helpdesk -> agent, a turn's
// utterances joined), and each annotator's judgement a reviewer label (`stc3-annotator-01` …), so the
// Agreement page shows real multi-annotator agreement and `scorers fit` learns from people:
// - A (task accomplished, -2..2) -> fcr: above 0 yes, below 0 no, 0 unclear;
// - S (satisfaction, -2..2) -> csat 1..5 (S + 3);
// - E (effectiveness, -2..2) -> notes (it is neither accuracy nor tone).
// The data carries no channel, customer or time. Language comes from the text; the Chinese originals
// and their English translations share ids, so the id is `stc3-<language>-<id>`. The annotators' means
// are kept in metadata.stc3 (a, s, e and the count).
import type { DialogueInput } from '../../domain/dialogue.ts';
import { detectLanguage } from '../../text/detect-language.ts';
import { readLines } from '../read-lines.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, describeJsonValue, firstJsonLine, inBatches, isRecord, mentionsKey } from './reader-helpers.ts';

const SENDERS = { customer: 'customer', helpdesk: 'agent' } as const;
const SCALE = [-2, -1, 0, 1, 2];

export interface Stc3Judgement {
  A: number;
  S: number;
  E: number;
}

/** One annotator's judgement as a label line (`labels import` fields). */
export function labelOf(dialogueId: string, annotator: number, q: Stc3Judgement): Record<string, unknown> {
  return {
    dialogue_id: dialogueId,
    reviewer: `stc3-annotator-${String(annotator + 1).padStart(2, '0')}`,
    fcr: q.A > 0 ? 'yes' : q.A < 0 ? 'no' : 'unclear',
    csat: q.S + 3,
    notes: `STC-3 judgement: A ${q.A}, S ${q.S}, E ${q.E} (task accomplished, satisfaction, effectiveness; -2..2)`,
    status: 'submitted',
  };
}

export function convertStc3Line(line: number, text: string): SourceItem[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [badItem(line, `invalid JSON: ${(error as Error).message}`, text)];
  }
  if (!isRecord(value)) return [badItem(line, `not a JSON object (got ${describeJsonValue(value)})`, text)];
  const { id, turns, annotations } = value;
  if (typeof id !== 'string' && typeof id !== 'number') return [badItem(line, 'no id (a string or number)', text)];
  if (!Array.isArray(turns) || turns.length === 0) return [badItem(line, 'no turns (a non-empty array)', text)];
  const converted: DialogueInput['turns'] = [];
  for (const [i, turn] of turns.entries()) {
    if (!isRecord(turn)) return [badItem(line, `turns[${i}] is not an object`, text)];
    const role = SENDERS[turn.sender as keyof typeof SENDERS];
    if (role === undefined) return [badItem(line, `turns[${i}].sender must be customer or helpdesk`, text)];
    const utterances = Array.isArray(turn.utterances) ? turn.utterances.filter((u): u is string => typeof u === 'string' && u.trim() !== '') : [];
    if (utterances.length === 0) continue;
    converted.push({ role, text: utterances.join('\n'), ...(role === 'agent' ? { agent_kind: 'human' as const } : {}) });
  }
  if (converted.length === 0) return [badItem(line, 'every turn is empty', text)];
  const judgements = (Array.isArray(annotations) ? annotations : [])
    .map((a) => (isRecord(a) && isRecord(a.quality) ? a.quality : undefined))
    .filter((q): q is Record<string, unknown> => q !== undefined)
    .map((q) => ({ A: q.A, S: q.S, E: q.E }))
    .filter((q): q is Stc3Judgement => [q.A, q.S, q.E].every((v) => typeof v === 'number' && SCALE.includes(v)));
  const language = detectLanguage(converted.filter((t) => t.role === 'customer').map((t) => t.text));
  const dialogueId = `stc3-${language}-${id}`;
  const mean = (key: keyof Stc3Judgement) => (judgements.length === 0 ? null : Math.round((judgements.reduce((n, q) => n + q[key], 0) / judgements.length) * 1000) / 1000);
  const dialogue: DialogueInput = {
    id: dialogueId,
    language,
    turns: converted,
    metadata: { dataset: 'stc3-helpdesk', stc3_id: String(id), stc3: { annotators: judgements.length, a: mean('A'), s: mean('S'), e: mean('E') } },
  };
  return [{ kind: 'dialogue', line, value: dialogue }, ...judgements.map((q, i) => ({ kind: 'label' as const, line, value: labelOf(dialogueId, i, q) }))];
}

export const stc3Reader: FormatReader = {
  id: 'stc3',
  sniff(head) {
    const { object, text } = firstJsonLine(head);
    if (object) {
      const turn = Array.isArray(object.turns) ? object.turns[0] : undefined;
      return Array.isArray(object.annotations) && isRecord(turn) && 'sender' in turn && 'utterances' in turn;
    }
    return text.trimStart().startsWith('{') && mentionsKey(text, 'annotations') && mentionsKey(text, 'utterances') && mentionsKey(text, 'sender');
  },
  async *read({ path }) {
    for await (const lines of readLines(path)) {
      yield* inBatches(lines.flatMap((item) => ('text' in item ? convertStc3Line(item.line, item.text) : [badItem(item.line, item.error, item.raw)])));
    }
  },
};
