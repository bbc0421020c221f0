import { describe, expect, it } from 'vitest';
import { addMonths, civilFromDays, daysFromCivil, dayOfIsoDate, isoDate, isoDateTime, localDay } from './time.ts';

describe('calendar arithmetic', () => {
  it('round-trips day numbers and agrees with Date', () => {
    for (let day = -1000; day < 30_000; day += 37) {
      const c = civilFromDays(day);
      expect(daysFromCivil(c.y, c.m, c.d)).toBe(day);
      expect(isoDate(day)).toBe(new Date(day * 86_400_000).toISOString().slice(0, 10));
      expect(dayOfIsoDate(isoDate(day))).toBe(day);
    }
  });

  it('adds months like a warranty does, clamping to the month end', () => {
    expect(isoDate(addMonths(dayOfIsoDate('2025-03-02'), 12))).toBe('2026-03-02');
    expect(isoDate(addMonths(dayOfIsoDate('2024-01-31'), 1))).toBe('2024-02-29');
    expect(isoDate(addMonths(dayOfIsoDate('2025-01-31'), 1))).toBe('2025-02-28');
    expect(isoDate(addMonths(dayOfIsoDate('2024-11-15'), 24))).toBe('2026-11-15');
  });

  it('formats local time with the offset', () => {
    const ms = Date.parse('2026-03-02T01:14:05Z');
    expect(isoDateTime(ms, 480)).toBe('2026-03-02T09:14:05+08:00');
    expect(isoDateTime(ms, -300)).toBe('2026-03-01T20:14:05-05:00');
    expect(isoDateTime(ms, 330)).toBe('2026-03-02T06:44:05+05:30');
    expect(isoDateTime(ms, 0)).toBe('2026-03-02T01:14:05+00:00');
    expect(Date.parse(isoDateTime(ms, -480))).toBe(ms);
    expect(localDay(ms, -300)).toBe(dayOfIsoDate('2026-03-01'));
  });
});
