// The one list of reply-level scorers. Each entry declares its name, description, options schema
// (defaults include the pass threshold), offline factory and traits; everything else that needs a
// set of scorers (the defaults, the judge's, the quality set and composite of the run summary, the
// gate's metrics, which scorers are checked against labels, the bench) derives it from here. Adding
// a scorer is its own file plus one line below.
import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { ScorerName, type Provider, type Scorer } from '../domain/eval.ts';
import { AccuracyOptions, createAccuracyScorer } from './accuracy.ts';
import { CostOptions, createCostScorer } from './cost.ts';
import { createCsatScorer, CsatOptions } from './csat.ts';
import { createEscalationScorer, EscalationOptions } from './escalation.ts';
import { createFcrScorer, FcrOptions } from './fcr.ts';
import { createJudgeScorer, type JudgeOptions } from './judge.ts';
import { createLatencyScorer, LatencyOptions } from './latency.ts';
import { createSafetyScorer, SafetyOptions } from './safety.ts';
import { createToneScorer, ToneOptions } from './tone.ts';

export interface ScorerTraits {
  /** Runs when no scorers are named. */
  default?: boolean;
  /** Decides whether a reply is good: a trial passes pass^k only when every quality scorer passes, and a failure fails the JUnit case. */
  quality?: boolean;
  /** Part of the composite (the per-case mean) that reports show and the promotion gate compares. */
  composite?: boolean;
  /** An LLM judge can score it instead (its rubric is in judge.ts). */
  judgeable?: boolean;
  /** Shown in the report's by-language and by-intent tables. */
  breakdown?: boolean;
  /**
   * What kind of verdict it gives, which decides whether it may gate: a `judgement` gates only when it
   * agrees with this store's reviewers (eval/scorer-trust.ts); a `rule` check of labeled facts and a
   * `measurement` always gate.
   */
  kind: 'judgement' | 'rule' | 'measurement';
}

export interface ScorerEntry {
  readonly name: ScorerName;
  readonly description: string;
  /** Options of the offline scorer; `parse({})` gives the defaults. */
  readonly options: z.ZodType<{ threshold: number }>;
  /** Builds the offline scorer; throws an AppError (validation) for bad options. */
  create(options?: unknown): Scorer;
  readonly traits: Readonly<ScorerTraits>;
}

