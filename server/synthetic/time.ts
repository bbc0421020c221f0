// Calendar arithmetic on day numbers and fast ISO-8601 formatting with a fixed UTC offset
// (integer maths, no Date objects on the hot path).

export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

const P2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

export interface Civil {
  y: number;
  m: number; // 1-12
  d: number; // 1-31
}

/** Days since 1970-01-01 -> proleptic Gregorian date (H. Hinnant's algorithm). */
export function civilFromDays(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Same day-of-month `months` later, clamped to the month's end (how warranties are counted). */
export function addMonths(day: number, months: number): number {
  const c = civilFromDays(day);
  const total = c.y * 12 + (c.m - 1) + months;
  const y = Math.floor(total / 12);
  const m = (total % 12) + 1;
  return daysFromCivil(y, m, Math.min(c.d, daysInMonth(y, m)));
}

/** YYYY-MM-DD of a day number. */
export function isoDate(day: number): string {
  const c = civilFromDays(day);
  return c.y + '-' + P2[c.m] + '-' + P2[c.d];
}

/** YYYYMMDD of a day number (order and ticket numbers). */
export function compactDate(day: number): string {
  const c = civilFromDays(day);
  return c.y + P2[c.m]! + P2[c.d]!;
}

/** Day number of a YYYY-MM-DD string. */
export function dayOfIsoDate(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
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
