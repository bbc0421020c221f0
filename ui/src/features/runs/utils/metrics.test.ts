import { describe, expect, it } from 'vitest';
import { CHART_METRICS, CONVERSATION_CHART_METRICS, chartRows, filterAndSort, formatConversationInterval, formatInterval, legendOrder } from './metrics.ts';

describe('run metric helpers', () => {
  it('orders legend items as the bars are drawn, not by name', () => {
    const sorted = ['accuracy', 'composite', 'fcr', 'tone'].sort((x, y) => legendOrder(CHART_METRICS, x) - legendOrder(CHART_METRICS, y));
    expect(sorted).toEqual([...CHART_METRICS]);
    expect(legendOrder(CHART_METRICS, 'other')).toBe(CHART_METRICS.length);
  });

  it('formats a mean with its interval', () => {
    expect(formatInterval({ mean: 0.5, low: 0.41, high: 0.6, n: 10, pass_rate: 0.5 })).toBe('0.50 [0.41, 0.60]');
    expect(formatInterval(undefined)).toBe('—');
  });

  it('keeps regressions only and sorts by delta, unknown last', () => {
    const cases = [{ id: 'a', delta: 0.2 }, { id: 'b', delta: -0.5 }, { id: 'c', delta: null }, { id: 'd', delta: -0.1 }];
    expect(filterAndSort(cases, true, 'asc').map((c) => c.id)).toEqual(['b', 'd']);
    expect(filterAndSort(cases, false, 'desc').map((c) => c.id)).toEqual(['a', 'd', 'b', 'c']);
    expect(filterAndSort(cases, false, 'none').map((c) => c.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('builds chart rows with error bars', () => {
    const summary = { mean: 0.5, low: 0.4, high: 0.7, n: 3, pass_rate: 0.3 };
    const rows = chartRows([{ candidate_name: 'x', summary: { metrics: { composite: summary } } } as never]);
    expect(rows[0]!.composite).toBe(0.5);
    expect((rows[0]!.composite_err as number[]).map((v) => v.toFixed(2))).toEqual(['0.10', '0.20']);
    expect(rows[0]!.fcr_err).toEqual([0, 0]);
  });

  it('formats conversation intervals, unbounded ones too', () => {
    expect(formatConversationInterval({ mean: 0.68, low: 0.49, high: 0.82, n: 28 })).toBe('0.68 [0.49, 0.82]');
    expect(formatConversationInterval({ mean: 2, low: 1, high: null, n: 1 }, 1)).toBe('2.0 [1.0, ∞]');
    expect(formatConversationInterval(null)).toBe('—');
  });

  it('builds chart rows for the metrics asked for', () => {
    const summary = { mean: 0.9, low: 0.8, high: 1, n: 3, pass_rate: 0.9 };
    const rows = chartRows([{ candidate_name: 'x', summary: { metrics: { goal_success: summary } } } as never], CONVERSATION_CHART_METRICS);
    expect(rows[0]!.goal_success).toBe(0.9);
    expect(rows[0]).not.toHaveProperty('accuracy');
  });
});
