// Checks a fine-tuning file (or records about to become one) against its format's published rules:
// per-line shape, the minimum number of examples, and token estimates (see token-estimate.ts).
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { FinetuneFormat, TokenStats } from '../domain/finetune.ts';
import { quantileSorted } from '../metrics/quantiles.ts';
import { FORMATS } from './formats/registry.ts';
import { recordTokens } from './token-estimate.ts';

/** OpenAI's context limit for fine-tuning examples on current models; longer examples are truncated or refused. */
export const MAX_EXAMPLE_TOKENS = 65_536;

export interface ValidationIssue {
  /** 1-based line number (0 for the file as a whole). */
  line: number;
  reason: string;
}

export interface ValidationResult {
  valid: boolean;
  errors: ValidationIssue[];
  warnings: ValidationIssue[];
  stats: { examples: number; tokens: TokenStats };
}

export interface ValidateOptions {
  /** Overrides the format's minimum number of examples (e.g. 1 for a validation file). */
  minExamples?: number;
  /** Stop listing errors after this many (they are still counted in `valid`). */
  maxErrors?: number;
}

/** Accumulates records one at a time, so a build can check as it writes without holding the file. */
export class FormatValidator {
  private readonly errors: ValidationIssue[] = [];
  private readonly warnings: ValidationIssue[] = [];
  private readonly tokens: number[] = [];
  private errorCount = 0;
  private line = 0;

  constructor(
    private readonly format: FinetuneFormat,
    private readonly options: ValidateOptions = {},
  ) {}

  /** Checks one record; returns its token estimate. */
  add(record: unknown): number {
    this.line++;
    for (const reason of FORMATS[this.format].check(record)) this.error(this.line, reason);
    const tokens = recordTokens(record);
    this.tokens.push(tokens);
    if (tokens > MAX_EXAMPLE_TOKENS) this.warnings.push({ line: this.line, reason: `about ${tokens} tokens, above ${MAX_EXAMPLE_TOKENS}: it will be truncated or refused` });
    return tokens;
  }

  /** A line that is not JSON. */
  unparsable(reason: string): void {
    this.line++;
    this.error(this.line, reason);
  }

  private error(line: number, reason: string): void {
    this.errorCount++;
    if (this.errors.length < (this.options.maxErrors ?? 1000)) this.errors.push({ line, reason });
  }

  result(): ValidationResult {
    const min = this.options.minExamples ?? FORMATS[this.format].minExamples;
    const errors = [...this.errors];
    let count = this.errorCount;
    if (this.line < min) (errors.push({ line: 0, reason: `${this.line} examples; ${this.format} needs at least ${min}` }), count++);
    return { valid: count === 0, errors, warnings: this.warnings, stats: { examples: this.line, tokens: tokenStats(this.tokens) } };
  }
}

export function tokenStats(values: readonly number[]): TokenStats {
  if (values.length === 0) return { mean: 0, p50: 0, p95: 0, max: 0, total: 0 };
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  const total = list.reduce((a, b) => a + b, 0);
  return { mean: Math.round(total / list.length), p50: Math.round(quantileSorted(list, 0.5)), p95: Math.round(quantileSorted(list, 0.95)), max: list.at(-1)!, total };
}

export function validateRecords(format: FinetuneFormat, records: Iterable<unknown>, options: ValidateOptions = {}): ValidationResult {
  const validator = new FormatValidator(format, options);
  for (const record of records) validator.add(record);
  return validator.result();
}

/** Validates a JSONL file line by line (blank lines are errors too: most uploaders reject them). */
export async function validateJsonlFile(path: string, format: FinetuneFormat, options: ValidateOptions = {}): Promise<ValidationResult> {
  const validator = new FormatValidator(format, options);
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  // readline yields no line after a final newline, so every line here is a real one.
  for await (const line of lines) handle(validator, line);
  return validator.result();
}

function handle(validator: FormatValidator, line: string): void {
  if (line.trim() === '') return validator.unparsable('empty line');
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (error) {
    return validator.unparsable(`not JSON: ${(error as Error).message}`);
  }
  validator.add(record);
}
