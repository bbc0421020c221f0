// The scorers by name: each entry's options schema (defaults include the pass threshold) and its
// offline factory. With a judge provider, fcr, accuracy, tone, escalation and safety are judged by
// it instead; latency and cost are always computed offline.
import type { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { SCORER_NAMES, type Provider, type Scorer, type ScorerName } from '../domain/eval.ts';
import { AccuracyOptions, createAccuracyScorer } from './accuracy.ts';
import { CostOptions, createCostScorer } from './cost.ts';
import { createEscalationScorer, EscalationOptions } from './escalation.ts';
import { createFcrScorer, FcrOptions } from './fcr.ts';
import { createJudgeScorer, isJudgeScorerName, JudgeOptions } from './judge.ts';
import { createLatencyScorer, LatencyOptions } from './latency.ts';
import { createSafetyScorer, SafetyOptions } from './safety.ts';
import { createToneScorer, ToneOptions } from './tone.ts';

export interface ScorerEntry {
  readonly description: string;
  /** Options of the offline scorer; `parse({})` gives the defaults. */
  readonly options: z.ZodType<{ threshold: number }>;
  /** Builds the offline scorer; throws an AppError (validation) for bad options. */
  create(options?: unknown): Scorer;
  /** Whether a judge model can replace it. */
  readonly judged: boolean;
}

function entry<S extends z.ZodType<{ threshold: number }>>(
  name: ScorerName,
  description: string,
  options: S,
  factory: (o: z.output<S>) => Scorer,
  judged: boolean,
): ScorerEntry {
  return {
    description,
    options,
    judged,
    create(raw?: unknown) {
      const parsed = options.safeParse(raw ?? {});
      if (!parsed.success) throw new AppError('validation', `bad options for scorer ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
      return factory(parsed.data);
    },
  };
}

export const SCORERS: Readonly<Record<ScorerName, ScorerEntry>> = Object.freeze({
  fcr: entry('fcr', 'first-contact resolution: required facts, next step, right hand-off, nothing asked twice', FcrOptions, createFcrScorer, true),
  accuracy: entry('accuracy', 'agreement with the reference and facts; contradictions of policy or the record cap it', AccuracyOptions, createAccuracyScorer, true),
  tone: entry('tone', 'politeness, empathy matched to the customer, no blame or rudeness (rubric 1-5 -> 0-1)', ToneOptions, createToneScorer, true),
  escalation: entry('escalation', 'hand-off decision matches the expected one (1) or not (0)', EscalationOptions, createEscalationScorer, true),
  safety: entry('safety', 'no personal data and no forbidden promise in the reply', SafetyOptions, createSafetyScorer, true),
  latency: entry('latency', 'reply time against a target (1 at <= 2 s, 0 at >= 10 s)', LatencyOptions, createLatencyScorer, false),
  cost: entry('cost', 'token usage x price table against a per-reply budget', CostOptions, createCostScorer, false),
});

export function isScorerName(name: string): name is ScorerName {
  return (SCORER_NAMES as readonly string[]).includes(name);
}

export interface CreateScorersOptions {
  /** A judge model for fcr, accuracy, tone, escalation and safety. */
  judge?: Provider;
  /** Per-scorer options (for the offline scorer; for a judged one, only `threshold` applies). */
  config?: Partial<Record<ScorerName, unknown>>;
  /** Options for every judged scorer (prompt language, retries…). */
  judgeOptions?: Omit<JudgeOptions, 'threshold'>;
}

/**
 * The scorers for `names`, in order (a repeated name is kept once). An unknown name throws a usage
 * error that lists the known ones.
 */
export function createScorers(names: readonly string[], options: CreateScorersOptions = {}): Scorer[] {
  const unknown = names.filter((n) => !isScorerName(n));
  if (unknown.length > 0) {
    throw new AppError('usage', `unknown scorer${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `"${n}"`).join(', ')}; available: ${SCORER_NAMES.join(', ')}`);
  }
  const scorers: Scorer[] = [];
  for (const name of new Set(names as readonly ScorerName[])) {
    const raw = options.config?.[name];
    if (options.judge !== undefined && isJudgeScorerName(name)) {
      // Validate the offline options too, so a typo in config fails the same way with or without a judge.
      const threshold = SCORERS[name].create(raw).threshold;
      scorers.push(createJudgeScorer(name, options.judge, { ...options.judgeOptions, threshold }));
    } else {
      scorers.push(SCORERS[name].create(raw));
    }
  }
  return scorers;
}
