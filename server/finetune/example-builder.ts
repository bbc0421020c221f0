// One labeled dialogue (as the store's JSON text) in, one outcome out: excluded with a reason, or an
// example line in the set's format, checked and spooled. Runs in the build's worker threads (and
// inline for small sets); everything it needs arrives as plain data.
import type { Dialogue } from '../domain/dialogue.ts';
import type { PromptTemplate } from '../domain/eval.ts';
import { AppError } from '../domain/errors.ts';
import type { Exclusion, FinetuneFormat } from '../domain/finetune.ts';
import type { GoldLabel, TurnFlag } from '../domain/label.ts';
import { decideGold } from '../services/agreement.ts';
import { customerFromTrustedRow, dialogueFromTrustedRow, goldLabelFromTrustedRow, labelFromTrustedRow } from '../storage/converters.ts';
import { sortSourceRow } from '../storage/finetune-source-repository.ts';
import { findPii } from '../text/pii-redaction.ts';
import { preferenceExample, sftExample, type LabeledDialogue } from './build-examples.ts';
import type { TrainingExample } from './examples.ts';
import { FORMATS } from './formats/registry.ts';
import { LineSpool, type SpooledLine } from './line-spool.ts';
import { NearDuplicateIndex } from './near-duplicates.ts';
import { PiiGuard } from './pii-guard.ts';
import { forEachText, recordTexts, recordTokens } from './token-estimate.ts';
import { MAX_EXAMPLE_TOKENS } from './validate.ts';

export interface SuiteCaseText {
  dialogue_id: string;
  text: string;
  language: Dialogue['language'];
}

export interface ExampleBuilderOptions {
  format: FinetuneFormat;
  template: PromptTemplate;
  /** Only dialogues of this intent (gold label first, then the logged metadata). */
  intent?: string;
  nearDuplicateThreshold: number;
  /** Reviewers who must agree before their labels make a gold label (settings). */
  overlap: number;
  /** Customer turns of every suite case, first occurrence of each dialogue. */
  suiteTexts: readonly SuiteCaseText[];
  spoolPath: string;
  spoolIndex: number;
}

/** What main sends for one dialogue (see FinetuneSourceRepository's documents). */
export interface SourceItem {
  json: string;
  /** Only decide whether the dialogue has a gold label (it is not a candidate for the set). */
  labelsOnly?: boolean;
  /** Turn flags of every reviewer's submitted label. */
  flags?: readonly TurnFlag[];
  /** The dialogue is a case of a frozen suite. */
  inSuite?: boolean;
}

export type Outcome =
  | { kind: 'no_gold' }
  | { kind: 'gold_only' }
  | { kind: 'skipped' }
  | { kind: 'excluded'; exclusion: Exclusion }
  | {
      kind: 'built';
      id: string;
      group: string;
      line: SpooledLine;
      tokens: number;
      meta: TrainingExample['meta'];
      replySource: 'logged' | 'reference' | null;
      schemaVersion: number;
      warning?: string;
    };

/** Texts this long or longer are worth leaving out of the spools. */
const REPEATED_MIN_CHARS = 200;

/**
 * The template's long fixed texts (its policy and hand-off rules, in each language) as they appear in
 * an example's JSON line: every example of a language repeats them, so the spools leave them out and
 * copySpooled puts them back (line-spool.ts). Longest first.
 */
export function repeatedTexts(template: PromptTemplate): string[] {
  return [...new Set(fixedTexts(template).map((t) => JSON.stringify(t).slice(1, -1)))].sort((a, b) => b.length - a.length);
}

/** The template's long fixed texts as the rendered prompt holds them (the PII guard checks them once). */
function fixedTexts(template: PromptTemplate): string[] {
  const texts = [template.policy.zh, template.policy.en, template.escalation.rules.zh, template.escalation.rules.en].map((t) => t.trim());
  return texts.filter((t) => t.length >= REPEATED_MIN_CHARS);
}

/** Every customer turn, one per line: what near duplicates are judged on. */
export function customerText(turns: readonly { role: string; text: string }[]): string {
  return turns
    .filter((t) => t.role === 'customer')
    .map((t) => t.text)
    .join('\n');
}

export class ExampleBuilder {
  private readonly format;
  private readonly suiteIndex: NearDuplicateIndex;
  private readonly spool: LineSpool;
  private readonly pii: PiiGuard;

