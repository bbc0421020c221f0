// USD per 1M tokens for a few well-known models, to turn token usage into money.
//
// Taken from the vendors' public price pages as listed in mid-2025 (PRICES_AS_OF): OpenAI standard
// (not batch, not cached) rates, DeepSeek's cache-miss rate, Alibaba Cloud Model Studio's
// international rate for the smallest context tier. Prices change: edit this table (or pass
// `prices` to the cost scorer) rather than trusting it. local:* and replay:* cost nothing.
export const PRICES_AS_OF = '2025-06';

export interface ModelPrice {
  /** USD per 1M input (prompt) tokens. */
  input: number;
  /** USD per 1M output (completion) tokens. */
  output: number;
}

export const PRICE_TABLE: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek-reasoner': { input: 0.55, output: 2.19 },
  'qwen-plus': { input: 0.4, output: 1.2 },
  'qwen-turbo': { input: 0.05, output: 0.2 },
  'qwen-max': { input: 1.6, output: 6.4 },
});

/** Providers that never bill: the offline knowledge-base bot and replays of logged replies. */
export const FREE_PROVIDERS: readonly string[] = ['local', 'replay'];

export interface PriceLookup {
  price: ModelPrice;
  /** The table key that matched, or the free provider. */
  matched: string;
}

/**
 * The price of `provider:model`: free providers cost 0; otherwise the exact id, then the model name
 * (the part after the last '/', so "hf:Qwen/qwen-plus" and "openai:qwen-plus" both find qwen-plus),
 * then the longest table key the name starts with (all case-insensitive) ("gpt-4o-mini-2024-07-18" -> gpt-4o-mini).
 */
export function lookupPrice(modelId: string, table: Readonly<Record<string, ModelPrice>> = PRICE_TABLE): PriceLookup | null {
  const colon = modelId.indexOf(':');
  const provider = colon === -1 ? '' : modelId.slice(0, colon).toLowerCase();
  if (FREE_PROVIDERS.includes(provider)) return { price: { input: 0, output: 0 }, matched: `${provider}:*` };
  const lower = lowerCased(table);
  const exact = lower.get(modelId.toLowerCase());
  if (exact !== undefined) return { price: exact.price, matched: exact.key };
  const name = modelId.slice(colon + 1).split('/').at(-1)!.toLowerCase();
  const byName = lower.get(name);
  if (byName !== undefined) return { price: byName.price, matched: byName.key };
  let best: string | null = null;
  for (const key of lower.keys()) {
    if (name.startsWith(key + '-') && (best === null || key.length > best.length)) best = key;
  }
  return best === null ? null : { price: lower.get(best)!.price, matched: lower.get(best)!.key };
}

type LowerCased = Map<string, { key: string; price: ModelPrice }>;

/**
 * A frozen table (the built-in one, the cost scorer's) cannot gain, lose or swap entries: its
 * lower-cased index is built once. (The index holds the table's own price objects, as before.)
 */
const indexes = new WeakMap<object, LowerCased>();

function lowerCased(table: Readonly<Record<string, ModelPrice>>): LowerCased {
  const cached = indexes.get(table);
  if (cached !== undefined) return cached;
  const lower: LowerCased = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), { key: k, price: v }]));
  if (Object.isFrozen(table)) indexes.set(table, lower);
  return lower;
}
