// Intents for every dialogue: the classifier fitted per language on the intents the store already
// knows (gold labels, then logged metadata, then named topics), assignment of an intent with a
// confidence to every other dialogue (production traffic included), topic discovery among the
// dialogues no known intent covers, and naming a topic (it joins the taxonomy and labels its members).
import { createHash } from 'node:crypto';
import { LANGUAGES, type Language } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { DialogueIntent, IntentSource, NameTopicBody, NameTopicResult, Topic, TopicList } from '../domain/insights.ts';
import { NewIntentKey, type ApiKeyInfo } from '../domain/label.ts';
import { fitIntentModel, IntentClassifier, intentCounts, type IntentCrossValidation, type IntentExample } from '../insights/intent-classifier.ts';
import { customerText, snippet } from '../insights/intent-features.ts';
import { DEFAULT_DISCOVERY_OPTIONS, discoverTopics as clusterTopics, type DiscoveryOptions } from '../insights/topic-discovery.ts';
import type { Database } from '../storage/database.ts';
import { DialogueIntentRepository } from '../storage/dialogue-intent-repository.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { IntentModelRepository } from '../storage/intent-model-repository.ts';
import { IntentRepository } from '../storage/intent-repository.ts';
import { TopicRepository } from '../storage/topic-repository.ts';
import { goldLabelsById } from './gold-labels.ts';

/** Sources of a known intent, strongest first (the classifier's guesses are never training data). */
type KnownSource = Exclude<IntentSource, 'classifier'>;

interface StoredDialogueText {
  id: string;
  language: Language;
  text: string;
  known: { intent: string; source: KnownSource } | null;
}

/** Every dialogue's customer text, with the intent the store knows for it (label > metadata > topic). */
async function dialogueTexts(db: Database): Promise<StoredDialogueText[]> {
  const gold = await goldLabelsById(db);
  const topics = new Map((await new DialogueIntentRepository(db).bySource('topic')).map((r) => [r.dialogue_id, r.intent]));
  const out: StoredDialogueText[] = [];
  for await (const page of new DialogueRepository(db).all()) {
    for (const d of page) {
      const label = gold.get(d.id)?.intent ?? null;
      const meta = typeof d.metadata?.intent === 'string' && d.metadata.intent.trim() !== '' ? d.metadata.intent.trim() : null;
      const topic = topics.get(d.id) ?? null;
      const known = label !== null ? { intent: label, source: 'label' as const } : meta !== null ? { intent: meta, source: 'metadata' as const } : topic !== null ? { intent: topic, source: 'topic' as const } : null;
      out.push({ id: d.id, language: d.language, text: customerText(d), known });
    }
  }
  return out;
}

export interface FitIntentsOptions {
  languages?: readonly Language[];
  folds?: number;
  /** Intents with fewer examples are left out of the classifier (and reported). */
  minPerIntent?: number;
}

export interface FitIntentsResult {
  language: Language;
  examples: number;
  by_source: Partial<Record<KnownSource, number>>;
  intents: Array<{ intent: string; examples: number }>;
  /** Intents with too few examples to learn (left out). */
  dropped: Array<{ intent: string; examples: number }>;
  cv: Omit<IntentCrossValidation, 'outOfFold'> | null;
  stored: string | null;
  reason: string;
  seconds: number;
}

export const DEFAULT_MIN_PER_INTENT = 3;

