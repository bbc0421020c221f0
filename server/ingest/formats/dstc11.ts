// DSTC11 track 2 (finance) utterances, `{"utterance", "utterance_id", "intent"}` per line: each
// becomes a one-turn dialogue (the customer's request) labelled with its intent.
// The data set carries no channel, customer or time: channel is left to the canonical default
// (`unknown`), customer_id and timestamps are absent, language is `en` (the whole set is English).
import type { DialogueInput } from '../../domain/dialogue.ts';
import { readLines } from '../read-lines.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, describeJsonValue, firstJsonLine, inBatches, isRecord, mentionsKey, stableId } from './reader-helpers.ts';

export function convertDstc11Line(line: number, text: string): SourceItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return badItem(line, `invalid JSON: ${(error as Error).message}`, text);
  }
  if (!isRecord(value)) return badItem(line, `not a JSON object (got ${describeJsonValue(value)})`, text);
  const { utterance, utterance_id: utteranceId, intent } = value;
  if (typeof utterance !== 'string' || utterance.trim() === '') return badItem(line, 'no utterance (a non-empty string)', text);
  const id = typeof utteranceId === 'string' && utteranceId !== '' ? `dstc11-${utteranceId}` : stableId('dstc11', utterance);
  const metadata: Record<string, unknown> = { dataset: 'dstc11-finance' };
  if (typeof utteranceId === 'string') metadata.utterance_id = utteranceId;
  if (typeof intent === 'string' && intent !== '') metadata.intent = intent;
  const dialogue: DialogueInput = { id, language: 'en', turns: [{ role: 'customer', text: utterance }], metadata };
  return { kind: 'dialogue', line, value: dialogue };
}

export const dstc11Reader: FormatReader = {
  id: 'dstc11',
  sniff(head) {
    const { object, text } = firstJsonLine(head);
    if (object) return typeof object.utterance === 'string' && 'utterance_id' in object && !('turns' in object);
    return text.trimStart().startsWith('{') && mentionsKey(text, 'utterance_id') && mentionsKey(text, 'utterance') && !mentionsKey(text, 'turns');
  },
  async *read({ path }) {
    for await (const lines of readLines(path)) {
      yield* inBatches(lines.map((item) => ('text' in item ? convertDstc11Line(item.line, item.text) : badItem(item.line, item.error, item.raw))));
    }
  },
};