  constructor(private readonly o: ExampleBuilderOptions) {
    this.format = FORMATS[o.format];
    this.suiteIndex = new NearDuplicateIndex(o.nearDuplicateThreshold);
    for (const c of o.suiteTexts) this.suiteIndex.add(c.dialogue_id, c.text, c.language);
    this.spool = new LineSpool(o.spoolPath, o.spoolIndex, repeatedTexts(o.template));
    this.pii = new PiiGuard(fixedTexts(o.template));
  }

  build(item: SourceItem): Outcome {
    const row = sortSourceRow(JSON.parse(item.json) as Record<string, unknown>);
    const g = this.gold(row);
    if (!g) return { kind: 'no_gold' };
    if (item.labelsOnly) return { kind: 'gold_only' };
    // Rows straight from the store, checked on their way in; the example is checked below (format rules, PII).
    const dialogue = dialogueFromTrustedRow(row, (row.turn_rows ?? []) as Record<string, unknown>[]);
    const id = dialogue.id;
    if (this.o.intent && (g.intent ?? dialogue.metadata?.intent ?? null) !== this.o.intent) return { kind: 'skipped' };
    if (item.inSuite) return { kind: 'excluded', exclusion: { dialogue_id: id, reason: 'in_suite' } };
    const match = this.suiteIndex.match(customerText(dialogue.turns), dialogue.language);
    if (match) {
      return {
        kind: 'excluded',
        exclusion: { dialogue_id: id, reason: 'near_duplicate_of_suite', detail: `matches suite dialogue ${match.id} (Jaccard ≈ ${match.similarity.toFixed(2)})` },
      };
    }
    const customerRow = row.customer as Record<string, unknown> | null;
    const labeled: LabeledDialogue = {
      dialogue,
      gold: g,
      flags: [...g.turn_flags, ...(item.flags ?? [])],
      customer: dialogue.customer_id && customerRow ? customerFromTrustedRow(customerRow, (customerRow.purchase_rows ?? []) as Record<string, unknown>[]) : undefined,
    };
    const format = this.format;
    const example = format.kind === 'sft' ? sftExample(labeled, this.o.template, { maskable: format.masksHistory }) : preferenceExample(labeled, this.o.template);
    if ('reason' in example) return { kind: 'excluded', exclusion: example };
    const record = example.kind === 'sft' && format.kind === 'sft' ? format.encode(example) : example.kind === 'preference' && format.kind === 'preference' ? format.encode(example) : undefined;
    if (!record) throw new AppError('internal', `a ${example.kind} example cannot be written as ${format.id}`);
    this.assertNoPii(id, record);
    const problems = format.check(record);
    if (problems.length > 0) throw new AppError('validation', `the example from dialogue ${id} breaks the ${format.id} rules: ${problems.slice(0, 3).join('; ')}`);
    const tokens = recordTokens(record);
    return {
      kind: 'built',
      id,
      group: `${example.meta.intent}|${example.meta.language}`,
      line: this.spool.append(JSON.stringify(record)),
      tokens,
      meta: example.meta,
      replySource: example.kind === 'sft' ? example.reply_source : null,
      schemaVersion: g.schema_version,
      ...(tokens > MAX_EXAMPLE_TOKENS ? { warning: `the example from dialogue ${id} is about ${tokens} tokens, above ${MAX_EXAMPLE_TOKENS}` } : {}),
    };
  }

  /** The gold label as gold-labels.ts decides it: the stored one, else the agreeing submitted labels. */
  private gold(row: Record<string, unknown>): GoldLabel | null {
    const stored = row.gold_row ? goldLabelFromTrustedRow(row.gold_row as Record<string, unknown>) : undefined;
    const labels = ((row.label_rows ?? []) as Record<string, unknown>[]).map(labelFromTrustedRow);
    return decideGold(labels, this.o.overlap, stored);
  }

  /** Flushes and closes the spool file. */
  close(): void {
    this.spool.close();
  }

  /** The last line of defence: texts were redacted at ingest, but a reference answer or an unredacted import may still carry personal data. */
  private assertNoPii(dialogueId: string, record: unknown): void {
    let dirty: string | undefined;
    forEachText(record, (text) => {
      if (dirty === undefined && this.pii.containsPii(text)) dirty = text;
    });
    if (dirty === undefined) return;
    const path = recordTexts(record).find((t) => t.text === dirty)?.path ?? '?';
    const types = [...new Set(findPii(dirty).map((m) => m.type))];
    throw new AppError(
      'validation',
      `the example from dialogue ${dialogueId} holds personal data (${types.join(', ') || 'PII'}) in ${path}; the set was not written. Redact the dialogue or fix its label, then build again`,
    );
  }
}
