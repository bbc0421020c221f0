// Every format reader by id, and auto-detection by sniffing a file's head.
import { usageError } from '../../domain/errors.ts';
import { abcdReader } from './abcd.ts';
import { bitextReader } from './bitext.ts';
import { csvReader } from './csv.ts';
import { dstc11Reader } from './dstc11.ts';
import { jsonlReader } from './jsonl.ts';
import { stc3Reader } from './stc3.ts';
import { taubenchReader } from './taubench.ts';
import { FORMAT_IDS, type FormatId, type FormatReader } from './types.ts';

export const FORMAT_READERS: Readonly<Record<FormatId, FormatReader>> = {
  jsonl: jsonlReader,
  csv: csvReader,
  bitext: bitextReader,
  taubench: taubenchReader,
  abcd: abcdReader,
  dstc11: dstc11Reader,
  stc3: stc3Reader,
};

/**
 * Sniffing order: the data-set formats recognise their exact shape first; generic csv takes
 * .csv/.tsv files and headers it can map; canonical jsonl is last, as the fallback for any
 * .jsonl/.ndjson file (its bad lines are then quarantined one by one).
 */
export const DETECTION_ORDER: readonly FormatId[] = ['taubench', 'dstc11', 'stc3', 'abcd', 'bitext', 'csv', 'jsonl'];

export function detectFormat(head: string, path: string): FormatId {
  for (const id of DETECTION_ORDER) if (FORMAT_READERS[id].sniff(head, path)) return id;
  throw usageError(`cannot tell the format of ${path}: it matches none of ${FORMAT_IDS.join(', ')}; name it with --format <format>`);
}
