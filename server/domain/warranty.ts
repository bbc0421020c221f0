// Warranty status of a purchase on a given day: covered through the day before the same calendar
// day `warranty_months` later (bought 2025-01-15 with 12 months: covered until 2026-01-14).
// Every prompt, suite case, answer and fine-tuning example judges each purchase several times, so
// dates are read and written as day numbers here, without Date objects or string splitting.
import type { Purchase } from './dialogue.ts';

export interface Warranty {
  status: 'in_warranty' | 'expired';
  expires_on: string;
  days_left: number;
}

const DAY = 86_400_000;

/** `onDay` is the customer's local date (YYYY-MM-DD), e.g. the date part of a dialogue's started_at. */
export function warrantyOn(purchase: Pick<Purchase, 'purchased_at' | 'warranty_months'>, onDay: string): Warranty {
  const [y, m, d] = dateParts(purchase.purchased_at);
  const targetMonth = m - 1 + purchase.warranty_months;
  const lastDayOfTarget = (Date.UTC(y, targetMonth + 1, 1) - Date.UTC(y, targetMonth, 1)) / DAY;
  const end = Date.UTC(y, targetMonth, Math.min(d, lastDayOfTarget)) / DAY - 1; // last covered day
  if (!Number.isFinite(end)) throw new RangeError(`not a purchase date: ${purchase.purchased_at}`);
  const [oy, om, od] = dateParts(onDay);
  const daysLeft = end - Date.UTC(oy, om - 1, od) / DAY;
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

/** YYYY-MM-DD of a day number (days since 1970-01-01), by H. Hinnant's civil_from_days. */
function isoDate(day: number): string {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
