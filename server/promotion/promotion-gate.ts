// The promotion gate: may a candidate's eval run replace production on a channel? Pure and
// deterministic (seeded bootstrap, case ids sorted before resampling), so the same two runs and
// policy always give the same decision, bit for bit, whatever order the results arrive in.
//
// Cases are paired by case_id; a case's trials are averaged first. Only cases present in BOTH runs
// are compared. An errored result counts as 0 on every metric and as an FCR fail; a missing score
// counts as 0 / fail too (the same rule as the run summary).
//
// Checks, in order (every check is always reported with its numbers; allowed = all passed):
//  1. enough_cases       paired cases >= policy.minCases (first promotion: the candidate's own cases).
//  2. composite_improves paired bootstrap 95% interval of candidate - production composite per case
//                        (compositeByCase); passes when the lower bound > 0.
//  3. fcr_mcnemar        McNemar's test on per-case FCR pass (a case passes FCR when more than half
//                        of its trials pass). b = candidate passes where production fails, c = the
//                        reverse. Rule (policy.fcrRule), default 'no_net_loss':
//                          no_net_loss              pass when b >= c (so FCR is never significantly
//                                                   worse either: c > b with p < alpha always fails).
//                                                   Note this also fails a non-significant net loss.
//                          not_significantly_worse  pass unless c > b with p < alpha.
//                          significantly_better     pass only when b > c with p < alpha.
//                        When neither run has any FCR score the check passes and says so.
//  4. no_regression      for each metric in policy.tolerance: candidate mean - production mean
//                        >= -tolerance, means over the paired cases. A metric neither run scored
//                        is skipped (values null). Failing metrics are named in the detail.
//  First promotion (production null): only enough_cases and quality_floor (candidate composite
//  mean >= policy.minComposite) apply; their details say so.
//
// With `trust` (server/eval/scorer-trust.ts), a scorer that does not agree well enough with this
// store's labels does not gate: it leaves the composite, its regression is not checked, and FCR's
// McNemar check does not block when fcr is untrusted; every such check says so in its detail.
// With no trusted composite scorer the composite checks do not block either (nothing trustworthy to
// compare), and say so.
//
// forcedDecision() records an override (reason, who); the caller stores it (config_history.forced_reason).
import { z } from 'zod';
import type { ForcedBy, GateCheck, GateCheckName, GateDecision } from '../domain/promotion.ts';
import { applies, type CaseResult } from '../domain/runs-api.ts';
import { DEFAULT_BOOTSTRAP_ITERATIONS, DEFAULT_BOOTSTRAP_SEED, pairedBootstrap } from '../metrics/bootstrap.ts';
import { mcnemar } from '../metrics/mcnemar.ts';
import { compositeByCase } from '../metrics/run-summary.ts';

// The gate's default policy for reply runs. It may only import domain and metrics, so it cannot read
// the scorer registry: server/scorers/registry.test.ts checks these agree with the registry's
// composite and quality traits, and a caller with a registry passes them in the policy.
/** The composite compared by default: the registry's composite scorers. */
export const DEFAULT_COMPOSITE: readonly string[] = Object.freeze(['fcr', 'accuracy', 'tone']);
/** Allowed drop per quality scorer by default. */
export const DEFAULT_TOLERANCE: Readonly<Record<string, number>> = Object.freeze({
  fcr: 0.02,
  accuracy: 0.02,
  tone: 0.02,
  escalation: 0.02,
  safety: 0.02,
});

export const FCR_RULES = ['no_net_loss', 'not_significantly_worse', 'significantly_better'] as const;
export type FcrRule = (typeof FCR_RULES)[number];

