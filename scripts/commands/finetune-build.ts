// `firstcall finetune build`: a versioned fine-tuning set (train.jsonl, val.jsonl, card) from
// gold-labeled dialogues of the train split.
import { join } from 'node:path';
import { z } from 'zod';
import { Language } from '../../server/domain/dialogue.ts';
import { buildFinetuneSet } from '../../server/finetune/build-set.ts';
import { FINETUNE_FORMATS } from '../../server/domain/finetune.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

const FinetuneBuildArgs = z.object({
  name: z.string({ message: '--name NAME is required' }).min(1),
  format: z.enum(FINETUNE_FORMATS, { message: `--format is one of ${FINETUNE_FORMATS.join(', ')}` }).default('openai'),
  valFraction: z.coerce.number().min(0, '--val-fraction is within [0, 0.5]').max(0.5, '--val-fraction is within [0, 0.5]').default(0.1),
  prompt: z.string().min(1).optional(),
  /** Default data/finetune/<name>, where `finetune submit --set <name>` looks. */
  out: z.string().min(1).optional(),
  language: Language.optional(),
  channel: z.string().optional(),
  intent: z.string().optional(),
  from: z.iso.date({ message: '--from wants YYYY-MM-DD' }).optional(),
  to: z.iso.date({ message: '--to wants YYYY-MM-DD' }).optional(),
  nearDuplicateThreshold: z.coerce.number().gt(0, '--near-duplicate-threshold is within (0, 1]').max(1, '--near-duplicate-threshold is within (0, 1]').default(0.8),
  json: z.boolean().default(false),
});

export const finetuneBuild = defineCommand({
  name: 'finetune build',
  description: 'a versioned fine-tuning set from labeled train-split dialogues: train.jsonl, val.jsonl, card.md, card.json',
  options: [
    { flags: '--name <name>', help: 'set name', required: true },
    { flags: '--format <format>', help: 'output format', choices: FINETUNE_FORMATS, default: 'openai' },
    { flags: '--val-fraction <f>', help: 'share held out for validation', default: '0.1' },
    { flags: '--prompt <file>', help: 'prompt template whose system prompt the examples carry (default prompts/concise-v1.yaml)', path: 'in' },
    { flags: '--out <dir>', help: 'output folder (default data/finetune/<name>)', path: 'out' },
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--channel <channel>', help: 'only this channel' },
    { flags: '--intent <intent>', help: 'only this intent' },
    { flags: '--from <YYYY-MM-DD>', help: 'started on or after' },
    { flags: '--to <YYYY-MM-DD>', help: 'started on or before' },
    { flags: '--near-duplicate-threshold <j>', help: 'estimated Jaccard similarity to a suite dialogue that excludes a dialogue', default: '0.8' },
    { flags: '--json', help: 'print the result as JSON' },
  ],
  args: FinetuneBuildArgs,
  store: true,
  async run(a, { io, openStore }) {
    const db = await openStore();
    const started = performance.now();
    const { card, created, dir } = await buildFinetuneSet(db, {
      name: a.name,
      format: a.format,
      valFraction: a.valFraction,
      promptPath: a.prompt,
      out: a.out ?? join('data', 'finetune', a.name),
      nearDuplicateThreshold: a.nearDuplicateThreshold,
      filters: { language: a.language, channel: a.channel, intent: a.intent, from: a.from, to: a.to },
    });
    const seconds = (performance.now() - started) / 1000;
    if (a.json) {
      io.out(JSON.stringify({ name: card.name, version: card.version, format: card.format, hash: card.hash, created, dir, examples: card.examples, exclusions: card.exclusions.by_reason, tokens: card.tokens, seconds: Number(seconds.toFixed(2)) }));
      return EXIT.ok;
    }
    io.out(
      created
        ? `fine-tuning set ${card.name} v${card.version} (${card.format}): ${card.examples.train} train + ${card.examples.val} val examples, hash ${card.hash.slice(0, 12)}, written to ${dir}`
        : `fine-tuning set ${card.name} v${card.version} already holds exactly these ${card.examples.total} examples (hash ${card.hash.slice(0, 12)}); files rewritten to ${dir}, no new version`,
    );
    io.out(`tokens (estimated): mean ${card.tokens.mean}, p95 ${card.tokens.p95}, max ${card.tokens.max}, total ${card.tokens.total}`);
    const reasons = Object.entries(card.exclusions.by_reason);
    if (reasons.length > 0) io.out(`left out ${card.exclusions.total} dialogues: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')} (see card.md)`);
    for (const w of card.warnings.slice(0, 5)) io.err(`warning: ${w}`);
    return EXIT.ok;
  },
});
