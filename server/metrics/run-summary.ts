// From per-case results to the numbers a report shows: each metric's mean with a 95% interval and n,
// overall and by language, intent and channel; escalation precision and recall; pass^k; the judge's
// own token cost. A score marked n/a (no evidence to score on) is left out of means and pass rates
// and counted apart. Pure: what only the scorers know (whether a case needed a hand-off, what a
// judge model costs) comes in as `facts`.
import { compareCodePoints } from '../domain/code-point-order.ts';
import type { SuiteCase } from '../domain/eval.ts';
import { applies, type CaseResult, type MetricSummary, type RunSummary } from '../domain/runs-api.ts';
import { meanConfidenceInterval } from './confidence-interval.ts';
import { passHatK } from './pass-at-k.ts';

/** What the scorers know about a case and a model (server/scorers: escalation-expectation, price-table). */
export interface RunSummaryFacts {
  /** Whether the case needed a hand-off, and whether anyone knows. */
  escalation(c: SuiteCase): { expected: boolean; known: boolean };
  /** USD per million input and output tokens of a model, when known. */
  price(model: string): { input: number; output: number } | null;
}

/** A conversation run's composite: goal success, FCR and tone (there is no reference answer to be accurate to). */
export const CONVERSATION_COMPOSITE_SCORERS = ['goal_success', 'fcr', 'tone'];

/** Per case (trials averaged), the composite score (the mean of `scorers`); errors count as 0. */
export function compositeByCase(results: readonly CaseResult[], scorers: readonly string[]): Map<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const r of results) {
    const value = compositeOf(r, scorers);
    const entry = sums.get(r.case_id);
    if (entry) {
      entry.total += value;
      entry.n++;
    } else sums.set(r.case_id, { total: value, n: 1 });
  }
  return new Map([...sums].map(([id, { total, n }]) => [id, total / n]));
}

/** One result's composite: the mean of those of `scorers` that apply; 0 for an error or when none applies. */
function compositeOf(r: CaseResult, scorers: readonly string[]): number {
  if (r.error) return 0;
  let total = 0;
  let present = 0;
  for (const name of scorers) {
    const score = r.scores[name];
    if (!applies(score)) continue;
    total += score!.score;
    present++;
  }
  return present === 0 ? 0 : total / present;
}

/** A metric from its scores (n/a ones left out), how many of them passed and how many were n/a. */
function metricSummary(scores: readonly number[], passed: number, na: number): MetricSummary {
  const ci = meanConfidenceInterval(scores, { range: [0, 1] });
  return {
    mean: round(ci?.mean ?? 0),
    low: round(ci?.low ?? 0),
    high: round(ci?.high ?? 0),
    n: scores.length,
    pass_rate: round(scores.length === 0 ? 0 : passed / scores.length),
    ...(na > 0 ? { na } : {}),
  };
}

const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10_000) / 10_000 : x);

/** Which scorers play which part: the caller knows (server/scorers/registry.ts summaryOptions), this file does not. */
export interface SummarizeRunOptions {
  /** The scorers whose per-case mean is the composite. */
  composite: readonly string[];
  /** The scorers a trial must all pass for pass^k (the quality scorers). */
  passScorers: readonly string[];
}

export function summarizeRun(
  cases: readonly SuiteCase[],
  results: readonly CaseResult[],
  scorers: readonly string[],
  repeat: number,
  facts: RunSummaryFacts,
  options: SummarizeRunOptions,
): RunSummary {
  const summary = new RunSummaryBuilder(cases, scorers, repeat, facts, options);
  for (const r of results) summary.add(r);
  return summary.summary();
}

/** One scorer's scores in one group: what metricSummary takes. */
interface MetricTally {
  scores: number[];
  passed: number;
  na: number;
}

/** The scorers' tallies for one group of results (the whole run, or one language, intent or channel). */
type GroupTally = MetricTally[];

/** One case: its trials' composite scores, what pass^k counts, and the groups it is in. */
interface CaseTally {
  composite: number;
  trials: number;
  passed: number;
  groups: [language: GroupTally, intent: GroupTally, channel: GroupTally];
}