export const PromotionPolicy = z.object({
  minCases: z.number().int().nonnegative().default(30),
  /** Allowed drop per metric. Merged over the defaults, so overriding one metric keeps the others. */
  tolerance: z
    .record(z.string(), z.number().nonnegative())
    .optional()
    .transform((t): Record<string, number> => ({ ...DEFAULT_TOLERANCE, ...t })),
  bootstrapIterations: z.number().int().positive().default(DEFAULT_BOOTSTRAP_ITERATIONS),
  seed: z.union([z.number(), z.string()]).default(DEFAULT_BOOTSTRAP_SEED),
  alpha: z.number().gt(0).lt(1).default(0.05),
  /** Absolute floor on the candidate's mean composite, used for a first promotion. */
  minComposite: z.number().min(0).max(1).default(0.5),
  fcrRule: z.enum(FCR_RULES).default('no_net_loss'),
  /** The per-case composite compared (default fcr, accuracy, tone; a conversation run: goal_success, fcr, tone). */
  composite: z.array(z.string().min(1)).min(1).default([...DEFAULT_COMPOSITE]),
});
export type PromotionPolicy = z.output<typeof PromotionPolicy>;
export type PromotionPolicyInput = z.input<typeof PromotionPolicy>;

/** Whether a scorer may gate, and why (ScorerTrust from server/eval/scorer-trust.ts fits). */
export interface GateTrust {
  trusted: boolean;
  reason: string;
}

export interface PromotionInput {
  candidate: readonly CaseResult[];
  /** null when the channel has no production config yet (first promotion). */
  production: readonly CaseResult[] | null;
  policy?: PromotionPolicyInput;
  /** Per scorer, whether it may gate (absent: every scorer gates). */
  trust?: Readonly<Record<string, GateTrust>>;
}

export function evaluatePromotion({ candidate, production, policy: policyInput, trust }: PromotionInput): GateDecision {
  const policy = PromotionPolicy.parse(policyInput ?? {});
  const gates = (metric: string) => trust?.[metric]?.trusted ?? true;
  const ctx: TrustContext = {
    gates,
    composite: policy.composite.filter(gates),
    all: policy.composite,
    untrusted: Object.entries(trust ?? {}).filter(([name, t]) => !t.trusted && name !== 'composite').map(([, t]) => t.reason),
  };
  const checks = production === null ? firstPromotionChecks(candidate, policy, ctx) : comparisonChecks(candidate, production, policy, ctx);
  // Untrusted scorers stop gating, but a promotion needs some evidence: with no quality scorer
  // trusted there is nothing to promote on, so it is refused (an admin may still force it).
  if (trust !== undefined && ctx.composite.length === 0) {
    checks.push({
      name: 'trusted_scorers',
      passed: false,
      gated: true,
      detail: `No quality scorer (${ctx.all.join(', ')}) agrees well enough with this store's labels to decide a promotion: ${ctx.untrusted.join('; ')}. Label more dialogues, set gate_untrusted, or force with a reason.`,
      values: {},
    });
  }
  return { allowed: checks.every((c) => c.passed), checks };
}

interface TrustContext {
  gates: (metric: string) => boolean;
  /** The composite scorers that may gate. */
  composite: string[];
  /** Every composite scorer of the policy. */
  all: readonly string[];
  /** Why the others may not. */
  untrusted: string[];
}

function notGated(name: GateCheckName, what: string, ctx: TrustContext): GateCheck {
  return { name, passed: true, gated: false, detail: `Not gated: ${what}; ${ctx.untrusted.join('; ')}.`, values: {} };
}

/** Marks a decision as allowed with the override recorded; the caller stores it. */
export function forcedDecision(decision: GateDecision, reason: string, by: string): GateDecision & { forced: ForcedBy } {
  if (reason.trim() === '') throw new Error('a forced promotion needs a reason');
  if (by.trim() === '') throw new Error('a forced promotion needs to say who forced it');
  return {
    allowed: true,
    checks: decision.checks,
    forced: {
      reason: reason.trim(),
      by: by.trim(),
      gate_allowed: decision.allowed,
      failed_checks: decision.checks.filter((c) => !c.passed).map((c) => c.name),
    },
  };
}

// ---------------------------------------------------------------------------------------------

