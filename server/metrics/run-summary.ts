// From per-case results to the numbers a report shows: each metric's mean with a 95% interval and n,
// overall and by language, intent and channel; escalation precision and recall; pass^k; the judge's
// own token cost. A score marked n/a (no evidence to score on) is left out of means and pass rates
// and counted apart. Pure: what only the scorers know (whether a case needed a hand-off, what a
// judge model costs) comes in as `facts`.
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
    let total = 0;
    let present = 0;
    for (const name of scorers) {
      const score = r.scores[name];
      if (!applies(score)) continue;
      total += score!.score;
      present++;
    }
    const value = r.error || present === 0 ? 0 : total / present;
    const entry = sums.get(r.case_id);
    if (entry) {
      entry.total += value;
      entry.n++;
    } else sums.set(r.case_id, { total: value, n: 1 });
  }
  return new Map([...sums].map(([id, { total, n }]) => [id, total / n]));
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

function metricsOf(results: readonly CaseResult[], scorers: readonly string[], compositeOf: readonly string[]): Record<string, MetricSummary> {
  const out: Record<string, MetricSummary> = {};
  for (const name of scorers) {
    const scores: number[] = [];
    let passed = 0;
    let na = 0;
    for (const r of results) {
      // A failed call is a failed answer: it scores 0 on every metric.
      const score = r.error ? undefined : r.scores[name];
      if (score === undefined) scores.push(0);
      else if (score.na === true) na++;
      else {
        scores.push(score.score);
        if (score.pass) passed++;
      }
    }
    out[name] = metricSummary(scores, passed, na);
  }
  if (scorers.some((s) => compositeOf.includes(s))) {
    const composite = [...compositeByCase(results, compositeOf).values()];
    out.composite = metricSummary(composite, composite.filter((score) => score >= 0.7).length, 0);
  }
  return out;
}

function groupBy(results: readonly CaseResult[], key: (c: SuiteCase) => string, cases: ReadonlyMap<string, SuiteCase>, scorers: readonly string[], compositeOf: readonly string[]) {
  const groups = new Map<string, CaseResult[]>();
  for (const r of results) {
    const c = cases.get(r.case_id);
    const k = c ? key(c) : 'unknown';
    const group = groups.get(k);
    if (group) group.push(r);
    else groups.set(k, [r]);
  }
  return Object.fromEntries([...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, rs]) => [k, metricsOf(rs, scorers, compositeOf)]));
}

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
  const compositeOf = options.composite;
  const byId = new Map(cases.map((c) => [c.case_id, c]));
  const esc = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const r of results) {
    const c = byId.get(r.case_id);
    const expectation = c ? facts.escalation(c) : { expected: false, known: true };
    // Only cases where a label or the customer's request says what was needed count.
    if (!expectation.known) continue;
    const expected = expectation.expected;
    const handed = !r.error && r.handoff_queue !== null;
    if (expected && handed) esc.tp++;
    else if (!expected && handed) esc.fp++;
    else if (expected && !handed) esc.fn++;
    else esc.tn++;
  }
  let passHat: RunSummary['pass_hat_k'] = null;
  if (repeat > 1) {
    const trials = new Map<string, { trials: number; passed: number }>();
    for (const r of results) {
      const entry = trials.get(r.case_id) ?? { trials: 0, passed: 0 };
      entry.trials++;
      const quality = options.passScorers.filter((s) => applies(r.scores[s]));
      if (!r.error && quality.every((s) => r.scores[s]!.pass)) entry.passed++;
      trials.set(r.case_id, entry);
    }
    const complete = [...trials.values()].filter((t) => t.trials >= repeat);
    passHat = { k: repeat, value: round(passHatK(complete, repeat) ?? 0) };
  }
  const latencies = results.filter((r) => !r.error && r.latency_ms !== null).map((r) => r.latency_ms!).sort((a, b) => a - b);
  const pct = (p: number) => (latencies.length === 0 ? null : round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!));
  return {
    cases: new Set(results.map((r) => r.case_id)).size,
    trials: results.length,
    errors: results.filter((r) => r.error).length,
    first_error: results.find((r) => r.error)?.error ?? null,
    metrics: metricsOf(results, scorers, compositeOf),
    by_language: groupBy(results, (c) => c.language, byId, scorers, compositeOf),
    by_intent: groupBy(results, (c) => c.intent ?? '(none)', byId, scorers, compositeOf),
    by_channel: groupBy(results, (c) => c.channel, byId, scorers, compositeOf),
    escalation: {
      ...esc,
      precision: esc.tp + esc.fp === 0 ? null : round(esc.tp / (esc.tp + esc.fp)),
      recall: esc.tp + esc.fn === 0 ? null : round(esc.tp / (esc.tp + esc.fn)),
    },
    pass_hat_k: passHat,
    latency_ms: { p50: pct(0.5), p95: pct(0.95) },
    tokens: {
      input: results.reduce((t, r) => t + (r.input_tokens ?? 0), 0),
      output: results.reduce((t, r) => t + (r.output_tokens ?? 0), 0),
    },
    ...judgeCost(results, facts.price),
  };
}

/** The judge's tokens summed over every verdict in the run, priced with `price`. */
export function judgeCost(results: readonly CaseResult[], price: RunSummaryFacts['price']): Pick<RunSummary, 'judge'> {
  let calls = 0;
  let input = 0;
  let output = 0;
  let model: string | null = null;
  for (const r of results) {
    for (const s of Object.values(r.scores)) {
      if (!s.judge_usage) continue;
      calls++;
      input += s.judge_usage.input_tokens;
      output += s.judge_usage.output_tokens;
      model ??= s.judge_usage.model;
    }
  }
  if (model === null) return {};
  const perMillion = price(model);
  const cost = perMillion ? Math.round(((input * perMillion.input + output * perMillion.output) / 1_000_000) * 1_000_000) / 1_000_000 : null;
  return { judge: { model, calls, input_tokens: input, output_tokens: output, cost_usd: cost } };
}
