// Warranty status of a purchase on a given day: covered through the day before the same calendar
// day `warranty_months` later (bought 2025-01-15 with 12 months: covered until 2026-01-14).
// Every prompt, suite case, answer and fine-tuning example judges each purchase several times, so
// dates are read and written as day numbers here, without Date objects or string splitting.
import { daysFromCivil, isoDate, monthsAfter } from './calendar.ts';
import type { Purchase } from './dialogue.ts';

export interface Warranty {
  status: 'in_warranty' | 'expired';
  expires_on: string;
  days_left: number;
}

/** `onDay` is the customer's local date (YYYY-MM-DD), e.g. the date part of a dialogue's started_at. */
export function warrantyOn(purchase: Pick<Purchase, 'purchased_at' | 'warranty_months'>, onDay: string): Warranty {
  const [y, m, d] = dateParts(purchase.purchased_at);
  const end = monthsAfter(y, m, d, purchase.warranty_months) - 1; // last covered day
  if (!Number.isFinite(end)) throw new RangeError(`not a purchase date: ${purchase.purchased_at}`);
  const [oy, om, od] = dateParts(onDay);
  const daysLeft = end - daysFromCivil(oy, om, od);
  return { status: daysLeft >= 0 ? 'in_warranty' : 'expired', expires_on: isoDate(end), days_left: daysLeft };
}

/** Year, month (1–12) and day of `YYYY-MM-DD…`; any other spelling (`2026-2-5`) through split. */
function dateParts(text: string): [number, number, number] {
  if (text.charCodeAt(4) === 45 && text.charCodeAt(7) === 45) {
    const y = digits(text, 0, 4);
    const m = digits(text, 5, 7);
    const d = digits(text, 8, 10);
    if (y >= 0 && m >= 0 && d >= 0) return [y, m, d];
  }
  return text.slice(0, 10).split('-').map(Number) as [number, number, number];
}

/** The decimal number in text[from, to), or -1 when a character there is not a digit. */
function digits(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}