function firstPromotionChecks(candidate: readonly CaseResult[], policy: PromotionPolicy, ctx: TrustContext): GateCheck[] {
  const composite = compositeByCase(candidate, ctx.composite.length > 0 ? ctx.composite : ctx.all);
  const n = composite.size;
  const enough: GateCheck = {
    name: 'enough_cases',
    passed: n >= policy.minCases,
    detail: `First promotion to this channel (no production run): the candidate has ${n} cases, ${n >= policy.minCases ? 'at least' : 'fewer than'} the ${policy.minCases} required.`,
    values: { cases: n, candidate_cases: n, production_cases: null, min_cases: policy.minCases },
  };
  const meanComposite = n === 0 ? null : [...composite.values()].reduce((t, v) => t + v, 0) / n;
  const floorPassed = meanComposite !== null && meanComposite >= policy.minComposite;
  const floor: GateCheck = {
    name: 'quality_floor',
    passed: floorPassed,
    detail:
      meanComposite === null
        ? `First promotion to this channel: the candidate has no cases, so its composite cannot reach the floor of ${fmt(policy.minComposite)}; comparisons with production do not apply.`
        : `First promotion to this channel, so only an absolute floor applies instead of comparisons with production: candidate composite mean ${fmt(meanComposite)} is ${floorPassed ? 'at or above' : 'below'} the floor of ${fmt(policy.minComposite)} over ${n} cases.`,
    values: { composite_mean: num(meanComposite), min_composite: policy.minComposite, cases: n },
  };
  if (ctx.composite.length === 0) return [enough, notGated('quality_floor', `no composite scorer (${ctx.all.join(', ')}) agrees well enough with this store's labels`, ctx)];
  return [enough, floor];
}

