import { describe, expect, it } from 'vitest';
import { warrantyOn } from './warranty.ts';

describe('warrantyOn', () => {
  it('covers a phone bought three weeks ago under a 12-month warranty', () => {
    expect(warrantyOn({ purchased_at: '2026-02-09', warranty_months: 12 }, '2026-03-02')).toEqual({
      status: 'in_warranty',
      expires_on: '2027-02-08',
      days_left: 343,
    });
  });

  it('does not cover a phone bought 14 months ago under a 12-month warranty', () => {
    const w = warrantyOn({ purchased_at: '2025-01-02', warranty_months: 12 }, '2026-03-02');
    expect(w.status).toBe('expired');
    expect(w.expires_on).toBe('2026-01-01');
    expect(w.days_left).toBe(-60);
  });

  it('covers the last day and not the day after', () => {
    expect(warrantyOn({ purchased_at: '2025-01-15', warranty_months: 12 }, '2026-01-14').status).toBe('in_warranty');
    expect(warrantyOn({ purchased_at: '2025-01-15', warranty_months: 12 }, '2026-01-15').status).toBe('expired');
  });

  it('ends a warranty bought on the 31st at the end of a shorter month', () => {
    expect(warrantyOn({ purchased_at: '2025-08-31', warranty_months: 6 }, '2026-02-27').expires_on).toBe('2026-02-27');
  });

  it('uses the local date of an ISO timestamp with an offset', () => {
    expect(warrantyOn({ purchased_at: '2025-03-02', warranty_months: 12 }, '2026-03-01T23:30:00+08:00').status).toBe('in_warranty');
  });
});

describe('warrantyOn against the calendar', () => {
  // The same rule spelled with Date objects: what the day-number arithmetic must agree with.
  const byDates = (purchasedAt: string, months: number, onDay: string) => {
    const [y, m, d] = purchasedAt.split('-').map(Number) as [number, number, number];
    const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
    const end = Date.UTC(y, m - 1 + months, Math.min(d, lastDay)) - 86_400_000;
    const [oy, om, od] = onDay.slice(0, 10).split('-').map(Number) as [number, number, number];
    const daysLeft = Math.round((end - Date.UTC(oy, om - 1, od)) / 86_400_000);
    return { status: daysLeft >= 0 ? 'in_warranty' : 'expired', expires_on: new Date(end).toISOString().slice(0, 10), days_left: daysLeft };
  };

  it('agrees with Date arithmetic on every day of four years, month-ends and leap days included', () => {
    let checked = 0;
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += 86_400_000) {
      const day = new Date(t).toISOString().slice(0, 10);
      for (const months of [0, 1, 6, 12, 13, 24, 36]) {
        expect(warrantyOn({ purchased_at: day, warranty_months: months }, '2026-02-28T09:00:00+08:00')).toEqual(byDates(day, months, '2026-02-28'));
        checked++;
      }
    }
    expect(checked).toBe(1461 * 7);
    expect(warrantyOn({ purchased_at: '1999-12-31', warranty_months: 2 }, '2000-02-29')).toEqual(byDates('1999-12-31', 2, '2000-02-29'));
  });

  it('reads dates written without leading zeros as before', () => {
    expect(warrantyOn({ purchased_at: '2025-3-2', warranty_months: 12 }, '2026-3-1')).toEqual(byDates('2025-03-02', 12, '2026-03-01'));
  });

  it('refuses a purchase date that is not a date', () => {
    expect(() => warrantyOn({ purchased_at: 'soon', warranty_months: 12 }, '2026-03-01')).toThrow(RangeError);
  });
});
