// Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian): integer maths, no
// Date objects, for hot paths (warranties in every prompt and example, the synthetic generator).

export interface Civil {
  y: number;
  m: number; // 1-12
  d: number; // 1-31
}

const P2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? '0' : '') + i);

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

/** The day number of the same day of the month `months` after y-m-d, clamped to that month's end (how warranties are counted). */
export function monthsAfter(y: number, m: number, d: number, months: number): number {
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  return daysFromCivil(ty, tm, Math.min(d, daysInMonth(ty, tm)));
}

/** Same day-of-month `months` later, clamped to the month's end. */
export function addMonths(day: number, months: number): number {
  const c = civilFromDays(day);
  return monthsAfter(c.y, c.m, c.d, months);
}

/** YYYY-MM-DD of a day number. */
export function isoDate(day: number): string {
  const c = civilFromDays(day);
  return c.y + '-' + P2[c.m] + '-' + P2[c.d];
}

/** Day number of a YYYY-MM-DD string. */
export function dayOfIsoDate(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}
