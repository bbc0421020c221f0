import { describe, expect, it } from 'vitest';
import { alertQValue, alertValue, formatEstimate, formatP } from './format-insights.ts';

describe('insights formatting', () => {
  it('writes p-values, tiny ones as < 0.001', () => {
    expect(formatP(0.0000012)).toBe('< 0.001');
    expect(formatP(0.0421)).toBe('0.042');
    expect(formatP(null)).toBe('—');
  });

  it('writes estimates with their interval, or alone without spread', () => {
    expect(formatEstimate({ value: 0.72, low: 0.65, high: 0.78, n: 100 }, 'share')).toBe('72% [65%, 78%]');
    expect(formatEstimate({ value: 0.5, low: null, high: null, n: 1 }, 'share')).toBe('50%');
    expect(formatEstimate({ value: 150, low: 90, high: 210, n: 9 }, 'minutes')).toBe('2.5 [1.5, 3.5]');
    expect(formatEstimate(null, 'number')).toBe('—');
  });

  it('writes counts for spikes and shares for drops; reads the adjusted p-value from the details', () => {
    expect(alertValue({ kind: 'spike' }, 14)).toBe('14');
    expect(alertValue({ kind: 'spike' }, 1.234)).toBe('1.2');
    expect(alertValue({ kind: 'fcr_drop' }, 0.61)).toBe('61%');
    expect(alertQValue({ details: { q_value: 0.002 } })).toBe(0.002);
    expect(alertQValue({ details: {} })).toBeNull();
  });
});
