// Warranty status of a purchase on a given day: covered through the day before the same calendar
// day `warranty_months` later (bought 2025-01-15 with 12 months: covered until 2026-01-14).
import type { Purchase } from './dialogue.ts';

export interface Warranty {
  status: 'in_warranty' | 'expired';
  expires_on: string;
  days_left: number;
}

const DAY = 86_400_000;

/** `onDay` is the customer's local date (YYYY-MM-DD), e.g. the date part of a dialogue's started_at. */
export function warrantyOn(purchase: Pick<Purchase, 'purchased_at' | 'warranty_months'>, onDay: string): Warranty {
  const [y, m, d] = purchase.purchased_at.split('-').map(Number) as [number, number, number];
  const targetMonth = m - 1 + purchase.warranty_months;
  const lastDayOfTarget = new Date(Date.UTC(y, targetMonth + 1, 0)).getUTCDate();
  const end = Date.UTC(y, targetMonth, Math.min(d, lastDayOfTarget)) - DAY; // last covered day
  const [oy, om, od] = onDay.slice(0, 10).split('-').map(Number) as [number, number, number];
  const today = Date.UTC(oy, om - 1, od);
  const daysLeft = Math.round((end - today) / DAY);
  return { status: daysLeft >= 0 ? 'in_warranty' : 'expired', expires_on: new Date(end).toISOString().slice(0, 10), days_left: daysLeft };
}
