// Filtering the intent combobox: what the reviewer typed, as an intent key, and the matches.
import { IntentKey } from '../../../lib/contract.ts';

/** `Screen Repair` / `screen-repair` -> `screen_repair`. */
export function normalizeIntent(query: string): string {
  return query.trim().toLowerCase().replace(/[\s\-]+/g, '_');
}

export type IntentOption = { kind: 'existing'; key: string; count: number } | { kind: 'new'; key: string };

/** Prefix matches first, then substring matches, most used first; a valid unknown key can be added. */
export function intentOptions(intents: readonly { key: string; count: number }[], query: string, limit = 50): IntentOption[] {
  const wanted = normalizeIntent(query);
  const byUse = [...intents].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const prefix = byUse.filter((i) => i.key.startsWith(wanted));
  const inner = wanted ? byUse.filter((i) => !i.key.startsWith(wanted) && i.key.includes(wanted)) : [];
  const options: IntentOption[] = [...prefix, ...inner].slice(0, limit).map((i) => ({ kind: 'existing', key: i.key, count: i.count }));
  if (wanted && !intents.some((i) => i.key === wanted) && IntentKey.safeParse(wanted).success) options.push({ kind: 'new', key: wanted });
  return options;
}
