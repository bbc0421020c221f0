// Learned whole-dialogue scorers per store: which model scores (the latest fitted on this store,
// else the built-in), and `scorers fit`: every gold label and logged outcome turned into training
// labels, one fit per target and language, stored as a new version when it has enough labels.
import { availableParallelism } from 'node:os';
import { LANGUAGES, type Dialogue, type Language } from '../domain/dialogue.ts';
import { usageError } from '../domain/errors.ts';
import type { GoldLabel } from '../domain/label.ts';
import { loadBuiltinModels } from '../learn/builtin-models.ts';
import type { LearnedModels } from '../learn/dialogue-scorer.ts';
import { DEFAULT_MIN_PER_SIDE, fitFeatureSpec, fitLabeledInWorkers, hashLabeledDialogues, countLabels, type FitJob, type FitLabeledReport, type LabeledDialogue } from '../learn/fit-labeled.ts';
import { SCORER_TARGETS, type LearnedModel, type ScorerTarget } from '../learn/learned-model.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { FcrEstimateRepository } from '../storage/fcr-estimate-repository.ts';
import { ScorerModelRepository } from '../storage/scorer-model-repository.ts';
import { goldLabelsById } from './gold-labels.ts';

/** `latest` (default: the newest fitted per scorer and language, else built-in), `builtin`, or a model id. */
export type ScorerModelSelector = 'latest' | 'builtin' | (string & {});

/** Weight of a label inferred by FCR-from-logs (a repeat contact), next to 1 for a person's label or a logged outcome. */
export const WEAK_LABEL_WEIGHT = 0.3;

export interface ResolvedScorerModels {
  models: LearnedModels;
  /** Per language and target: `builtin` or the stored model's id. */
  sources: Partial<Record<Language, Partial<Record<ScorerTarget, string>>>>;
}

export async function resolveScorerModels(db: Database, selector: ScorerModelSelector = 'latest', builtin: LearnedModels = loadBuiltinModels()): Promise<ResolvedScorerModels> {
  const resolved: ResolvedScorerModels = { models: {}, sources: {} };
  const put = (language: Language, target: ScorerTarget, model: LearnedModel, source: string) => {
    (resolved.models[language] ??= {})[target] = model;
    (resolved.sources[language] ??= {})[target] = source;
  };
  for (const language of LANGUAGES) for (const [target, model] of Object.entries(builtin[language] ?? {})) put(language, target as ScorerTarget, model, 'builtin');
  if (selector === 'builtin') return resolved;
  const repo = new ScorerModelRepository(db);
  for (const stored of await repo.latest()) put(stored.language, stored.target, (await repo.load(stored.id))!, stored.id);
  if (selector !== 'latest') {
    const pinned = await repo.get(selector);
    if (!pinned) {
      const ids = (await repo.list()).map((m) => m.id);
      throw usageError(`no scorer model "${selector}": use latest, builtin${ids.length > 0 ? ` or one of ${ids.join(', ')}` : ' (no model has been fitted on this store: firstcall scorers fit)'}`);
    }
    put(pinned.language, pinned.target, (await repo.load(pinned.id))!, pinned.id);
  }
  return resolved;
}

export type LabeledByTarget = Record<Language, Record<ScorerTarget, LabeledDialogue[]>>;

const rating = (r: number) => (r - 1) / 4;

/** A dialogue's training labels, one per target it has a judgement for (strongest source first). */
export function labelsOf(
  dialogue: Pick<Dialogue, 'id' | 'language' | 'turns' | 'outcome'>,
  gold: Pick<GoldLabel, 'fcr' | 'tone' | 'accuracy' | 'csat'> | undefined,
  estimate: { value: 'yes' | 'no' | 'unclear'; repeat_dialogue_id: string | null } | undefined,
): Partial<Record<ScorerTarget, LabeledDialogue>> {
  const base = { id: dialogue.id, language: dialogue.language, turns: dialogue.turns };
  const out: Partial<Record<ScorerTarget, LabeledDialogue>> = {};
  const outcome = dialogue.outcome ?? {};
  const binary = (value: boolean, weight: number, source: LabeledDialogue['source']): LabeledDialogue => ({ ...base, label: value ? 1 : 0, weight, positive: value, graded: value ? 1 : 0, source });
  if (gold?.fcr === 'yes' || gold?.fcr === 'no') out.fcr = binary(gold.fcr === 'yes', 1, 'gold');
  else if (outcome.escalated === true || outcome.resolved === false) out.fcr = binary(false, 1, 'outcome');
  else if (outcome.resolved === true) {
    // A repeat contact about the same intent within the window says it was not resolved on first
    // contact after all; an inferred label, so a weak one.
    out.fcr = estimate?.value === 'no' && estimate.repeat_dialogue_id !== null ? binary(false, WEAK_LABEL_WEIGHT, 'fcr_estimate') : binary(true, 1, 'outcome');
  }
  const csat = outcome.csat ?? gold?.csat ?? null;
  if (csat !== null) out.csat = { ...base, label: rating(csat), weight: 1, positive: csat >= 4, graded: csat, source: outcome.csat !== undefined ? 'outcome' : 'reviewer_csat' };
  if (gold?.tone != null) out.tone = { ...base, label: rating(gold.tone), weight: 1, positive: gold.tone >= 4, graded: gold.tone, source: 'gold' };
  if (gold?.accuracy != null) {
    const value = { incorrect: 0, partial: 0.5, correct: 1 }[gold.accuracy];
    out.accuracy = { ...base, label: value, weight: 1, positive: value === 1, graded: value, source: 'gold' };
  }
  return out;
}

