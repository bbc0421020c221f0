// The data card of a fine-tuning set: what went in, what was left out and why, as JSON and Markdown.
import type { ExclusionReason, FinetuneFormat } from './examples.ts';
import type { TokenStats } from './validate.ts';

export interface FinetuneCard {
  name: string;
  version: number;
  format: FinetuneFormat;
  /** sha256 over train.jsonl then val.jsonl. */
  hash: string;
  created_at: string;
  template: { id: string; version: number; path: string };
  /** The label schema versions of the gold labels used (and the current one). */
  label_schema_version: { current: number; sources: number[] };
  filters: Record<string, string>;
  val_fraction: number;
  near_duplicate_threshold: number;
  /** Gold-labeled dialogues in the store; those in the train split passing the language/channel/date filters; those also passing the intent filter (on the gold intent). */
  source: { gold_labeled: number; in_train_split: number; considered: number };
  examples: { train: number; val: number; total: number };
  /** Supervised formats: how many replies are the logged agent's and how many the reviewer's reference answer. */
  reply_sources?: { logged: number; reference: number };
  by_intent: Record<string, number>;
  by_language: Record<string, number>;
  by_channel: Record<string, number>;
  tokens: TokenStats & { estimate: string };
  exclusions: { total: number; by_reason: Partial<Record<ExclusionReason, number>>; examples: { dialogue_id: string; reason: ExclusionReason; detail?: string }[] };
  warnings: string[];
}

export function cardMarkdown(card: FinetuneCard): string {
  const table = (title: string, counts: Record<string, number>) =>
    [`### ${title}`, '', '| value | examples |', '| --- | ---: |', ...Object.entries(counts).map(([k, n]) => `| ${k} | ${n} |`), ''].join('\n');
  const lines = [
    `# Fine-tuning set ${card.name} v${card.version}`,
    '',
    `- format: ${card.format}`,
    `- created: ${card.created_at}`,
    `- hash (sha256 of train + val): \`${card.hash}\``,
    `- prompt template: ${card.template.id} v${card.template.version} (${card.template.path})`,
    `- label schema version: ${card.label_schema_version.sources.join(', ') || '-'} (current ${card.label_schema_version.current})`,
    `- filters: ${Object.entries(card.filters).map(([k, v]) => `${k}=${v}`).join(', ') || 'none'}; train split only; validation share ${card.val_fraction}; near-duplicate threshold ${card.near_duplicate_threshold}`,
    `- source: ${card.source.gold_labeled} gold-labeled dialogues; ${card.source.in_train_split} in the train split matching the language, channel and date filters; ${card.source.considered} after the intent filter`,
    '',
    '## Examples',
    '',
    `train ${card.examples.train}, validation ${card.examples.val}, total ${card.examples.total}`,
    ...(card.reply_sources ? ['', `replies: ${card.reply_sources.logged} logged agent replies, ${card.reply_sources.reference} reviewer reference answers`] : []),
    '',
    table('By intent', card.by_intent),
    table('By language', card.by_language),
    table('By channel', card.by_channel),
    '## Tokens',
    '',
    `mean ${card.tokens.mean}, p50 ${card.tokens.p50}, p95 ${card.tokens.p95}, max ${card.tokens.max}, total ${card.tokens.total} (${card.tokens.estimate})`,
    '',
    '## Exclusions',
    '',
    `${card.exclusions.total} dialogues left out.`,
    '',
    '| reason | dialogues |',
    '| --- | ---: |',
    ...Object.entries(card.exclusions.by_reason).map(([k, n]) => `| ${k} | ${n} |`),
    '',
    ...(card.exclusions.examples.length > 0 ? ['Examples:', '', ...card.exclusions.examples.map((e) => `- ${e.dialogue_id}: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`), ''] : []),
    ...(card.warnings.length > 0 ? ['## Warnings', '', ...card.warnings.map((w) => `- ${w}`), ''] : []),
  ];
  return `${lines.join('\n')}\n`;
}
