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
