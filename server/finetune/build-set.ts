// Builds a versioned fine-tuning set from gold-labeled dialogues of the train split: examples in the
// chosen format, guarded against eval-suite overlap, near duplicates of suite dialogues and surviving
// personal data, split train/val, validated, and described by a data card. The examples are made in
// worker threads (example-builder.ts) from the dialogues as DuckDB writes them out (one JSON text each).
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { loadPromptTemplate } from '../candidates/load-candidate.ts';
import { AppError } from '../domain/errors.ts';
import { Suite } from '../domain/eval.ts';
import { FinetuneFormat, TOKEN_ESTIMATE_HEURISTIC, type Exclusion, type ExclusionReason, type FinetuneCard } from '../domain/finetune.ts';
import { LABEL_SCHEMA_VERSION } from '../domain/label.ts';
import { getSettings } from '../services/settings.ts';
import { splitOf } from '../services/splits.ts';
import type { Database } from '../storage/database.ts';
import { FinetuneSetRepository } from '../storage/finetune-set-repository.ts';
import { FinetuneSourceRepository } from '../storage/finetune-source-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { SuiteRepository } from '../storage/suite-repository.ts';
import { cardMarkdown } from './card.ts';
import { customerText, repeatedTexts, type Outcome, type SourceItem, type SuiteCaseText } from './example-builder.ts';
import { inlinePool, workerPool, type ExamplePool } from './example-pool.ts';
import type { TrainingExample } from './examples.ts';
import { FORMATS } from './formats/registry.ts';
import { copySpooled, removeSpools, type SpooledLine } from './line-spool.ts';
import { validationIds } from './stratified-split.ts';
import { tokenStats } from './validate.ts';

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
  /** Worker threads that make the examples; 0 makes them on the calling thread. Default: one per core (up to 4), none for small sets. */
  workers: z.number().int().min(0).max(16).optional(),
});
export type BuildFinetuneOptions = z.input<typeof BuildFinetuneOptions>;

export interface FinetuneSetResult {
  card: FinetuneCard;
  /** False when the latest version of this name already held exactly these files. */
  created: boolean;
  dir: string;
  /** Where the build's time went: wall seconds and the whole process's CPU seconds (all threads) per phase. */
  phases: BuildPhase[];
}

export interface BuildPhase {
  /** `prepare` (prompt, settings, ids, flags, suites), `examples` (DuckDB reads the dialogues while the workers make the examples), `write` (sort, split, copy out, hash, card). */
  name: 'prepare' | 'examples' | 'write';
  seconds: number;
  cpu_seconds: number;
}

