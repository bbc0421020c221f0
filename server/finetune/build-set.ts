// Builds a versioned fine-tuning set from gold-labeled dialogues of the train split: examples in the
// chosen format, guarded against eval-suite overlap, near duplicates of suite dialogues and surviving
// personal data, split train/val, validated, and described by a data card.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadPromptTemplate } from '../candidates/load-candidate.ts';
import type { Customer } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { Suite } from '../domain/eval.ts';
import { FinetuneFormat, type Exclusion, type ExclusionReason, type FinetuneCard } from '../domain/finetune.ts';
import { LABEL_SCHEMA_VERSION } from '../domain/label.ts';
import { goldLabelsById } from '../services/gold-labels.ts';
import { splitOf } from '../services/splits.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueSelectionRepository } from '../storage/dialogue-selection-repository.ts';
import { FinetuneSetRepository } from '../storage/finetune-set-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { SuiteRepository } from '../storage/suite-repository.ts';
import { containsPii, findPii } from '../text/pii-redaction.ts';
import { preferenceExample, sftExample, type LabeledDialogue } from './build-examples.ts';
import { cardMarkdown } from './card.ts';
import type { TrainingExample } from './examples.ts';
import { FORMATS } from './formats/registry.ts';
import { NearDuplicateIndex } from './near-duplicates.ts';
import { LineSpool, type SpooledLine } from './line-spool.ts';
import { validationIds } from './stratified-split.ts';
import { forEachText, recordTexts, recordTokens } from './token-estimate.ts';
import { MAX_EXAMPLE_TOKENS, tokenStats } from './validate.ts';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const DEFAULT_FINETUNE_PROMPT = 'prompts/concise-v1.yaml';

export const FinetuneFilters = z.object({
  language: z.enum(['zh', 'en']).optional(),
  channel: z.string().min(1).optional(),
  intent: z.string().min(1).optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});
export type FinetuneFilters = z.infer<typeof FinetuneFilters>;

export const BuildFinetuneOptions = z.object({
  name: Suite.shape.name,
  format: FinetuneFormat,
  valFraction: z.number().min(0).max(0.5).default(0.1),
  /** A prompt template, relative to `root` (default prompts/concise-v1.yaml). */
  promptPath: z.string().min(1).optional(),
  filters: FinetuneFilters.default({}),
  nearDuplicateThreshold: z.number().gt(0).max(1).default(0.8),
  /** The set's folder: train.jsonl, val.jsonl, card.md and card.json go there. */
  out: z.string().min(1),
  /** The repository root prompt paths are resolved against. */
  root: z.string().default(REPO_ROOT),
});
export type BuildFinetuneOptions = z.input<typeof BuildFinetuneOptions>;

export interface FinetuneSetResult {
  card: FinetuneCard;
  /** False when the latest version of this name already held exactly these files. */
  created: boolean;
  dir: string;
}

const MAX_EXCLUSION_EXAMPLES = 20;

interface Built {
  id: string;
  group: string;
  line: SpooledLine;
  tokens: number;
  meta: TrainingExample['meta'];
}

