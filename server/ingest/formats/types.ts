// The contract between a log format's reader and the ingest pipeline.

export const FORMAT_IDS = ['jsonl', 'csv', 'bitext', 'taubench', 'abcd', 'dstc11', 'stc3'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/**
 * One record read from a file. `value` is shaped like the canonical format (DialogueInput or
 * Customer of server/domain/dialogue.ts) but not yet validated: the pipeline validates it with zod,
 * so a reader converts and never throws on bad data. A record it cannot convert is `bad`.
 * `line` is the 1-based line where the record starts in the file. `raw`, when set, is the record's
 * own JSON text exactly as `value` was parsed from it (canonical jsonl): the pipeline passes it on
 * to DuckDB without serialising `value` again.
 */
export type SourceItem =
  | { kind: 'dialogue'; line: number; value: unknown; raw?: string }
  | { kind: 'customer'; line: number; value: unknown }
  /** A judgement the data set carries (a `labels import` line), stored once its dialogue is loaded. */
  | { kind: 'label'; line: number; value: unknown }
  | { kind: 'bad'; line: number; reason: string; raw: string };

export interface ReadOptions {
  path: string;
  /** csv only: canonical field -> column name (from `--map field=column,...`). */
  columnMap?: Readonly<Record<string, string>>;
}

export interface FormatReader {
  id: FormatId;
  /** Whether a file starting with `head` (its first 64 KiB, decoded) at `path` is in this format. */
  sniff(head: string, path: string): boolean;
  /** Streams the file in batches (a few hundred records each); memory must not grow with file size. */
  read(options: ReadOptions): AsyncIterable<SourceItem[]>;
}

/** Raw text kept with a quarantined record is cut to this many characters. */
export const MAX_RAW_KEPT = 2000;
