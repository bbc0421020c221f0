// Calendar arithmetic on day numbers and fast ISO-8601 formatting with a fixed UTC offset
// (integer maths, no Date objects on the hot path).
import { civilFromDays, isoDate } from '../domain/calendar.ts';

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const P2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

// The calendar itself lives in domain/calendar.ts (warranties use it too).
export { addMonths, civilFromDays, dayOfIsoDate, daysFromCivil, isoDate, type Civil } from '../domain/calendar.ts';

/** YYYYMMDD of a day number (order and ticket numbers). */
export function compactDate(day: number): string {
  const c = civilFromDays(day);
  return c.y + P2[c.m]! + P2[c.d]!;
}


/** The local day number of instant `ms` at `offsetMin` minutes east of UTC. */
export function localDay(ms: number, offsetMin: number): number {
  return Math.floor((ms + offsetMin * MINUTE) / DAY);
}

// Turns of a dialogue share a day and an offset: remember the last ones (a hot path).
let cachedDay = NaN;
let cachedDayPrefix = '';
let cachedOffset = NaN;
let cachedSuffix = '';

/** `2026-03-02T09:14:00+08:00`: the instant `ms` shown in local time at `offsetMin`. */
export function isoDateTime(ms: number, offsetMin: number): string {
  const local = ms + offsetMin * MINUTE;
  const day = Math.floor(local / DAY);
  let rest = Math.floor((local - day * DAY) / 1000);
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const min = Math.floor(rest / 60);
  const s = rest - min * 60;
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDayPrefix = isoDate(day) + 'T';
  }
  if (offsetMin !== cachedOffset) {
    cachedOffset = offsetMin;
    cachedSuffix = offsetSuffix(offsetMin);
  }
  return cachedDayPrefix + P2[h] + ':' + P2[min] + ':' + P2[s] + cachedSuffix;
}

function offsetSuffix(offsetMin: number): string {
  const abs = Math.abs(offsetMin);
  return (offsetMin < 0 ? '-' : '+') + P2[Math.floor(abs / 60)] + ':' + P2[abs % 60];
}
