// Bitext customer-support CSV (context,role,instruction,intent,entity_type,entity_value,
// start_offset,end_offset,category,tags,response; the Hugging Face version's
// flags,instruction,category,intent,response also reads): each row is a two-turn dialogue.
//
// - customer turn: instruction; agent turn: response, `{{Placeholder}}` slots kept as they are,
//   agent_kind `bot` (the rows are written for a virtual assistant). CRLF inside fields becomes LF.
// - metadata { dataset, intent, category, tags (the letter flags, e.g. "BQZ" -> ["B","Q","Z"]),
//   reference_answer: response, entity {type, value, start, end} when the row names one }.
// - outcome.resolved is true: every row is a request with its complete answer.
// - id `bitext-` + hash of instruction and intent, not the row number, so re-ingesting an
//   edited file stays idempotent.
// - No channel, customer or time: channel is left to the canonical default (`unknown`), no
//   customer_id or timestamps; language is `en` (the data set is English).
// A row with the wrong number of fields or an empty instruction/response is a bad item at its line.
import type { DialogueInput } from '../../domain/dialogue.ts';
import { usageError } from '../../domain/errors.ts';
import { readCsvRecords } from './csv-records.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, firstLine, normalizeNewlines, stableId } from './reader-helpers.ts';

const REQUIRED = ['instruction', 'intent', 'response'] as const;

interface BitextColumns {
  count: number;
  instruction: number;
  intent: number;
  response: number;
  category: number;
  tags: number;
  role: number;
  entityType: number;
  entityValue: number;
  start: number;
  end: number;
}

export function bitextColumns(header: readonly string[]): BitextColumns | undefined {
  const names = header.map((h) => h.trim().toLowerCase());
  if (!REQUIRED.every((c) => names.includes(c))) return undefined;
  return {
    count: names.length,
    instruction: names.indexOf('instruction'),
    intent: names.indexOf('intent'),
    response: names.indexOf('response'),
    category: names.indexOf('category'),
    tags: names.includes('tags') ? names.indexOf('tags') : names.indexOf('flags'),
    role: names.indexOf('role'),
    entityType: names.indexOf('entity_type'),
    entityValue: names.indexOf('entity_value'),
    start: names.indexOf('start_offset'),
    end: names.indexOf('end_offset'),
  };
}

export function convertBitextRow(line: number, fields: readonly string[], raw: string, columns: BitextColumns): SourceItem {
  if (fields.length !== columns.count) return badItem(line, `expected ${columns.count} fields, got ${fields.length}`, raw);
  const at = (i: number) => (i === -1 ? '' : (fields[i] ?? ''));
  const instruction = normalizeNewlines(at(columns.instruction));
  const response = normalizeNewlines(at(columns.response));
  const intent = at(columns.intent).trim();
  if (instruction.trim() === '') return badItem(line, 'empty instruction', raw);
  if (response.trim() === '') return badItem(line, 'empty response', raw);

  const metadata: Record<string, unknown> = { dataset: 'bitext-customer-support' };
  if (intent !== '') metadata.intent = intent;
  const category = at(columns.category).trim();
  if (category !== '') metadata.category = category;
  metadata.tags = [...at(columns.tags).trim()];
  metadata.reference_answer = response;
  const entityType = at(columns.entityType).trim();
  if (entityType !== '') {
    metadata.entity = { type: entityType, value: at(columns.entityValue), start: toInt(at(columns.start)), end: toInt(at(columns.end)) };
  }
  const role = at(columns.role).toLowerCase();
  const bot = role === '' || role.includes('assistant') || role.includes('bot');
  const dialogue: DialogueInput = {
    id: stableId('bitext', instruction, intent),
    language: 'en',
    turns: [
      { role: 'customer', text: instruction },
      bot ? { role: 'agent', agent_kind: 'bot', text: response } : { role: 'agent', text: response },
    ],
    outcome: { resolved: true },
    metadata,
  };
  return { kind: 'dialogue', line, value: dialogue };
}

function toInt(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text) : undefined;
}

export const bitextReader: FormatReader = {
  id: 'bitext',
  sniff(head) {
    const header = firstLine(head).text.toLowerCase().split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
    return REQUIRED.every((c) => header.includes(c));
  },
  async *read({ path }) {
    let columns: BitextColumns | undefined;
    for await (const records of readCsvRecords(path)) {
      const items: SourceItem[] = [];
      for (const record of records) {
        if ('error' in record) {
          items.push(badItem(record.line, record.error, record.raw));
        } else if (!columns) {
          columns = bitextColumns(record.fields);
          if (!columns) {
            throw usageError(`${path}: not a Bitext CSV: the header (line ${record.line}) needs the columns ${REQUIRED.join(', ')}; found ${record.fields.join(', ')}`);
          }
        } else {
          items.push(convertBitextRow(record.line, record.fields, record.raw, columns));
        }
      }
      if (items.length > 0) yield items;
    }
  },
};