/**
 * A run's summary built as its results come (`add` each, in any order; `summary()` at any point): what
 * summarizeRun makes of the same results, with each result read once when it arrives. The runner adds
 * results as their cases finish, so that the run's end only finishes the arithmetic.
 */
export class RunSummaryBuilder {
  readonly #scorers: readonly string[];
  readonly #composite: readonly string[];
  readonly #passScorers: readonly string[];
  readonly #repeat: number;
  readonly #facts: RunSummaryFacts;
  readonly #byId: ReadonlyMap<string, SuiteCase>;
  readonly #overall: GroupTally;
  /** language, intent, channel: group key -> tally. */
  readonly #groups: [Map<string, GroupTally>, Map<string, GroupTally>, Map<string, GroupTally>] = [new Map(), new Map(), new Map()];
  readonly #cases = new Map<string, CaseTally>();
  readonly #escalation = { tp: 0, fp: 0, fn: 0, tn: 0 };
  readonly #latencies: number[] = [];
  #trials = 0;
  #errors = 0;
  #firstError: { case_id: string; trial: number; error: string } | null = null;
  #tokens = { input: 0, output: 0 };
  #judge = { calls: 0, input: 0, output: 0, model: null as string | null, first: null as Pick<CaseResult, 'case_id' | 'trial'> | null };

  constructor(cases: readonly SuiteCase[], scorers: readonly string[], repeat: number, facts: RunSummaryFacts, options: SummarizeRunOptions) {
    this.#scorers = scorers;
    this.#composite = options.composite;
    this.#passScorers = options.passScorers;
    this.#repeat = repeat;
    this.#facts = facts;
    this.#byId = new Map(cases.map((c) => [c.case_id, c]));
    this.#overall = this.#tally();
  }

