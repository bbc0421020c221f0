import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_SETTINGS } from '../domain/settings.ts';
import { checkGate } from './report.ts';
import { scorersTrust, scorerTrust, type TrustSample } from './scorer-trust.ts';
import type { RunSummary } from '../domain/runs-api.ts';

/** n binary samples where the scorer agrees with the reviewers on `agree` of them. */
function binary(n: number, agree: number): TrustSample[] {
  return Array.from({ length: n }, (_, i) => {
    const gold = i % 2;
    const right = i < agree;
    const pass = right ? gold === 1 : gold === 0;
    return { gold, score: pass ? 0.8 : 0.3, pass };
  });
}

const summary = (means: Record<string, number>): RunSummary => ({
  cases: 100,
  trials: 100,
  errors: 0,
  first_error: null,
  metrics: Object.fromEntries(Object.entries(means).map(([k, mean]) => [k, { mean, low: mean, high: mean, n: 100, pass_rate: mean }])),
  by_language: {},
  by_intent: {},
  by_channel: {},
  escalation: { tp: 0, fp: 0, fn: 0, tn: 0, precision: null, recall: null },
  pass_hat_k: null,
  latency_ms: { p50: null, p95: null },
  tokens: { input: 0, output: 0 },
});

describe('scorerTrust', () => {
  it('does not trust a scorer whose kappa is below the level, and says why', () => {
    const t = scorerTrust('fcr', binary(120, 72), DEFAULT_GATE_SETTINGS);
    expect(t.trusted).toBe(false);
    expect(t.kappa).toBeCloseTo(0.2, 5);
    expect(t.reason).toBe('fcr not gated: κ 0.20 (fair), AUC 0.60 on 120 labels (needs κ ≥ 0.4 or AUC ≥ 0.8)');
  });

  it('does not trust a scorer with too few labels', () => {
    expect(scorerTrust('tone', [{ gold: 4, score: 0.8, pass: true }], DEFAULT_GATE_SETTINGS).reason).toBe('tone not gated: only 1 label to check it against (needs 30)');
  });

  it('trusts a scorer that agrees with reviewers', () => {
    const t = scorerTrust('accuracy', binary(60, 54), DEFAULT_GATE_SETTINGS);
    expect(t).toMatchObject({ trusted: true, n: 60 });
    expect(t.reason).toMatch(/^accuracy gated: κ 0\.80 \(almost perfect\)/);
  });

  it('trusts weighted kappa on tone and always trusts measurements', () => {
    const tone = Array.from({ length: 40 }, (_, i) => ({ gold: (i % 5) + 1, score: (i % 5) / 4, pass: i % 5 >= 2 }));
    expect(scorerTrust('tone', tone, DEFAULT_GATE_SETTINGS)).toMatchObject({ trusted: true, kappa: 1 });
    expect(scorerTrust('latency', undefined, DEFAULT_GATE_SETTINGS).trusted).toBe(true);
  });

  it('gates anyway with gate_untrusted, saying so', () => {
    const t = scorerTrust('fcr', binary(120, 72), { ...DEFAULT_GATE_SETTINGS, gate_untrusted: true });
    expect(t.trusted).toBe(true);
    expect(t.reason).toMatch(/gated anyway: gate_untrusted/);
  });
});

describe('checkGate with scorer trust', () => {
  const trust = scorersTrust(['fcr', 'tone', 'safety'], { fcr: binary(60, 57), tone: Array.from({ length: 12 }, () => ({ gold: 4, score: 0.7, pass: true })) }, DEFAULT_GATE_SETTINGS);

  it('skips a threshold on an untrusted scorer with the reason, and applies the others', () => {
    const gate = checkGate(summary({ fcr: 0.5, tone: 0.2, safety: 1, composite: 0.4 }), { failUnder: { fcr: 0.7, tone: 0.6, safety: 0.9, composite: 0.5 }, trust });
    expect(gate.failures).toEqual(['fcr 0.50 < 0.70']);
    expect(gate.notes).toEqual(['tone not gated: only 12 labels to check it against (needs 30)', 'composite not gated: tone only 12 labels to check it against (needs 30)']);
  });

  it('gates a trusted scorer', () => {
    expect(checkGate(summary({ fcr: 0.9 }), { failUnder: { fcr: 0.7 }, trust }).passed).toBe(true);
  });

  it('does not gate a metric that is n/a on every result', () => {
    const s = summary({ accuracy: 0 });
    s.metrics.accuracy = { mean: 0, low: 0, high: 0, n: 0, pass_rate: 0, na: 40 };
    expect(checkGate(s, { failUnder: { accuracy: 0.7 } })).toEqual({ passed: true, failures: [], notes: ['accuracy not gated: n/a on all 40 results (nothing to score against)'] });
  });
});
