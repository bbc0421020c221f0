// `firstcall intents fit | assign | discover`: the intent classifier per language, an intent for every
// dialogue, and candidate new topics among the dialogues no known intent covers.
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../server/domain/dialogue.ts';
import { assignIntents, DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_PER_INTENT, discoverTopics, fitIntents, type DiscoverTopicsResult, type FitIntentsResult } from '../../server/services/intents.ts';
import { defineCommand } from '../command.ts';
import { EXIT, type CommandIO } from '../io.ts';

const language = z.enum(LANGUAGES, { message: `--language must be ${LANGUAGES.join(' or ')}` }).optional();
const share = (flag: string) => z.coerce.number({ message: `${flag} must be a number from 0 to 1` }).min(0, `${flag} must be a number from 0 to 1`).max(1, `${flag} must be a number from 0 to 1`);
const languagesOf = (l: Language | undefined) => (l ? [l] : undefined);

export const intentsFit = defineCommand({
  name: 'intents fit',
  description: "fit an intent classifier per language on the store's known intents (gold labels, metadata.intent, named topics); prints cross-validated accuracy and macro-F1 next to the majority class and stores a new version",
  options: [
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--folds <n>', help: 'cross-validation folds (by a hash of the dialogue id)', default: '5' },
    { flags: '--min-per-intent <n>', help: 'intents with fewer examples are left out', default: String(DEFAULT_MIN_PER_INTENT) },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    language,
    folds: z.coerce.number({ message: '--folds must be a whole number from 2 to 20' }).int('--folds must be a whole number from 2 to 20').min(2, '--folds must be a whole number from 2 to 20').max(20, '--folds must be a whole number from 2 to 20').default(5),
    minPerIntent: z.coerce.number({ message: '--min-per-intent must be a whole number ≥ 2' }).int('--min-per-intent must be a whole number ≥ 2').min(2, '--min-per-intent must be a whole number ≥ 2').default(DEFAULT_MIN_PER_INTENT),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const db = await openStore();
    const results = await fitIntents(db, { languages: languagesOf(args.language), folds: args.folds, minPerIntent: args.minPerIntent });
    if (args.json) io.out(JSON.stringify({ results }));
    else printFit(results, io);
    return EXIT.ok;
  },
});

function printFit(results: readonly FitIntentsResult[], io: CommandIO): void {
  const f = (x: number | undefined) => (x === undefined || Number.isNaN(x) ? '  -  ' : x.toFixed(3));
  io.out('intent classifier, cross-validated by dialogue id (accuracy, macro-F1) next to always answering the most common intent');
  io.out('lang examples intents | fitted acc  F1    | majority acc  F1    | stored');
  for (const r of results) {
    io.out(
      `${r.language}   ${String(r.examples).padStart(8)} ${String(r.intents.length).padStart(7)} | ${f(r.cv?.fitted.accuracy)}  ${f(r.cv?.fitted.macro_f1)} | ${f(r.cv?.majority.accuracy)}  ${f(r.cv?.majority.macro_f1)} | ${r.stored ?? '-'}`,
    );
    const sources = Object.entries(r.by_source).map(([k, n]) => `${k} ${n}`).join(', ');
    io.out(`     ${r.reason}${sources ? ` [examples: ${sources}]` : ''}${r.dropped.length > 0 ? `; left out (too few examples): ${r.dropped.map((d) => `${d.intent} (${d.examples})`).join(', ')}` : ''}${r.seconds ? `; ${r.seconds} s` : ''}`);
  }
}

export const intentsAssign = defineCommand({
  name: 'intents assign',
  description: 'give every dialogue an intent with a confidence (production traffic included): a gold label or metadata.intent wins, then a named topic, then the latest classifier',
  options: [
    { flags: '--min-confidence <p>', help: "below this the classifier's guess is not kept (intent unknown; topic discovery looks there)", default: String(DEFAULT_MIN_CONFIDENCE) },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({ minConfidence: share('--min-confidence').default(DEFAULT_MIN_CONFIDENCE), json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const db = await openStore();
    const results = await assignIntents(db, { minConfidence: args.minConfidence });
    if (args.json) {
      io.out(JSON.stringify({ min_confidence: args.minConfidence, results }));
      return EXIT.ok;
    }
    for (const r of results) {
      if (r.dialogues === 0) continue;
      const s = r.by_source;
      io.out(`${r.language}: ${r.dialogues} dialogues — label ${s.label}, metadata ${s.metadata}, topic ${s.topic}, classifier ${s.classifier} (${r.below_threshold} below ${args.minConfidence}: intent unknown)${r.model ? ` with ${r.model}` : '; no classifier fitted for this language (firstcall intents fit)'}`);
    }
    return EXIT.ok;
  },
});

export const intentsDiscover = defineCommand({
  name: 'intents discover',
  description: 'cluster the dialogues no known intent covers into candidate new topics, with key terms and examples (an admin names them in the web UI or with POST /api/topics/:id/name)',
  options: [
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--threshold <p>', help: 'dialogues the classifier gives less confidence than this count as uncovered', default: String(DEFAULT_MIN_CONFIDENCE) },
    { flags: '--seed <n>', help: 'seed of the clustering', default: '1' },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    language,
    threshold: share('--threshold').default(DEFAULT_MIN_CONFIDENCE),
    seed: z.coerce.number({ message: '--seed must be a whole number' }).int('--seed must be a whole number').default(1),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const db = await openStore();
    const results = await discoverTopics(db, { languages: languagesOf(args.language), threshold: args.threshold, seed: args.seed });
    if (args.json) io.out(JSON.stringify({ threshold: args.threshold, results }));
    else printDiscover(results, io);
    return EXIT.ok;
  },
});

function printDiscover(results: readonly DiscoverTopicsResult[], io: CommandIO): void {
  for (const r of results) {
    if (r.uncovered === 0) {
      io.out(`${r.language}: every dialogue is covered by a known intent`);
      continue;
    }
    const chosen = r.silhouettes.find((s) => s.k === r.k);
    io.out(`${r.language}: ${r.uncovered} uncovered dialogues -> ${r.topics.length} candidate topics (k = ${r.k}${chosen ? `, silhouette ${chosen.silhouette}` : ''})`);
    for (const t of r.topics) {
      io.out(`  ${t.id}  ${t.size} dialogues  ${t.key_terms.map((k) => k.term).join(', ')}`);
      for (const e of t.examples.slice(0, 3)) io.out(`      ${e.dialogue_id}: ${e.text}`);
    }
  }
}
