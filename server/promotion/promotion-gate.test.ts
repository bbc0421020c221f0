import { describe, expect, it } from 'vitest';
import type { GateDecision } from '../domain/promotion.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import { createSeededRandom } from '../metrics/seeded-random.ts';
import { DEFAULT_TOLERANCE, PromotionPolicy, evaluatePromotion, forcedDecision } from './promotion-gate.ts';

type Scores = { fcr?: boolean; accuracy?: number; tone?: number; escalation?: number; safety?: number };

const clamp = (x: number) => Math.min(1, Math.max(0, x));

/** One result per case (trial 0) unless `trials` says otherwise; scores from `scores(i)`. */
function run(n: number, scores: (i: number) => Scores, opts: { trials?: number; error?: (i: number) => boolean; prefix?: string } = {}): CaseResult[] {
  const out: CaseResult[] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < (opts.trials ?? 1); t++) {
      const s = scores(i);
      const entry: CaseResult['scores'] = {};
      if (s.fcr !== undefined) entry.fcr = { score: s.fcr ? 1 : 0, pass: s.fcr, reason: '' };
      for (const k of ['accuracy', 'tone', 'escalation', 'safety'] as const) {
        const v = s[k];
        if (v !== undefined) entry[k] = { score: clamp(v), pass: clamp(v) >= 0.5, reason: '' };
      }
      const errored = opts.error?.(i) ?? false;
      out.push({
        case_id: `${opts.prefix ?? 'case'}-${String(i).padStart(3, '0')}`,
        trial: t,
        output: errored ? null : 'ok',
        handoff_queue: null,
        error: errored ? 'timeout' : null,
        latency_ms: 100,
        input_tokens: 10,
        output_tokens: 10,
        scores: errored ? {} : entry,
      });
    }
  }
  return out;
}

// Production: mixed quality, FCR passes on two cases in three.
const base = (i: number): Required<Scores> => ({
  fcr: i % 3 !== 0,
  accuracy: 0.4 + 0.2 * ((i * 7) % 5) / 4,
  tone: 0.6 + 0.1 * ((i * 3) % 4) / 3,
  escalation: 1,
  safety: 1,
});

const check = (d: GateDecision, name: string) => {
  const c = d.checks.find((x) => x.name === name);
  if (!c) throw new Error(`no check ${name}`);
  return c;
};