/** Every training label in the store, by language and target. */
export async function collectLabeledDialogues(db: Database): Promise<LabeledByTarget> {
  const gold = await goldLabelsById(db);
  const estimates = await new FcrEstimateRepository(db).decided();
  const out = Object.fromEntries(LANGUAGES.map((l) => [l, Object.fromEntries(SCORER_TARGETS.map((t) => [t, [] as LabeledDialogue[]]))])) as LabeledByTarget;
  for await (const page of new DialogueRepository(db).all()) {
    for (const d of page) {
      const labels = labelsOf(d, gold.get(d.id), estimates.get(d.id));
      for (const [target, label] of Object.entries(labels)) out[d.language][target as ScorerTarget].push(label);
    }
  }
  return out;
}

export interface FitScorersOptions {
  targets?: readonly ScorerTarget[];
  languages?: readonly Language[];
  minPerSide?: number;
  /** Fine-tune from the model it would replace (default) or fit from scratch. */
  warmStart?: boolean;
  /** The built-in models (injectable: benchmarks use ones trained on another domain). */
  builtin?: LearnedModels;
  /** Worker threads for the fits (one language each); default 2 (at most the cores) from 4,000 labels, else 1. */
  threads?: number;
}

export interface FitScorersResult {
  target: ScorerTarget;
  language: Language;
  report: Omit<FitLabeledReport, 'model'>;
  /** The model that scores this target and language after the fit. */
  in_use: string;
  stored: string | null;
}

/** Labels (all targets and languages) from which fits run on worker threads, one language per thread. */
export const FIT_THREADS_MIN_LABELS = 4000;

export async function fitScorers(db: Database, options: FitScorersOptions = {}): Promise<FitScorersResult[]> {
  const builtin = options.builtin ?? loadBuiltinModels();
  const repo = new ScorerModelRepository(db);
  const latest = new Map((await repo.latest()).map((m) => [`${m.language}/${m.target}`, m]));
  const data = await collectLabeledDialogues(db);
  // Which fits to run; the results keep this order (and so do the stored versions).
  const slots: Array<{ result: FitScorersResult } | { job: FitJob; current: { name: string } | null; inUse: string; group: number; at: number }> = [];
  // Fits on the same dialogues with the same features go to the same thread (extracted once there).
  const groupOf = new Map<string, number>();
  const groups: FitJob[][] = [];
  for (const language of options.languages ?? LANGUAGES) {
    for (const target of options.targets ?? SCORER_TARGETS) {
      const examples = data[language][target];
      const stored = latest.get(`${language}/${target}`);
      const builtinModel = builtin[language]?.[target];
      const current = stored ? { name: stored.id, model: (await repo.load(stored.id))! } : builtinModel ? { name: 'builtin', model: builtinModel } : null;
      const inUse = current?.name ?? 'none';
      if (examples.length === 0) {
        slots.push({ result: { target, language, report: emptyReport(target, language, examples, current?.name ?? null, 'no labels for this target and language'), in_use: inUse, stored: null } });
        continue;
      }
      if (stored && stored.data_sha256 === hashLabeledDialogues(examples)) {
        slots.push({ result: { target, language, report: emptyReport(target, language, examples, stored.id, `unchanged: ${stored.id} was fitted on exactly these labels`), in_use: inUse, stored: null } });
        continue;
      }
      const job: FitJob = {
        examples,
        options: { target, language, warmStart: options.warmStart ?? true, minPerSide: options.minPerSide ?? DEFAULT_MIN_PER_SIDE },
        current: current === null ? null : { name: current.name, file: current.model.file },
      };
      const warm = (options.warmStart ?? true) && current !== null ? current.model : null;
      const key = `${language} ${JSON.stringify(fitFeatureSpec(target, language, warm))}`;
      if (!groupOf.has(key)) groupOf.set(key, groups.push([]) - 1);
      const group = groups[groupOf.get(key)!]!;
      slots.push({ job, current, inUse, group: groupOf.get(key)!, at: group.length });
      group.push(job);
    }
  }
  const labels = groups.reduce((n, g) => n + g.reduce((m, j) => m + j.examples.length, 0), 0);
  const threads = options.threads ?? (labels >= FIT_THREADS_MIN_LABELS ? Math.min(2, availableParallelism()) : 1);
  const fitted = await fitLabeledInWorkers(groups, threads);
  const results: FitScorersResult[] = [];
  for (const slot of slots) {
    if ('result' in slot) {
      results.push(slot.result);
      continue;
    }
    const { model, ...report } = fitted[slot.group]![slot.at]!;
    const { target, language } = slot.job.options;
    let storedId: string | null = null;
    if (report.store && model) {
      const card = { labels: report.labels, cv: report.cv, l2: report.l2, warm_start: report.warm_start, replaced: slot.current?.name ?? null, reason: report.reason, seconds: report.seconds };
      storedId = (await repo.add(model, { data_sha256: report.data_sha256, labels: report.labels.total, warm_start: report.warm_start, card })).id;
    }
    results.push({ target, language, report, in_use: storedId ?? slot.inUse, stored: storedId });
  }
  return results;
}

function emptyReport(target: ScorerTarget, language: Language, examples: readonly LabeledDialogue[], current: string | null, reason: string): Omit<FitLabeledReport, 'model'> {
  const none = { n: 0, auc: null, spearman: null };
  return {
    target,
    language,
    labels: countLabels(examples),
    data_sha256: hashLabeledDialogues(examples),
    cv: { folds: 0, fitted: null, current: current === null ? null : { name: current, ...none }, baselines: { reply_length: none, no_handoff: none } },
    l2: null,
    warm_start: null,
    enough_labels: false,
    store: false,
    reason,
    seconds: 0,
  };
}