function comparisonChecks(candidate: readonly CaseResult[], production: readonly CaseResult[], policy: PromotionPolicy, ctx: TrustContext): GateCheck[] {
  const parts = ctx.composite.length > 0 ? ctx.composite : [...ctx.all];
  const candComposite = compositeByCase(candidate, parts);
  const prodComposite = compositeByCase(production, parts);
  // Sorted by code unit (not locale) so the resampling order, hence the decision, is input-order free.
  const paired = [...candComposite.keys()].filter((id) => prodComposite.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = paired.length;
  const checks: GateCheck[] = [];

  checks.push({
    name: 'enough_cases',
    passed: n >= policy.minCases,
    detail: `${n} cases are in both runs (candidate ${candComposite.size}, production ${prodComposite.size}), ${n >= policy.minCases ? 'at least' : 'fewer than'} the ${policy.minCases} required.`,
    values: { cases: n, candidate_cases: candComposite.size, production_cases: prodComposite.size, min_cases: policy.minCases },
  });

  // 2. Composite: paired bootstrap of the per-case difference.
  const boot =
    n === 0
      ? null
      : pairedBootstrap(
          paired.map((id) => candComposite.get(id)!),
          paired.map((id) => prodComposite.get(id)!),
          { iterations: policy.bootstrapIterations, seed: policy.seed, level: 0.95 },
        );
  if (ctx.composite.length === 0) {
    checks.push(notGated('composite_improves', `no composite scorer (${ctx.all.join(', ')}) agrees well enough with this store's labels`, ctx));
  } else if (boot === null) {
    checks.push({
      name: 'composite_improves',
      passed: false,
      detail: `No case is in both runs, so the composite (${ctx.all.join(', ')}) cannot be compared.`,
      values: { mean_diff: null, low: null, high: null, p: null, cases: 0 },
    });
  } else {
    const passed = boot.low > 0;
    checks.push({
      name: 'composite_improves',
      passed,
      detail: `Composite (${parts.join(', ')}) candidate − production over ${n} paired cases: mean ${signed(boot.meanDiff)}, 95% interval [${signed(boot.low)}, ${signed(boot.high)}], p = ${fmtP(boot.pValue)}; ${passed ? 'the lower bound is above 0, so the candidate is better with 95% confidence' : 'the lower bound is not above 0, so the improvement is not shown with 95% confidence'}.`,
      values: { mean_diff: num(boot.meanDiff), low: num(boot.low), high: num(boot.high), p: numP(boot.pValue), cases: n, iterations: boot.iterations },
    });
  }

  // 3. FCR by McNemar.
  checks.push(ctx.gates('fcr') ? fcrCheck(candidate, production, paired, policy) : notGated('fcr_mcnemar', 'fcr is not trusted', ctx));

  // 4. No metric regresses beyond its tolerance.
  checks.push(regressionCheck(candidate, production, paired, policy, ctx));
  return checks;
}

function fcrCheck(candidate: readonly CaseResult[], production: readonly CaseResult[], paired: readonly string[], policy: PromotionPolicy): GateCheck {
  const scored = candidate.some((r) => r.scores.fcr) || production.some((r) => r.scores.fcr);
  if (paired.length === 0) {
    return { name: 'fcr_mcnemar', passed: false, detail: 'No case is in both runs, so FCR cannot be compared.', values: { b: null, c: null, p: null, alpha: policy.alpha, cases: 0 } };
  }
  if (!scored) {
    return {
      name: 'fcr_mcnemar',
      passed: true,
      detail: 'Neither run has FCR scores, so there is nothing to compare; the check does not block.',
      values: { b: null, c: null, p: null, alpha: policy.alpha, cases: paired.length },
    };
  }
  const cand = fcrPassByCase(candidate);
  const prod = fcrPassByCase(production);
  const test = mcnemar(
    paired.map((id) => cand.get(id) ?? false),
    paired.map((id) => prod.get(id) ?? false),
  );
  const { b, c, pValue: p } = test;
  const significant = p < policy.alpha;
  let passed: boolean;
  let verdict: string;
  switch (policy.fcrRule) {
    case 'no_net_loss':
      passed = b >= c;
      verdict = passed
        ? 'the candidate wins at least as many cases as it loses'
        : significant
          ? 'FCR is significantly worse'
          : 'the candidate loses more FCR cases than it wins (not significant, but rule no_net_loss requires b ≥ c)';
      break;
    case 'not_significantly_worse':
      passed = !(c > b && significant);
      verdict = passed ? 'FCR is not significantly worse' : 'FCR is significantly worse';
      break;
    case 'significantly_better':
      passed = b > c && significant;
      verdict = passed ? 'FCR is significantly better' : 'FCR is not significantly better';
      break;
  }
  const candRate = paired.filter((id) => cand.get(id)).length / paired.length;
  const prodRate = paired.filter((id) => prod.get(id)).length / paired.length;
  return {
    name: 'fcr_mcnemar',
    passed,
    detail: `FCR by McNemar (${test.method}) over ${paired.length} paired cases: candidate passes where production fails in b = ${b}, the reverse in c = ${c}, p = ${fmtP(p)} (alpha ${policy.alpha}), pass rate ${fmt(candRate)} vs ${fmt(prodRate)}; ${verdict}.`,
    values: { b, c, p: numP(p), alpha: policy.alpha, statistic: num(test.statistic), candidate_pass_rate: num(candRate), production_pass_rate: num(prodRate), cases: paired.length },
  };
}

function regressionCheck(candidate: readonly CaseResult[], production: readonly CaseResult[], paired: readonly string[], policy: PromotionPolicy, ctx: TrustContext): GateCheck {
  const untrusted = Object.keys(policy.tolerance).filter((m) => !ctx.gates(m)).sort();
  const metrics = Object.keys(policy.tolerance).filter((m) => ctx.gates(m)).sort();
  const values: Record<string, number | null> = {};
  const failing: string[] = [];
  const skipped: string[] = [];
  const parts: string[] = [];
  for (const metric of metrics) {
    const tolerance = policy.tolerance[metric]!;
    const scored = candidate.some((r) => r.scores[metric]) || production.some((r) => r.scores[metric]);
    if (!scored || paired.length === 0) {
      skipped.push(metric);
      Object.assign(values, { [`${metric}_candidate`]: null, [`${metric}_production`]: null, [`${metric}_diff`]: null, [`${metric}_tolerance`]: tolerance });
      continue;
    }
    const cand = metricByCase(candidate, metric);
    const prod = metricByCase(production, metric);
    // Cases n/a in either run (nothing to score against) are left out of this metric.
    const ids = paired.filter((id) => cand.has(id) && prod.has(id));
    const candMean = ids.length === 0 ? 0 : ids.reduce((t, id) => t + cand.get(id)!, 0) / ids.length;
    const prodMean = ids.length === 0 ? 0 : ids.reduce((t, id) => t + prod.get(id)!, 0) / ids.length;
    const diff = candMean - prodMean;
    // A tiny epsilon so a drop of exactly the tolerance is not failed by floating-point noise.
    const ok = diff >= -tolerance - 1e-12;
    if (!ok) failing.push(metric);
    Object.assign(values, { [`${metric}_candidate`]: num(candMean), [`${metric}_production`]: num(prodMean), [`${metric}_diff`]: num(diff), [`${metric}_tolerance`]: tolerance });
    if (!ok) parts.push(`${metric} ${fmt(candMean)} vs ${fmt(prodMean)} (${signed(diff)}, tolerance −${fmt(tolerance)})`);
  }
  const checked = metrics.filter((m) => !skipped.includes(m));
  const skippedNote =
    (skipped.length > 0 ? ` Not scored in either run, skipped: ${skipped.join(', ')}.` : '') +
    (untrusted.length > 0 ? ` Not gated (not trusted): ${untrusted.join(', ')}.` : '');
  let detail: string;
  if (paired.length === 0) detail = 'No case is in both runs, so no metric can be compared.';
  else if (failing.length > 0) detail = `Regressed beyond tolerance over ${paired.length} paired cases: ${parts.join('; ')}.${skippedNote}`;
  else
    detail = `No metric drops by more than its tolerance over ${paired.length} paired cases (${checked
      .map((m) => `${m} ${signed(values[`${m}_diff`] ?? 0)}`)
      .join(', ')}).${skippedNote}`;
  return { name: 'no_regression', passed: paired.length > 0 && failing.length === 0, detail, values: { ...values, failing: failing.length } };
}

/** Per case, the metric's mean over trials; errors and missing scores count as 0. */
function metricByCase(results: readonly CaseResult[], metric: string): Map<string, number> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const r of results) {
    const s = r.scores[metric];
    if (!r.error && s !== undefined && !applies(s)) continue; // n/a: nothing to compare
    const value = r.error ? 0 : (s?.score ?? 0);
    const entry = sums.get(r.case_id) ?? { total: 0, n: 0 };
    entry.total += value;
    entry.n++;
    sums.set(r.case_id, entry);
  }
  return new Map([...sums].map(([id, { total, n }]) => [id, total / n]));
}

/** Per case, FCR passes when more than half of its trials pass; an errored or unscored trial fails. */
function fcrPassByCase(results: readonly CaseResult[]): Map<string, boolean> {
  const counts = new Map<string, { passed: number; n: number }>();
  for (const r of results) {
    const entry = counts.get(r.case_id) ?? { passed: 0, n: 0 };
    if (!r.error && r.scores.fcr?.pass === true) entry.passed++;
    entry.n++;
    counts.set(r.case_id, entry);
  }
  return new Map([...counts].map(([id, { passed, n }]) => [id, passed * 2 > n]));
}

const num = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Math.round(x * 10_000) / 10_000);
/** p-values keep 4 significant digits, so a tiny p is not rounded to 0. */
const numP = (p: number): number => Number(p.toPrecision(4));
const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : String(x));
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(3)}` : x > 0 ? '+∞' : '−∞');
const fmtP = (p: number): string => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