/** Fits one classifier per language on the store's known intents; stores a new version when it has two intents or more. */
export async function fitIntents(db: Database, options: FitIntentsOptions = {}): Promise<FitIntentsResult[]> {
  const minPerIntent = options.minPerIntent ?? DEFAULT_MIN_PER_INTENT;
  const texts = await dialogueTexts(db);
  const repo = new IntentModelRepository(db);
  const results: FitIntentsResult[] = [];
  for (const language of options.languages ?? LANGUAGES) {
    const started = performance.now();
    const known = texts.filter((t) => t.language === language && t.known !== null && t.text !== '');
    const bySource: FitIntentsResult['by_source'] = {};
    for (const t of known) bySource[t.known!.source] = (bySource[t.known!.source] ?? 0) + 1;
    const counts = intentCounts(known.map((t) => ({ intent: t.known!.intent })));
    const kept = counts.filter((c) => c.examples >= minPerIntent);
    const dropped = counts.filter((c) => c.examples < minPerIntent);
    const keep = new Set(kept.map((c) => c.intent));
    const examples: IntentExample[] = known.filter((t) => keep.has(t.known!.intent)).map((t) => ({ id: t.id, text: t.text, intent: t.known!.intent }));
    const base = { language, examples: examples.length, by_source: bySource, intents: kept, dropped };
    if (kept.length < 2) {
      results.push({ ...base, cv: null, stored: null, reason: `needs two intents with at least ${minPerIntent} examples each (has ${kept.length})`, seconds: 0 });
      continue;
    }
    const { classifier, cv } = fitIntentModel(examples, language, { folds: options.folds ?? 5 });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    const card = { examples: examples.length, by_source: bySource, cv, dropped, min_per_intent: minPerIntent, calibration: classifier.file.calibration, seconds };
    const stored = await repo.add(language, { labels: kept, model: classifier.file, card });
    results.push({ ...base, cv, stored: stored.id, reason: `stored ${stored.id}`, seconds });
  }
  return results;
}

/** The newest classifier per language, loaded. */
async function latestClassifiers(db: Database): Promise<Map<Language, { id: string; classifier: IntentClassifier }>> {
  const repo = new IntentModelRepository(db);
  const out = new Map<Language, { id: string; classifier: IntentClassifier }>();
  for (const m of await repo.latest()) out.set(m.language, { id: m.id, classifier: IntentClassifier.fromJson(await repo.modelFile(m.id)) });
  return out;
}

export interface AssignIntentsOptions {
  /** Below this confidence the classifier's guess is not kept: the dialogue's intent stays null (unknown). */
  minConfidence?: number;
}