  /** `escalation`: what the case needed of this reply, when the scorers already worked it out (see eval/score-reply.ts); otherwise the facts say. */
  add(r: CaseResult, escalation?: { expected: boolean; known: boolean }): void {
    const c = this.#byId.get(r.case_id);
    this.#trials++;
    if (r.error) {
      this.#errors++;
      // The first error by case id (then trial), as a summary of the stored results would find it.
      if (this.#firstError === null || comesFirst(r, this.#firstError)) this.#firstError = { case_id: r.case_id, trial: r.trial, error: r.error };
    }
    // Only cases where a label or the customer's request says what was needed count.
    const expectation = escalation ?? (c ? this.#facts.escalation(c) : { expected: false, known: true });
    if (expectation.known) {
      const handed = !r.error && r.handoff_queue !== null;
      const esc = this.#escalation;
      if (expectation.expected && handed) esc.tp++;
      else if (handed) esc.fp++;
      else if (expectation.expected) esc.fn++;
      else esc.tn++;
    }
    if (!r.error && r.latency_ms !== null) this.#latencies.push(r.latency_ms);
    this.#tokens.input += r.input_tokens ?? 0;
    this.#tokens.output += r.output_tokens ?? 0;
    const judge = this.#judge;
    for (const s of Object.values(r.scores)) {
      if (!s.judge_usage) continue;
      judge.calls++;
      judge.input += s.judge_usage.input_tokens;
      judge.output += s.judge_usage.output_tokens;
      // The model is the first result's (by case id, then trial), as a summary of the stored results would find it.
      if (judge.first === null || comesFirst(r, judge.first)) {
        judge.first = r;
        judge.model = s.judge_usage.model;
      }
    }

    let tally = this.#cases.get(r.case_id);
    if (tally === undefined) {
      const [languages, intents, channels] = this.#groups;
      tally = {
        composite: 0,
        trials: 0,
        passed: 0,
        groups: [this.#group(languages, c ? c.language : 'unknown'), this.#group(intents, c ? (c.intent ?? '(none)') : 'unknown'), this.#group(channels, c ? c.channel : 'unknown')],
      };
      this.#cases.set(r.case_id, tally);
    }
    const groups = [this.#overall, ...tally.groups];
    this.#scorers.forEach((name, i) => {
      // A failed call is a failed answer: it scores 0 on every metric.
      const score = r.error ? undefined : r.scores[name];
      for (const group of groups) {
        const metric = group[i]!;
        if (score === undefined) metric.scores.push(0);
        else if (score.na === true) metric.na++;
        else {
          metric.scores.push(score.score);
          if (score.pass) metric.passed++;
        }
      }
    });
    tally.trials++;
    tally.composite += compositeOf(r, this.#composite);
    if (!r.error && this.#passScorers.every((s) => !applies(r.scores[s]) || r.scores[s]!.pass)) tally.passed++;
  }

  summary(): RunSummary {
    const esc = this.#escalation;
    const latencies = this.#latencies.toSorted((a, b) => a - b);
    const pct = (p: number) => (latencies.length === 0 ? null : round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!));
    // Each case's composite (its trials averaged), overall and in its groups.
    const withComposite = this.#scorers.some((s) => this.#composite.includes(s));
    const composites = new Map<GroupTally, number[]>();
    if (withComposite) {
      for (const tally of this.#cases.values()) {
        const value = tally.composite / tally.trials;
        for (const group of [this.#overall, ...tally.groups]) {
          const values = composites.get(group);
          if (values) values.push(value);
          else composites.set(group, [value]);
        }
      }
    }
    const metrics = (group: GroupTally): Record<string, MetricSummary> => {
      const out: Record<string, MetricSummary> = {};
      this.#scorers.forEach((name, i) => (out[name] = metricSummary(group[i]!.scores, group[i]!.passed, group[i]!.na)));
      if (withComposite) {
        const composite = composites.get(group) ?? [];
        out.composite = metricSummary(composite, composite.filter((score) => score >= 0.7).length, 0);
      }
      return out;
    };
    const grouped = (groups: Map<string, GroupTally>) => Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, group]) => [k, metrics(group)]));
    let passHat: RunSummary['pass_hat_k'] = null;
    if (this.#repeat > 1) {
      const complete = [...this.#cases.values()].filter((t) => t.trials >= this.#repeat);
      passHat = { k: this.#repeat, value: round(passHatK(complete, this.#repeat) ?? 0) };
    }
    return {
      cases: this.#cases.size,
      trials: this.#trials,
      errors: this.#errors,
      first_error: this.#firstError?.error ?? null,
      metrics: metrics(this.#overall),
      by_language: grouped(this.#groups[0]),
      by_intent: grouped(this.#groups[1]),
      by_channel: grouped(this.#groups[2]),
      escalation: {
        ...esc,
        precision: esc.tp + esc.fp === 0 ? null : round(esc.tp / (esc.tp + esc.fp)),
        recall: esc.tp + esc.fn === 0 ? null : round(esc.tp / (esc.tp + esc.fn)),
      },
      pass_hat_k: passHat,
      latency_ms: { p50: pct(0.5), p95: pct(0.95) },
      tokens: { ...this.#tokens },
      ...this.#judgeCost(),
    };
  }

  #tally(): GroupTally {
    return this.#scorers.map(() => ({ scores: [], passed: 0, na: 0 }));
  }

  #group(groups: Map<string, GroupTally>, key: string): GroupTally {
    let group = groups.get(key);
    if (group === undefined) groups.set(key, (group = this.#tally()));
    return group;
  }

  #judgeCost(): Pick<RunSummary, 'judge'> {
    const { calls, input, output, model } = this.#judge;
    if (model === null) return {};
    const perMillion = this.#facts.price(model);
    const cost = perMillion ? Math.round(((input * perMillion.input + output * perMillion.output) / 1_000_000) * 1_000_000) / 1_000_000 : null;
    return { judge: { model, calls, input_tokens: input, output_tokens: output, cost_usd: cost } };
  }
}

/** Whether `a` comes before `b` in the store's order of results: by case id, then trial. */
function comesFirst(a: Pick<CaseResult, 'case_id' | 'trial'>, b: Pick<CaseResult, 'case_id' | 'trial'>): boolean {
  const order = compareCodePoints(a.case_id, b.case_id);
  return order < 0 || (order === 0 && a.trial < b.trial);
}
