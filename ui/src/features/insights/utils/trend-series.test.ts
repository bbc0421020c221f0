import { describe, expect, it } from 'vitest';
import { TREND_METRICS, type Estimate, type TrendPoint } from '../../../lib/contract.ts';
import { addDays, chartRows, dailySeries, groupSeries, hasValues } from './trend-series.ts';

const none = Object.fromEntries(TREND_METRICS.map((m) => [m, null])) as TrendPoint['metrics'];
const point = (period: string, group: string | null, volume: number, metrics: Partial<Record<keyof typeof none, Estimate>> = {}): TrendPoint => ({
  period,
  label: period,
  group,
  volume,
  metrics: { ...none, ...metrics },
  service_hours: { covered: 0, of: 24 },
});

describe('groupSeries', () => {
  it('puts all dialogues first, then groups by volume', () => {
    const s = groupSeries([point('2026-06-01', 'web', 3), point('2026-06-01', null, 10), point('2026-06-01', 'app', 7), point('2026-06-08', 'web', 5)]);
    expect(s).toEqual([
      { key: 's0', group: null, volume: 10 },
      { key: 's1', group: 'web', volume: 8 },
      { key: 's2', group: 'app', volume: 7 },
    ]);
  });
});

describe('chartRows', () => {
  const fcr = (value: number, low: number | null, high: number | null): Estimate => ({ value, low, high, n: 10 });
  const points = [
    point('2026-06-08', null, 4, { fcr: fcr(0.5, 0.2, 0.8), seconds_to_resolution: fcr(120, 60, 180) }),
    point('2026-06-01', null, 6, { fcr: fcr(0.6, null, null) }),
    point('2026-06-01', 'web', 6, { fcr: fcr(0.6, 0.3, 0.9) }),
  ];
  const series = groupSeries(points);

  it('gives a mean and a [low, high] band per series, oldest period first, gaps where nothing was measured', () => {
    expect(chartRows(points, 'fcr', series)).toEqual([
      { period: '2026-06-01', label: '2026-06-01', s0: 0.6, s0_band: null, s1: 0.6, s1_band: [0.3, 0.9] },
      { period: '2026-06-08', label: '2026-06-08', s0: 0.5, s0_band: [0.2, 0.8], s1: null, s1_band: null },
    ]);
  });

  it('counts a period without a group’s dialogues as 0 contacts, and shows handling time in minutes', () => {
    expect(chartRows(points, 'volume', series).map((r) => [r.s0, r.s1])).toEqual([
      [6, 6],
      [4, 0],
    ]);
    expect(chartRows(points, 'seconds_to_resolution', series)[1]).toMatchObject({ s0: 2, s0_band: [1, 3] });
  });

  it('knows when a metric has no value at all (no cost logged)', () => {
    expect(hasValues(points, 'cost_per_contact')).toBe(false);
    expect(hasValues(points, 'fcr')).toBe(true);
  });
});

describe('dailySeries', () => {
  it('fills days without the intent with 0 and stops at the newest day in the store', () => {
    const points = [point('2026-06-18', null, 5), point('2026-06-20', null, 20), point('2026-06-20', 'warranty_claim', 14), point('2026-06-18', 'warranty_claim', 1)];
    expect(dailySeries(points, 'warranty_claim', '2026-06-17', '2026-06-27')).toEqual([
      { day: '2026-06-17', count: 0 },
      { day: '2026-06-18', count: 1 },
      { day: '2026-06-19', count: 0 },
      { day: '2026-06-20', count: 14 },
    ]);
    expect(dailySeries([], 'x', '2026-06-17', '2026-06-20')).toEqual([]);
  });

  it('adds days across month ends', () => {
    expect(addDays('2026-06-29', 3)).toBe('2026-07-02');
    expect(addDays('2026-03-01', -56)).toBe('2026-01-04');
  });
});
