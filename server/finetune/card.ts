// The data card of a fine-tuning set (server/domain/finetune.ts) as Markdown.
import type { FinetuneCard } from '../domain/finetune.ts';

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
