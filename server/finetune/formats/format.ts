// What a fine-tuning file format is: how an example becomes one JSONL record, and the format's
// published rules for one record (the file-level rules live in validate.ts).
import type { FinetuneFormat } from '../../domain/finetune.ts';
import type { PreferenceExample, SftExample } from '../examples.ts';

interface FormatBase {
  id: FinetuneFormat;
  /** Problems with one parsed line, as short reasons (empty when fine). */
  check(record: unknown): string[];
  /** The fewest examples a training file may hold (OpenAI refuses fewer than 10). */
  minExamples: number;
}

export interface SftFormat extends FormatBase {
  kind: 'sft';
  /** Whether earlier agent turns stay as unlearned context (weight 0, or only the output is learned), so flagged ones need not drop the dialogue. */
  masksHistory: boolean;
  encode(example: SftExample): Record<string, unknown>;
}

export interface PreferenceFormat extends FormatBase {
  kind: 'preference';
  encode(example: PreferenceExample): Record<string, unknown>;
}

export type FormatSpec = SftFormat | PreferenceFormat;
