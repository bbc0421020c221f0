// Display helpers that keep the customer's local clock (timestamps are stored with their offset).

/** `2026-03-02T09:14:00+08:00` -> `09:14`, in the offset it was written with. */
export function localTime(iso: string | undefined): string {
  if (!iso) return '';
  const match = /T(\d{2}:\d{2})/.exec(iso);
  return match ? match[1]! : iso;
}

/** `2026-03-02T09:14:00+08:00` -> `2026-03-02 09:14 (+08:00)`. */
export function localDateTime(iso: string | undefined): string {
  if (!iso) return '';
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!match) return iso;
  const offset = match[3] === 'Z' ? 'UTC' : match[3];
  return `${match[1]} ${match[2]}${offset ? ` (${offset})` : ''}`;
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined): string {
  return value === null || value === undefined || Number.isNaN(value) ? '—' : `${Math.round(value * 100)}%`;
}
