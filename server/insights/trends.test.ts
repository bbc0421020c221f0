// The statistics behind trends and alerts, against values worked out by hand or by R.
import { describe, expect, it } from 'vitest';
import { detectDrops } from './alerts-drop-detector.ts';
import { benjaminiHochberg, chiSquareIndependence, isoWeekLabel, meanEstimate, proportionDropP, rateEstimate, ratioEstimate } from './trends.ts';

describe('insight statistics', () => {
  it('adjusts p-values with Benjamini–Hochberg (R: p.adjust(method = "BH"))', () => {
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005, 0.5]);
    expect(adjusted.map((q) => Number(q.toFixed(6)))).toEqual([0.025, 0.05, 0.05, 0.025, 0.5]);
    expect(benjaminiHochberg([])).toEqual([]);
  });

  it('tests channel × resolution independence (R: chisq.test(correct = FALSE))', () => {
    // matrix(c(30, 10, 20, 20), 2): X-squared = 5.3333, df = 1, p = 0.02092.
    const r = chiSquareIndependence([{ successes: 30, n: 40 }, { successes: 20, n: 40 }])!;
    expect(r.statistic).toBeCloseTo(5.3333, 4);
    expect(r.df).toBe(1);
    expect(r.p).toBeCloseTo(0.02092, 4);
    expect(r.smallCounts).toBe(false);
    expect(chiSquareIndependence([{ successes: 3, n: 3 }, { successes: 2, n: 2 }])).toBeNull();
  });

  it('gives intervals from aggregated moments, shares and ratios', () => {
    const values = [1, 2, 3, 4];
    const m = meanEstimate({ n: 4, sum: 10, sumSq: values.reduce((a, v) => a + v * v, 0) })!;
    // t(0.975, 3) = 3.182446, sd = 1.290994: half-width 2.054.
    expect(m.value).toBe(2.5);
    expect(m.high! - m.value).toBeCloseTo(3.182446 * (1.290994 / 2), 5);
    expect(meanEstimate({ n: 1, sum: 3, sumSq: 9 })).toEqual({ value: 3, low: null, high: null, n: 1 });
    expect(meanEstimate({ n: 0, sum: 0, sumSq: 0 })).toBeNull();
    expect(rateEstimate(0, 10)).toMatchObject({ value: 0, low: 0 });
    expect(ratioEstimate({ n: 4, c: 4, cc: 4, r: 2, rr: 2, cr: 2 })!.value).toBe(2);
    expect(ratioEstimate({ n: 4, c: 4, cc: 4, r: 0, rr: 0, cr: 0 })).toBeNull();
  });

  it('labels ISO weeks, also across a year boundary', () => {
    expect(isoWeekLabel('2026-06-15')).toBe('2026-W25');
    expect(isoWeekLabel('2026-01-01')).toBe('2026-W01');
    expect(isoWeekLabel('2027-01-01')).toBe('2026-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
  });

  it('detects a drop in FCR only when it is significant and large enough', () => {
    expect(proportionDropP({ successes: 9, n: 30 }, { successes: 192, n: 240 })).toBeLessThan(1e-6);
    expect(proportionDropP({ successes: 24, n: 30 }, { successes: 192, n: 240 })).toBeGreaterThan(0.4);
    const weeks = Array.from({ length: 9 }, (_, k) => new Date(Date.UTC(2026, 2, 2 + 7 * k)).toISOString().slice(0, 10));
    const rows = weeks.map((week, k) => ({ key: 'billing', week, fcr: { successes: k === 8 ? 9 : 24, n: 30 }, csat: { n: 0, sum: 0, sumSq: 0 } }));
    const options = { fromWeek: weeks[8]!, toWeek: weeks[8]!, baselineWeeks: 8, minDrop: 0.1, minWeek: 10, q: 0.05 };
    const found = detectDrops(rows, options);
    expect(found.tests).toEqual({ fcr_drop: 1, csat_drop: 0 });
    expect(found.findings).toMatchObject([{ kind: 'fcr_drop', key: 'billing', week: weeks[8], observed: 0.3, expected: 0.8 }]);
    // Too few dialogues in the week: not tested.
    expect(detectDrops(rows.map((r, k) => (k === 8 ? { ...r, fcr: { successes: 1, n: 5 } } : r)), options).tests.fcr_drop).toBe(0);
  });
});