export async function buildFinetuneSet(db: Database, input: BuildFinetuneOptions): Promise<FinetuneSetResult> {
  const parsed = BuildFinetuneOptions.safeParse(input);
  if (!parsed.success) throw new AppError('usage', parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; '));
  const o = parsed.data;
  const format = FORMATS[o.format];
  const promptPath = o.promptPath ?? DEFAULT_FINETUNE_PROMPT;
  const template = await loadPromptTemplate(promptPath, { root: o.root });

  const gold = await goldLabelsById(db);
  const flags = await new LabelRepository(db).submittedTurnFlags();
  const suites = new SuiteRepository(db);
  const inSuite = await suites.dialogueIds();
  const suiteIndex = await suiteNearDuplicateIndex(suites, o.nearDuplicateThreshold);
  const customers = new Map<string, Customer>();
  for await (const page of new CustomerRepository(db).all()) for (const c of page) customers.set(c.customer_id, c);

  const dir = resolve(o.out);
  mkdirSync(dir, { recursive: true });
  const spool = new LineSpool(join(dir, '.examples.tmp'));
  try {
    return await buildInto(dir, spool);
  } finally {
    spool.dispose();
  }

  async function buildInto(dir: string, spool: LineSpool): Promise<FinetuneSetResult> {
    const exclusions: Exclusion[] = [];
    const clean = new Set<string>();
    const built: Built[] = [];
    const source = { gold_labeled: gold.size, in_train_split: 0, considered: 0 };
    const replySources = { logged: 0, reference: 0 };
    const schemaVersions = new Set<number>();
    const warnings: string[] = [];

    const filters = { language: o.filters.language, channel: o.filters.channel, from: o.filters.from, to: o.filters.to };
    // Gold-labeled dialogues of the train split only.
    const wanted = (id: string) => gold.has(id) && splitOf(id) === 'train';
    for await (const page of new DialogueSelectionRepository(db).labeled(filters, wanted)) {
      for (const dialogue of page) {
        const id = dialogue.id;
        const g = gold.get(id)!;
        source.in_train_split++;
        if (o.filters.intent && (g.intent ?? dialogue.metadata?.intent ?? null) !== o.filters.intent) continue;
        source.considered++;
        if (inSuite.has(id)) {
          exclusions.push({ dialogue_id: id, reason: 'in_suite' });
          continue;
        }
        const match = suiteIndex.match(customerText(dialogue.turns), dialogue.language);
        if (match) {
          exclusions.push({ dialogue_id: id, reason: 'near_duplicate_of_suite', detail: `matches suite dialogue ${match.id} (Jaccard ≈ ${match.similarity.toFixed(2)})` });
          continue;
        }
        const labeled: LabeledDialogue = {
          dialogue,
          gold: g,
          flags: [...g.turn_flags, ...(flags.get(id) ?? [])],
          customer: dialogue.customer_id ? customers.get(dialogue.customer_id) : undefined,
        };
        const example = format.kind === 'sft' ? sftExample(labeled, template, { maskable: format.masksHistory }) : preferenceExample(labeled, template);
        if ('reason' in example) {
          exclusions.push(example);
          continue;
        }
        const record = example.kind === 'sft' && format.kind === 'sft' ? format.encode(example) : example.kind === 'preference' && format.kind === 'preference' ? format.encode(example) : undefined;
        if (!record) throw new AppError('internal', `a ${example.kind} example cannot be written as ${format.id}`);
        assertNoPii(id, record, clean);
        const problems = format.check(record);
        if (problems.length > 0) throw new AppError('validation', `the example from dialogue ${id} breaks the ${format.id} rules: ${problems.slice(0, 3).join('; ')}`);
        const tokens = recordTokens(record);
        if (tokens > MAX_EXAMPLE_TOKENS) warnings.push(`the example from dialogue ${id} is about ${tokens} tokens, above ${MAX_EXAMPLE_TOKENS}`);
        if (example.kind === 'sft') replySources[example.reply_source]++;
        schemaVersions.add(g.schema_version);
        built.push({ id, group: `${example.meta.intent}|${example.meta.language}`, line: spool.append(JSON.stringify(record)), tokens, meta: example.meta });
      }
    }

    // Rows stream in no fixed order: sort, so the files (and their hash) and the card are reproducible.
    built.sort((a, b) => a.id.localeCompare(b.id));
    exclusions.sort((a, b) => a.dialogue_id.localeCompare(b.dialogue_id));
    warnings.sort();
    const val = validationIds(built, o.valFraction);
    const train = built.filter((b) => !val.has(b.id));
    if (train.length < format.minExamples) {
      throw new AppError(
        'validation',
        `${train.length} training examples for set ${o.name}; ${format.id} needs at least ${format.minExamples} (${exclusions.length} dialogues were left out: ${summarise(exclusions)})`,
      );
    }

    // Written under temporary names and renamed at the end, so a failed build leaves no half set.
    const hash = createHash('sha256');
    const trainTmp = join(dir, '.train.jsonl.tmp');
    const valTmp = join(dir, '.val.jsonl.tmp');
    try {
      spool.copyTo(trainTmp, train.map((b) => b.line), hash);
      spool.copyTo(valTmp, built.filter((b) => val.has(b.id)).map((b) => b.line), hash);
    } catch (error) {
      rmSync(trainTmp, { force: true });
      rmSync(valTmp, { force: true });
      throw error;
    }
    const digest = hash.digest('hex');

    const sets = new FinetuneSetRepository(db);
    const latest = await sets.latest(o.name);
    const created = !(latest && latest.hash === digest && latest.format === o.format);
    const byReason: Partial<Record<ExclusionReason, number>> = {};
    for (const e of exclusions) byReason[e.reason] = (byReason[e.reason] ?? 0) + 1;
    const count = (key: 'intent' | 'language' | 'channel') => {
      const counts: Record<string, number> = {};
      for (const b of built) counts[b.meta[key]] = (counts[b.meta[key]] ?? 0) + 1;
      return Object.fromEntries(Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
    };
    const card: FinetuneCard = {
      name: o.name,
      version: created ? (latest?.version ?? 0) + 1 : latest!.version,
      format: o.format,
      hash: digest,
      created_at: new Date().toISOString(),
      template: { id: template.id, version: template.version, path: promptPath },
      label_schema_version: { current: LABEL_SCHEMA_VERSION, sources: [...schemaVersions].sort((a, b) => a - b) },
      filters: Object.fromEntries(Object.entries(o.filters).filter(([, v]) => v !== undefined)) as Record<string, string>,
      val_fraction: o.valFraction,
      near_duplicate_threshold: o.nearDuplicateThreshold,
      source,
      examples: { train: train.length, val: built.length - train.length, total: built.length },
      ...(format.kind === 'sft' ? { reply_sources: replySources } : {}),
      by_intent: count('intent'),
      by_language: count('language'),
      by_channel: count('channel'),
      tokens: { ...tokenStats(built.map((b) => b.tokens)), estimate: 'estimated: CJK characters + English words × 1.3' },
      exclusions: { total: exclusions.length, by_reason: byReason, examples: exclusions.slice(0, MAX_EXCLUSION_EXAMPLES) },
      warnings: warnings.slice(0, 50),
    };
    renameSync(trainTmp, join(dir, 'train.jsonl'));
    renameSync(valTmp, join(dir, 'val.jsonl'));
    writeFileSync(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    writeFileSync(join(dir, 'card.md'), cardMarkdown(card));
    if (created) await sets.insert(card, dir);
    return { card, created, dir };
  }
}

function summarise(exclusions: readonly Exclusion[]): string {
  const counts = new Map<string, number>();
  for (const e of exclusions) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
}

/** Every customer turn, one per line: what near duplicates are judged on. */
function customerText(turns: readonly { role: string; text: string }[]): string {
  return turns.filter((t) => t.role === 'customer').map((t) => t.text).join('\n');
}

/** The last line of defence: texts were redacted at ingest, but a reference answer or an unredacted import may still carry personal data. */
function assertNoPii(dialogueId: string, record: unknown, clean: Set<string>): void {
  let dirty: string | undefined;
  forEachText(record, (text) => {
    if (dirty !== undefined || clean.has(text)) return;
    if (containsPii(text)) dirty = text;
    // System prompts and few-shot pairs repeat across examples: remember the clean ones (bounded).
    else if (text.length > 200) {
      if (clean.size >= 5_000) clean.clear();
      clean.add(text);
    }
  });
  if (dirty === undefined) return;
  const path = recordTexts(record).find((t) => t.text === dirty)?.path ?? '?';
  const types = [...new Set(findPii(dirty).map((m) => m.type))];
  throw new AppError(
    'validation',
    `the example from dialogue ${dialogueId} holds personal data (${types.join(', ') || 'PII'}) in ${path}; the set was not written. Redact the dialogue or fix its label, then build again`,
  );
}

/** Customer turns of every case of every frozen suite, indexed for near-duplicate lookups. */
async function suiteNearDuplicateIndex(suites: SuiteRepository, threshold: number): Promise<NearDuplicateIndex> {
  const index = new NearDuplicateIndex(threshold);
  const seen = new Set<string>();
  for (const c of await suites.caseTexts()) {
    if (seen.has(c.dialogue_id)) continue;
    seen.add(c.dialogue_id);
    index.add(c.dialogue_id, customerText(c.history), c.language);
  }
  return index;
}