const MAX_EXCLUSION_EXAMPLES = 20;
/** Below this many dialogues, starting worker threads costs more than it saves. */
const INLINE_BELOW = 2_000;
/** Dialogues per batch sent to a worker, and batches in flight per worker (bounds memory). */
const BATCH = 256;
const IN_FLIGHT_PER_WORKER = 2;

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
  const phases: BuildPhase[] = [];
  let mark = { wall: performance.now(), cpu: process.cpuUsage() };
  const phase = (name: BuildPhase['name']) => {
    const cpu = process.cpuUsage(mark.cpu);
    phases.push({ name, seconds: (performance.now() - mark.wall) / 1000, cpu_seconds: (cpu.user + cpu.system) / 1e6 });
    mark = { wall: performance.now(), cpu: process.cpuUsage() };
  };
  const format = FORMATS[o.format];
  const promptPath = o.promptPath ?? DEFAULT_FINETUNE_PROMPT;
  const template = await loadPromptTemplate(promptPath, { root: o.root });

  const { overlap } = await getSettings(db);
  const sources = new FinetuneSourceRepository(db);
  const labeledIds = await sources.labeledIds();
  const flags = await new LabelRepository(db).submittedTurnFlags();
  const suites = new SuiteRepository(db);
  const inSuite = await suites.dialogueIds();
  const suiteTexts = await suiteCaseTexts(suites);
  // Labeled dialogues of the train split only (those without a gold label are dropped in the workers).
  const wanted = labeledIds.filter((id) => splitOf(id) === 'train');

  const dir = resolve(o.out);
  mkdirSync(dir, { recursive: true });
  const workers = o.workers ?? (wanted.length < INLINE_BELOW ? 0 : Math.min(4, availableParallelism()));
  const builderOptions = { format: o.format, template, intent: o.filters.intent, nearDuplicateThreshold: o.nearDuplicateThreshold, overlap, suiteTexts };
  const spoolPath = (i: number) => join(dir, `.examples-${i}.tmp`);
  const pool = workers === 0 ? inlinePool(builderOptions, spoolPath) : workerPool(builderOptions, workers, spoolPath);
  phase('prepare');
  try {
    return await buildInto(dir, pool, Math.max(1, workers) * IN_FLIGHT_PER_WORKER);
  } finally {
    await pool.destroy();
    removeSpools(pool.spools);
  }

  async function buildInto(dir: string, pool: ExamplePool, maxInFlight: number): Promise<FinetuneSetResult> {
    const exclusions: Exclusion[] = [];
    const built: Built[] = [];
    const source = { gold_labeled: 0, in_train_split: 0, considered: 0 };
    const replySources = { logged: 0, reference: 0 };
    const schemaVersions = new Set<number>();
    const warnings: string[] = [];

    const take = (outcomes: Outcome[]) => {
      for (const r of outcomes) {
        if (r.kind === 'no_gold') continue;
        source.gold_labeled++;
        if (r.kind === 'gold_only') continue;
        source.in_train_split++;
        if (r.kind === 'skipped') continue;
        source.considered++;
        if (r.kind === 'excluded') exclusions.push(r.exclusion);
        else {
          if (r.replySource) replySources[r.replySource]++;
          schemaVersions.add(r.schemaVersion);
          if (r.warning) warnings.push(r.warning);
          built.push({ id: r.id, group: r.group, line: r.line, tokens: r.tokens, meta: r.meta });
        }
      }
    };
    const inFlight = new Set<Promise<void>>();
    const dispatch = (items: SourceItem[]) => {
      const done: Promise<void> = pool.run(items).then(take);
      done.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
      inFlight.add(done);
      void done.finally(() => inFlight.delete(done)).catch(() => undefined);
    };

    const filters = { language: o.filters.language, channel: o.filters.channel, from: o.filters.from, to: o.filters.to };
    let batch: SourceItem[] = [];
    const add = async (item: SourceItem) => {
      batch.push(item);
      if (batch.length < BATCH) return;
      dispatch(batch);
      batch = [];
      while (inFlight.size >= maxInFlight) await Promise.race(inFlight);
    };
    const streamed = new Set<string>();
    for await (const page of sources.documents(filters, wanted)) {
      for (const doc of page) {
        streamed.add(doc.id);
        await add({ json: doc.json, flags: flags.get(doc.id), inSuite: inSuite.has(doc.id) });
      }
    }
    // The card counts every gold-labeled dialogue, of any split, filtered in or not.
    for await (const page of sources.labelDocuments(labeledIds.filter((id) => !streamed.has(id)))) {
      for (const doc of page) await add({ json: doc.json, labelsOnly: true });
    }
    if (batch.length > 0) dispatch(batch);
    await Promise.all(inFlight);
    await pool.finish();
    phase('examples');

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
      const repeated = repeatedTexts(template);
      copySpooled(trainTmp, train.map((b) => b.line), pool.spools, hash, repeated);
      copySpooled(valTmp, built.filter((b) => val.has(b.id)).map((b) => b.line), pool.spools, hash, repeated);
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
      tokens: { ...tokenStats(built.map((b) => b.tokens)), estimate: TOKEN_ESTIMATE_HEURISTIC },
      exclusions: { total: exclusions.length, by_reason: byReason, examples: exclusions.slice(0, MAX_EXCLUSION_EXAMPLES) },
      warnings: warnings.slice(0, 50),
    };
    renameSync(trainTmp, join(dir, 'train.jsonl'));
    renameSync(valTmp, join(dir, 'val.jsonl'));
    writeFileSync(join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
    writeFileSync(join(dir, 'card.md'), cardMarkdown(card));
    if (created) await sets.insert(card, dir);
    phase('write');
    return { card, created, dir, phases };
  }
}

function summarise(exclusions: readonly Exclusion[]): string {
  const counts = new Map<string, number>();
  for (const e of exclusions) counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${r} ${n}`).join(', ') || 'none';
}

/** Customer turns of every case of every frozen suite, once per dialogue, for the near-duplicate index. */
async function suiteCaseTexts(suites: SuiteRepository): Promise<SuiteCaseText[]> {
  const seen = new Set<string>();
  const texts: SuiteCaseText[] = [];
  for (const c of await suites.caseTexts()) {
    if (seen.has(c.dialogue_id)) continue;
    seen.add(c.dialogue_id);
    texts.push({ dialogue_id: c.dialogue_id, text: customerText(c.history), language: c.language });
  }
  return texts;
}