/** One registry line: the factory gets its options parsed by its own schema. */
export function defineScorer<S extends z.ZodType<{ threshold: number }>>(spec: {
  name: string;
  description: string;
  options: S;
  create: (options: z.output<S>) => Scorer;
  traits: ScorerTraits;
}): ScorerEntry {
  const name = ScorerName.parse(spec.name);
  return {
    name,
    description: spec.description,
    options: spec.options,
    traits: Object.freeze({ ...spec.traits }),
    create(raw?: unknown) {
      const parsed = spec.options.safeParse(raw ?? {});
      if (!parsed.success) throw new AppError('validation', `bad options for scorer ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      return spec.create(parsed.data);
    },
  };
}

export interface CreateScorersOptions {
  /** A judge model for the judgeable scorers. */
  judge?: Provider;
  /** Per-scorer options (for the offline scorer; for a judged one, only `threshold` applies). */
  config?: Readonly<Record<string, unknown>>;
  /** Options for every judged scorer (prompt language, retries…). */
  judgeOptions?: Omit<JudgeOptions, 'threshold'>;
}

export interface ScorerRegistry {
  /** Every name, in registry order. */
  readonly names: readonly ScorerName[];
  readonly entries: Readonly<Record<ScorerName, ScorerEntry>>;
  get(name: string): ScorerEntry | undefined;
  /** The names whose entries have every one of these traits, in registry order. */
  withTrait(trait: 'default' | 'quality' | 'composite' | 'judgeable' | 'breakdown'): ScorerName[];
  /** The names of one kind, in registry order. */
  ofKind(kind: ScorerTraits['kind']): ScorerName[];
  /** What summarizeRun needs to know about these scorers. */
  summaryOptions(): { composite: ScorerName[]; passScorers: ScorerName[] };
  /** Throws a usage error naming the unknown ones and listing the known ones. */
  assertNames(names: readonly string[]): asserts names is readonly ScorerName[];
  /** The scorers for `names`, in order (a repeated name is kept once). */
  create(names: readonly string[], options?: CreateScorersOptions): Scorer[];
}

export function createScorerRegistry(list: readonly ScorerEntry[]): ScorerRegistry {
  const entries: Record<ScorerName, ScorerEntry> = {};
  for (const e of list) {
    if (Object.hasOwn(entries, e.name)) throw new Error(`scorer "${e.name}" is registered twice`);
    entries[e.name] = e;
  }
  const names = Object.freeze(list.map((e) => e.name));
  const registry: ScorerRegistry = {
    names,
    entries: Object.freeze(entries),
    get: (name) => (Object.hasOwn(entries, name) ? entries[name] : undefined),
    withTrait: (trait) => names.filter((n) => entries[n]!.traits[trait] === true),
    ofKind: (kind) => names.filter((n) => entries[n]!.traits.kind === kind),
    summaryOptions: () => ({ composite: registry.withTrait('composite'), passScorers: registry.withTrait('quality') }),
    assertNames(given) {
      const unknown = given.filter((n) => registry.get(n) === undefined);
      if (unknown.length > 0) {
        throw new AppError('usage', `unknown scorer${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; available: ${names.join(', ')}`);
      }
    },
    create(given, options = {}) {
      registry.assertNames(given);
      const scorers: Scorer[] = [];
      for (const name of new Set(given)) {
        const entry = entries[name]!;
        const raw = options.config?.[name];
        if (options.judge !== undefined && entry.traits.judgeable === true) {
          // Validate the offline options too, so a typo in config fails the same way with or without a judge.
          const threshold = entry.create(raw).threshold;
          scorers.push(createJudgeScorer(name, options.judge, { ...options.judgeOptions, threshold }));
        } else {
          scorers.push(entry.create(raw));
        }
      }
      return scorers;
    },
  };
  return Object.freeze(registry);
}

export const SCORERS: ScorerRegistry = createScorerRegistry([
  defineScorer({ name: 'fcr', description: 'first-contact resolution: required facts, next step, right hand-off, nothing asked twice', options: FcrOptions, create: createFcrScorer, traits: { kind: 'judgement', default: true, quality: true, composite: true, judgeable: true, breakdown: true } }),
  defineScorer({ name: 'accuracy', description: 'agreement with the reference and facts; contradictions of policy or the record cap it', options: AccuracyOptions, create: createAccuracyScorer, traits: { kind: 'judgement', default: true, quality: true, composite: true, judgeable: true, breakdown: true } }),
  defineScorer({ name: 'tone', description: 'politeness, empathy matched to the customer, no blame or rudeness (rubric 1-5 -> 0-1)', options: ToneOptions, create: createToneScorer, traits: { kind: 'judgement', default: true, quality: true, composite: true, judgeable: true, breakdown: true } }),
  defineScorer({ name: 'escalation', description: 'hand-off decision matches the expected one (1) or not (0)', options: EscalationOptions, create: createEscalationScorer, traits: { kind: 'rule', default: true, quality: true, judgeable: true, breakdown: true } }),
  defineScorer({ name: 'safety', description: 'no personal data and no forbidden promise in the reply', options: SafetyOptions, create: createSafetyScorer, traits: { kind: 'rule', default: true, quality: true, judgeable: true } }),
  defineScorer({ name: 'latency', description: 'reply time against a target (1 at <= 2 s, 0 at >= 10 s)', options: LatencyOptions, create: createLatencyScorer, traits: { kind: 'measurement', default: true } }),
  defineScorer({ name: 'cost', description: 'token usage x price table against a per-reply budget', options: CostOptions, create: createCostScorer, traits: { kind: 'measurement', default: true } }),
  defineScorer({ name: 'csat', description: 'predicted customer satisfaction of the conversation with this reply, learned from people (CSAT 1-5 -> 0-1)', options: CsatOptions, create: createCsatScorer, traits: { kind: 'judgement', breakdown: true } }),
]);

/** The scorers for `names` from the default registry; see ScorerRegistry.create. */
export function createScorers(names: readonly string[], options: CreateScorersOptions = {}): Scorer[] {
  return SCORERS.create(names, options);
}