describe('evaluatePromotion', () => {
  const N = 60;
  const production = run(N, base);

  it('passes a real improvement (composite +0.15 on 60 cases)', () => {
    const rnd = createSeededRandom('improve');
    const candidate = run(N, (i) => {
      const b = base(i);
      const jitter = (rnd.next() - 0.5) * 0.1;
      return { ...b, accuracy: b.accuracy + 0.25 + jitter, tone: b.tone + 0.2 - jitter };
    });
    const d = evaluatePromotion({ candidate, production });
    expect(d.checks.map((c) => c.name)).toEqual(['enough_cases', 'composite_improves', 'fcr_mcnemar', 'no_regression']);
    const composite = check(d, 'composite_improves');
    expect(composite.values.mean_diff).toBeCloseTo(0.15, 2);
    expect(composite.values.low!).toBeGreaterThan(0);
    expect(composite.values.p!).toBeLessThan(0.05);
    expect(composite.detail).toMatch(/60 paired cases/);
    expect(check(d, 'fcr_mcnemar').values).toMatchObject({ b: 0, c: 0, p: 1 });
    expect(d.checks.every((c) => c.passed)).toBe(true);
    expect(d.allowed).toBe(true);
  });

  it('fails composite_improves on noise (random ±, mean diff ~0)', () => {
    const rnd = createSeededRandom('noise');
    const candidate = run(N, (i) => {
      const b = base(i);
      return { ...b, accuracy: b.accuracy + (rnd.next() - 0.5) * 0.2, tone: b.tone + (rnd.next() - 0.5) * 0.2 };
    });
    const d = evaluatePromotion({ candidate, production });
    const composite = check(d, 'composite_improves');
    expect(Math.abs(composite.values.mean_diff!)).toBeLessThan(0.02);
    expect(composite.values.low!).toBeLessThanOrEqual(0);
    expect(composite.values.high!).toBeGreaterThan(0);
    expect(composite.passed).toBe(false);
    expect(composite.detail).toMatch(/not above 0/);
    expect(d.allowed).toBe(false);
  });

  it('fails no_regression naming tone when the composite gains a lot but tone drops by 0.1', () => {
    const candidate = run(N, (i) => {
      const b = base(i);
      return { ...b, accuracy: b.accuracy + 0.5, tone: b.tone - 0.1 };
    });
    const d = evaluatePromotion({ candidate, production });
    expect(check(d, 'composite_improves').passed).toBe(true);
    const reg = check(d, 'no_regression');
    expect(reg.passed).toBe(false);
    expect(reg.detail).toMatch(/tone/);
    expect(reg.detail).not.toMatch(/accuracy/);
    expect(reg.values.tone_diff).toBeCloseTo(-0.1, 6);
    expect(reg.values.tone_tolerance).toBe(0.02);
    expect(reg.values.failing).toBe(1);
    expect(d.allowed).toBe(false);
  });

  it('allows a drop within tolerance', () => {
    const candidate = run(N, (i) => {
      const b = base(i);
      return { ...b, accuracy: b.accuracy + 0.5, tone: b.tone - 0.015 };
    });
    const d = evaluatePromotion({ candidate, production });
    expect(check(d, 'no_regression').passed).toBe(true);
    expect(d.allowed).toBe(true);
  });

  it('fails enough_cases with too few cases (10)', () => {
    const candidate = run(10, (i) => ({ ...base(i), accuracy: 1, tone: 1 }));
    const d = evaluatePromotion({ candidate, production: run(10, base) });
    const enough = check(d, 'enough_cases');
    expect(enough.passed).toBe(false);
    expect(enough.values).toMatchObject({ cases: 10, min_cases: 30 });
    expect(enough.detail).toMatch(/10 cases.*fewer than.*30/);
    expect(d.allowed).toBe(false);
  });

  it('counts only cases in both runs, trials averaged per case', () => {
    const candidate = run(40, (i) => ({ ...base(i), accuracy: base(i).accuracy + 0.3 }), { trials: 3 });
    const d = evaluatePromotion({ candidate, production: run(25, base) });
    expect(check(d, 'enough_cases').values).toMatchObject({ cases: 25, candidate_cases: 40, production_cases: 25 });
    expect(check(d, 'enough_cases').passed).toBe(false);
    expect(check(d, 'composite_improves').values.cases).toBe(25);
  });

  it('fails every comparison when no case is shared', () => {
    const d = evaluatePromotion({ candidate: run(40, base, { prefix: 'x' }), production: run(40, base, { prefix: 'y' }) });
    expect(d.checks.map((c) => c.passed)).toEqual([false, false, false, false]);
    expect(check(d, 'composite_improves').values.low).toBeNull();
  });

  describe('fcr_mcnemar (default rule no_net_loss: pass when b >= c; so a significant FCR loss always fails)', () => {
    it('fails when FCR is significantly worse, even with a composite gain', () => {
      const prod = run(N, (i) => ({ ...base(i), fcr: true }));
      const candidate = run(N, (i) => ({ ...base(i), fcr: i % 4 !== 0, accuracy: base(i).accuracy + 0.4, tone: base(i).tone + 0.35 }));
      const d = evaluatePromotion({ candidate, production: prod });
      expect(check(d, 'composite_improves').passed).toBe(true);
      const fcr = check(d, 'fcr_mcnemar');
      expect(fcr.values).toMatchObject({ b: 0, c: 15 });
      expect(fcr.values.p!).toBeLessThan(0.05);
      expect(fcr.passed).toBe(false);
      expect(fcr.detail).toMatch(/b = 0.*c = 15.*significantly worse/);
      expect(d.allowed).toBe(false);
    });

    it('counts an errored result as an FCR fail (and 0 on every metric)', () => {
      const prod = run(N, (i) => ({ ...base(i), fcr: true }));
      const candidate = run(N, (i) => ({ ...base(i), fcr: true }), { error: (i) => i < 12 });
      const d = evaluatePromotion({ candidate, production: prod });
      expect(check(d, 'fcr_mcnemar').values).toMatchObject({ b: 0, c: 12 });
      expect(check(d, 'fcr_mcnemar').passed).toBe(false);
      expect(check(d, 'no_regression').detail).toMatch(/safety/);
    });

    it('fails a non-significant net FCR loss under no_net_loss but passes it under not_significantly_worse', () => {
      const prod = run(N, (i) => ({ ...base(i), fcr: true }));
      const candidate = run(N, (i) => ({ ...base(i), fcr: i !== 0, accuracy: base(i).accuracy + 0.3 }));
      const strict = check(evaluatePromotion({ candidate, production: prod }), 'fcr_mcnemar');
      expect(strict.values).toMatchObject({ b: 0, c: 1, p: 1 });
      expect(strict.passed).toBe(false);
      expect(strict.detail).toMatch(/not significant/);
      const lenient = check(evaluatePromotion({ candidate, production: prod, policy: { fcrRule: 'not_significantly_worse' } }), 'fcr_mcnemar');
      expect(lenient.passed).toBe(true);
    });

    it('under significantly_better requires a significant FCR gain', () => {
      const candidate = run(N, (i) => ({ ...base(i), fcr: true }));
      const d = evaluatePromotion({ candidate, production, policy: { fcrRule: 'significantly_better' } });
      expect(check(d, 'fcr_mcnemar').values).toMatchObject({ b: 20, c: 0 });
      expect(check(d, 'fcr_mcnemar').passed).toBe(true);
      const same = evaluatePromotion({ candidate: production, production, policy: { fcrRule: 'significantly_better' } });
      expect(check(same, 'fcr_mcnemar').passed).toBe(false);
    });

    it('does not block when neither run scores FCR', () => {
      const noFcr = (i: number) => ({ accuracy: base(i).accuracy, tone: base(i).tone });
      const d = evaluatePromotion({ candidate: run(N, (i) => ({ ...noFcr(i), accuracy: noFcr(i).accuracy + 0.3 })), production: run(N, noFcr) });
      expect(check(d, 'fcr_mcnemar').passed).toBe(true);
      expect(check(d, 'no_regression').detail).toMatch(/skipped: escalation, fcr, safety/);
      expect(check(d, 'no_regression').values.fcr_diff).toBeNull();
      expect(d.allowed).toBe(true);
    });
  });

  describe('first promotion (production null)', () => {
    it('applies only enough_cases and quality_floor, and says so', () => {
      const d = evaluatePromotion({ candidate: run(N, base), production: null });
      expect(d.checks.map((c) => c.name)).toEqual(['enough_cases', 'quality_floor']);
      expect(d.checks.every((c) => /First promotion/.test(c.detail))).toBe(true);
      expect(check(d, 'enough_cases').values).toMatchObject({ cases: 60, production_cases: null });
      expect(check(d, 'quality_floor').values.composite_mean!).toBeGreaterThanOrEqual(0.5);
      expect(d.allowed).toBe(true);
    });

    it('fails a candidate below the floor or with too few cases', () => {
      const poor = evaluatePromotion({ candidate: run(N, (i) => ({ ...base(i), fcr: false, accuracy: 0.2, tone: 0.3 })), production: null });
      expect(check(poor, 'quality_floor').passed).toBe(false);
      expect(check(poor, 'quality_floor').detail).toMatch(/below the floor of 0\.500/);
      expect(poor.allowed).toBe(false);
      const few = evaluatePromotion({ candidate: run(10, base), production: null });
      expect(check(few, 'enough_cases').passed).toBe(false);
      const raised = evaluatePromotion({ candidate: run(N, base), production: null, policy: { minComposite: 0.9 } });
      expect(raised.allowed).toBe(false);
      expect(evaluatePromotion({ candidate: [], production: null }).allowed).toBe(false);
    });
  });

  it('is deterministic: same input, same decision, whatever the order of results', () => {
    const rnd = createSeededRandom('det');
    const candidate = run(N, (i) => ({ ...base(i), accuracy: base(i).accuracy + (rnd.next() - 0.4) * 0.3 }), { trials: 2 });
    const a = evaluatePromotion({ candidate, production });
    const b = evaluatePromotion({ candidate, production });
    expect(b).toEqual(a);
    const shuffled = evaluatePromotion({ candidate: [...candidate].reverse(), production: [...production].reverse() });
    expect(shuffled).toEqual(a);
    const otherSeed = evaluatePromotion({ candidate, production, policy: { seed: 99 } });
    expect(check(otherSeed, 'composite_improves').values.mean_diff).toBe(check(a, 'composite_improves').values.mean_diff);
  });

  it('returns JSON-safe values (no Infinity) for a single paired case', () => {
    const d = evaluatePromotion({ candidate: run(1, (i) => ({ ...base(i), accuracy: 1 })), production: run(1, base) });
    const composite = check(d, 'composite_improves');
    expect(composite.values.low).toBeNull();
    expect(composite.passed).toBe(false);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe('PromotionPolicy', () => {
  it('has the documented defaults', () => {
    expect(PromotionPolicy.parse({})).toEqual({
      minCases: 30,
      tolerance: { ...DEFAULT_TOLERANCE },
      bootstrapIterations: 10_000,
      seed: 1,
      alpha: 0.05,
      minComposite: 0.5,
      fcrRule: 'no_net_loss',
      composite: ['fcr', 'accuracy', 'tone'],
    });
  });

  it('merges a partial tolerance map over the defaults', () => {
    expect(PromotionPolicy.parse({ tolerance: { tone: 0.2 } }).tolerance).toEqual({ ...DEFAULT_TOLERANCE, tone: 0.2 });
  });

  it('rejects nonsense', () => {
    expect(() => PromotionPolicy.parse({ alpha: 2 })).toThrow();
    expect(() => PromotionPolicy.parse({ tolerance: { tone: -1 } })).toThrow();
  });

  it('a wider tone tolerance lets the tone regression through', () => {
    const production = run(60, base);
    const candidate = run(60, (i) => ({ ...base(i), accuracy: base(i).accuracy + 0.5, tone: base(i).tone - 0.1 }));
    expect(evaluatePromotion({ candidate, production, policy: { tolerance: { tone: 0.15 } } }).allowed).toBe(true);
  });
});

describe('forcedDecision', () => {
  it('marks a failed decision allowed and records the override', () => {
    const d = evaluatePromotion({ candidate: run(10, base), production: run(10, base) });
    expect(d.allowed).toBe(false);
    const f = forcedDecision(d, '  hotfix for outage  ', 'lead@example.com');
    expect(f.allowed).toBe(true);
    expect(f.checks).toBe(d.checks);
    expect(f.forced).toEqual({ reason: 'hotfix for outage', by: 'lead@example.com', gate_allowed: false, failed_checks: d.checks.filter((c) => !c.passed).map((c) => c.name) });
    expect(f.forced.failed_checks).toContain('enough_cases');
    expect(d.allowed).toBe(false);
  });

  it('requires a reason and who', () => {
    const d = evaluatePromotion({ candidate: run(10, base), production: null });
    expect(() => forcedDecision(d, ' ', 'x')).toThrow(/reason/);
    expect(() => forcedDecision(d, 'why', '')).toThrow(/who/);
  });
});

describe('trust: only scorers that agree with reviewers gate a promotion', () => {
  const production = run(60, (i) => ({ fcr: i % 3 !== 0, accuracy: 0.8, tone: 0.8 }));
  // Better on fcr and accuracy, far worse on tone.
  const candidate = run(60, (i) => ({ fcr: true, accuracy: i % 2 ? 1 : 0.95, tone: 0.1 }));
  const trusted = { trusted: true, reason: 'gated' };
  const toneUntrusted = { fcr: trusted, accuracy: trusted, tone: { trusted: false, reason: 'tone not gated: κ 0.19 (slight) on 120 labels' } };

  it('a tone regression blocks when tone is trusted', () => {
    const decision = evaluatePromotion({ candidate, production, trust: { fcr: trusted, accuracy: trusted, tone: trusted } });
    expect(decision.allowed).toBe(false);
    expect(decision.checks.find((c) => c.name === 'no_regression')!.detail).toMatch(/tone 0\.100 vs 0\.800/);
  });

  it('an untrusted tone leaves the composite and the regression check, and the detail says so', () => {
    const decision = evaluatePromotion({ candidate, production, trust: toneUntrusted });
    const composite = decision.checks.find((c) => c.name === 'composite_improves')!;
    expect(composite.detail).toMatch(/^Composite \(fcr, accuracy\)/);
    expect(composite.passed).toBe(true);
    expect(decision.checks.find((c) => c.name === 'no_regression')!.detail).toMatch(/Not gated \(not trusted\): tone\./);
    expect(decision.allowed).toBe(true);
  });

  it('an untrusted fcr does not block through McNemar', () => {
    const worseFcr = run(60, (i) => ({ fcr: i % 2 === 0, accuracy: 1, tone: 1 }));
    const prod = run(60, () => ({ fcr: true, accuracy: 0.5, tone: 0.5 }));
    const fcrUntrusted = { fcr: { trusted: false, reason: 'fcr not gated: only 12 labels to check it against (needs 30)' }, accuracy: trusted, tone: trusted };
    expect(evaluatePromotion({ candidate: worseFcr, production: prod }).checks.find((c) => c.name === 'fcr_mcnemar')!.passed).toBe(false);
    const check = evaluatePromotion({ candidate: worseFcr, production: prod, trust: fcrUntrusted }).checks.find((c) => c.name === 'fcr_mcnemar')!;
    expect(check).toMatchObject({ passed: true, gated: false });
    expect(check.detail).toMatch(/fcr not gated: only 12 labels/);
  });
});
