// Filtering the intent combobox: what the reviewer typed, as an intent key, and the matches (by key,
// by the key's words, or by display name in either language).
import { IntentKey } from '../../../lib/contract.ts';

export interface IntentEntry {
  key: string;
  count: number;
  /** Display names per UI language (the taxonomy's optional names). */
  names?: { zh?: string; en?: string };
}

/** `Screen Repair` / `screen-repair` -> `screen_repair`; full-width characters NFKC-normalised (`ｒｅｆｕｎｄ` -> `refund`). */
export function normalizeIntent(query: string): string {
  return query.normalize('NFKC').trim().toLowerCase().replace(/[\s\-]+/g, '_');
}

/** `CheckCreditCardBalance` -> `check_credit_card_balance`, so keys from imported datasets are found by their words; snake_case and CJK keys stay as they are. */
export function intentWords(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

export type IntentOption = { kind: 'existing'; key: string; count: number; name?: string } | { kind: 'new'; key: string };

/** The intent's name in the UI language, if it has one. */
export function intentDisplayName(entry: Pick<IntentEntry, 'names'>, locale: 'zh' | 'en'): string | undefined {
  return entry.names?.[locale];
}

/** Prefix matches first (key or a display name), then substring matches, most used first; a valid unknown key can be added. */
export function intentOptions(intents: readonly IntentEntry[], query: string, limit = 50, locale: 'zh' | 'en' = 'en'): IntentOption[] {
  const wanted = normalizeIntent(query);
  const typed = query.normalize('NFKC').trim().toLowerCase();
  const names = (i: IntentEntry) => Object.values(i.names ?? {}).map((n) => n.normalize('NFKC').toLowerCase());
  const byUse = [...intents].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  const keys = (i: IntentEntry) => [i.key, intentWords(i.key)];
  const isPrefix = (i: IntentEntry) => keys(i).some((k) => k.startsWith(wanted)) || (typed !== '' && names(i).some((n) => n.startsWith(typed)));
  const isInner = (i: IntentEntry) => keys(i).some((k) => k.includes(wanted)) || names(i).some((n) => n.includes(typed));
  const prefix = byUse.filter(isPrefix);
  const inner = wanted ? byUse.filter((i) => !isPrefix(i) && isInner(i)) : [];
  const options: IntentOption[] = [...prefix, ...inner].slice(0, limit).map((i) => {
    const name = intentDisplayName(i, locale);
    return name === undefined ? { kind: 'existing', key: i.key, count: i.count } : { kind: 'existing', key: i.key, count: i.count, name };
  });
  const parsed = wanted ? IntentKey.safeParse(wanted) : null;
  if (parsed?.success && !intents.some((i) => i.key === parsed.data)) options.push({ kind: 'new', key: parsed.data });
  return options;
}