export interface AssignIntentsResult {
  language: Language;
  model: string | null;
  dialogues: number;
  by_source: Record<IntentSource, number>;
  /** Classified, but below the threshold: intent null. */
  below_threshold: number;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** Gives every dialogue an intent with a confidence: a label or the metadata wins, then a named topic, then the classifier. */
export async function assignIntents(db: Database, options: AssignIntentsOptions = {}): Promise<AssignIntentsResult[]> {
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const models = await latestClassifiers(db);
  const texts = await dialogueTexts(db);
  const rows: Array<Omit<DialogueIntent, 'assigned_at'>> = [];
  const summary = new Map<Language, AssignIntentsResult>();
  for (const language of LANGUAGES) {
    summary.set(language, { language, model: models.get(language)?.id ?? null, dialogues: 0, by_source: { label: 0, metadata: 0, topic: 0, classifier: 0 }, below_threshold: 0 });
  }
  const topicIds = new Map((await new DialogueIntentRepository(db).bySource('topic')).map((r) => [r.dialogue_id, r.model_id]));
  for (const t of texts) {
    const s = summary.get(t.language)!;
    s.dialogues++;
    if (t.known !== null) {
      rows.push({ dialogue_id: t.id, intent: t.known.intent, confidence: 1, source: t.known.source, model_id: t.known.source === 'topic' ? (topicIds.get(t.id) ?? null) : null });
      s.by_source[t.known.source]++;
      continue;
    }
    const model = models.get(t.language);
    const prediction = model && t.text !== '' ? model.classifier.predict(t.text) : null;
    const kept = prediction !== null && prediction.confidence >= minConfidence;
    rows.push({ dialogue_id: t.id, intent: kept ? prediction.intent : null, confidence: prediction?.confidence ?? 0, source: 'classifier', model_id: model?.id ?? null });
    s.by_source.classifier++;
    if (!kept) s.below_threshold++;
  }
  await new DialogueIntentRepository(db).putMany(rows);
  return [...summary.values()];
}

export interface DiscoverTopicsOptions extends Partial<Pick<DiscoveryOptions, 'seed' | 'ks' | 'minClusterSize'>> {
  languages?: readonly Language[];
  /** Dialogues the classifier gives less than this confidence count as uncovered. */
  threshold?: number;
}

export interface DiscoverTopicsResult {
  language: Language;
  /** Dialogues no known intent covers (no label, metadata or topic, and the classifier below the threshold). */
  uncovered: number;
  model: string | null;
  k: number;
  silhouettes: Array<{ k: number; silhouette: number; coverage: number; score: number }>;
  topics: Topic[];
}

/** Clusters the uncovered dialogues of each language into candidate topics (replacing the open candidates). */
export async function discoverTopics(db: Database, options: DiscoverTopicsOptions = {}): Promise<DiscoverTopicsResult[]> {
  const threshold = options.threshold ?? DEFAULT_MIN_CONFIDENCE;
  const models = await latestClassifiers(db);
  const texts = await dialogueTexts(db);
  const repo = new TopicRepository(db);
  const results: DiscoverTopicsResult[] = [];
  for (const language of options.languages ?? LANGUAGES) {
    const model = models.get(language);
    const uncovered = texts.filter((t) => t.language === language && t.known === null && t.text !== '' && (model === undefined || model.classifier.predict(t.text).confidence < threshold));
    const found = clusterTopics(
      uncovered.map((t) => ({ id: t.id, text: t.text })),
      language,
      { seed: options.seed ?? DEFAULT_DISCOVERY_OPTIONS.seed, ks: options.ks ?? DEFAULT_DISCOVERY_OPTIONS.ks, minClusterSize: options.minClusterSize ?? DEFAULT_DISCOVERY_OPTIONS.minClusterSize },
    );
    const topics = await repo.replaceCandidates(
      language,
      found.topics.map((t) => ({
        id: topicId(language, t.members),
        language,
        size: t.members.length,
        key_terms: t.keyTerms,
        examples: t.examples.map((e) => ({ dialogue_id: e.id, text: snippet(e.text) })),
        members: t.members,
      })),
    );
    results.push({ language, uncovered: uncovered.length, model: model?.id ?? null, k: found.k, silhouettes: found.silhouettes, topics });
  }
  return results;
}

/** The same members give the same id, so rediscovering a topic does not duplicate it. */
function topicId(language: Language, members: readonly string[]): string {
  return `topic-${language}-${createHash('sha256').update([...members].sort().join('\n')).digest('hex').slice(0, 12)}`;
}

/**
 * A key already in the taxonomy keeps its spelling (a data set's CamelCase, e.g. DSTC11's
 * CheckCreditCardBalance); a key that would join it must be a NewIntentKey (no capitals): 400 otherwise.
 */
export function assertKnownOrNewIntent(key: string, known: ReadonlySet<string>): void {
  if (known.has(key)) return;
  const fresh = NewIntentKey.safeParse(key);
  if (!fresh.success) throw new AppError('validation', `intent: ${fresh.error.issues[0]!.message}`);
}

/** Topics for the team, newest first. */
export async function listTopics(db: Database): Promise<TopicList> {
  return { topics: await new TopicRepository(db).list() };
}

/**
 * Names a candidate topic: the intent joins the taxonomy (with its display names), and every member
 * dialogue without a label or metadata intent gets it, source `topic` (the next `intents fit` learns it).
 */
export async function nameTopic(db: Database, id: string, body: NameTopicBody, by: string): Promise<NameTopicResult> {
  const topics = new TopicRepository(db);
  const topic = await topics.get(id);
  if (!topic) throw new AppError('not_found', `no topic ${id}`);
  if (topic.status !== 'candidate') throw new AppError('conflict', `topic ${id} is ${topic.status}${topic.named_intent ? ` (${topic.named_intent})` : ''}, not a candidate`);
  const taxonomy = new IntentRepository(db);
  assertKnownOrNewIntent(body.intent, new Set((await taxonomy.list()).map((i) => i.key)));
  await taxonomy.upsert(body.intent, by, body.names ?? null);
  const members = await topics.members(id);
  const gold = await goldLabelsById(db);
  const intents = new DialogueIntentRepository(db);
  const withMetadata = await intents.metadataIntents(members);
  const unlabeled = members.filter((m) => !gold.get(m)?.intent && !withMetadata.has(m));
  await intents.putMany(unlabeled.map((dialogue_id) => ({ dialogue_id, intent: body.intent, confidence: 1, source: 'topic' as const, model_id: id })));
  const named = await topics.setStatus(id, 'named', body.intent);
  return { topic: named!, labeled: unlabeled.length };
}

/** What the HTTP routes call. */
export class TopicService {
  constructor(private readonly db: Database) {}

  list(): Promise<TopicList> {
    return listTopics(this.db);
  }

  name(id: string, body: NameTopicBody, viewer: ApiKeyInfo): Promise<NameTopicResult> {
    return nameTopic(this.db, id, body, viewer.name);
  }
}
