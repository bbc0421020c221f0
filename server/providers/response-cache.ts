// Recorded responses, so CI reruns are deterministic and free. An entry is keyed by the sha256 of
// the canonical JSON of { provider id, model, params, messages } (plus the trial number for
// repeated trials): never the case, the template or the signal, so only what the model sees counts.
//
// Modes:
//   off    never read nor write; the provider is called as if there were no cache.
//   read   serve a recorded response when there is one; otherwise call the provider and record
//          the answer (the everyday mode: the first run records, reruns are free).
//   write  always call the provider and record the answer, replacing any recording (refresh).
//   replay serve recorded responses only; a miss fails (ProviderError, not retryable) without
//          calling the provider: for CI with no API keys, where a call would be a mistake.
// Only successful answers are recorded; errors never are. A request that carries a tool runner
// (a tool-using conversation) bypasses the cache in every mode.
//
// Storage: one JSON file per entry, `<dir>/<key[0..2]>/<key>.json`, written to a temporary file
// and renamed into place, so concurrent calls (and processes) never see a partial entry; two
// writers of the same key both write a complete file and the last rename wins.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import type { ChatMessage, GenerateRequest, GenerateResult, ModelParams, Provider } from '../domain/eval.ts';
import { ProviderError } from './provider-error.ts';
import { canonicalJson } from '../domain/canonical-json.ts';

export const RESPONSE_CACHE_MODES = ['off', 'read', 'write', 'replay'] as const;
export const ResponseCacheMode = z.enum(RESPONSE_CACHE_MODES);
export type ResponseCacheMode = z.infer<typeof ResponseCacheMode>;

/** Relative to the working directory; `.cache/` is gitignored. */
export const DEFAULT_RESPONSE_CACHE_DIR = '.cache/firstcall/responses';

const ENTRY_VERSION = 1;

/** A cache key: the sha256 of the request, in hex (checked before it names a file). */
export const CACHE_KEY = /^[0-9a-f]{64}$/;

export const CachedEntry = z.object({
  version: z.literal(ENTRY_VERSION),
  key: z.string().regex(CACHE_KEY),
  provider: z.string(),
  recorded_at: z.string(),
  /** How long the original call took (the reply's latency as recorded). */
  latency_ms: z.number(),
  result: z.object({
    text: z.string(),
    usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }).optional(),
    model: z.string(),
  }),
  request: z.object({ params: z.record(z.string(), z.unknown()), messages: z.array(z.unknown()) }),
});
export type CachedEntry = z.infer<typeof CachedEntry>;

export interface ResponseCacheStats {
  /** Lookups that found an entry. */
  hits: number;
  /** Lookups that found none (`write` mode does not look up, so it counts only writes). */
  misses: number;
  /** Entries recorded. */
  writes: number;
  /** Entries that could not be recorded (withCache still returns the answer). */
  writeErrors: number;
}

export interface ResponseCache {
  readonly mode: ResponseCacheMode;
  /** Absolute directory of the entries. */
  readonly dir: string;
  /** The entry for a key, or undefined (also for an unreadable or foreign file); counts a hit or a miss. */
  get(key: string): Promise<CachedEntry | undefined>;
  /** Records an entry atomically; counts a write or a write error (and rethrows it). */
  put(entry: CachedEntry): Promise<void>;
  stats(): ResponseCacheStats;
}

export { canonicalJson };

/** The cache key (sha256 hex) of a request to a provider. Trial 0 / undefined: a single run. */
export function responseCacheKey(
  providerId: string,
  request: { messages: ChatMessage[]; params: ModelParams },
  trial?: number,
): string {
  const colon = providerId.indexOf(':');
  const material = {
    provider: providerId,
    model: colon < 0 ? providerId : providerId.slice(colon + 1),
    params: request.params,
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(trial ? { trial } : {}),
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

export function createResponseCache(options: { mode?: ResponseCacheMode; dir?: string } = {}): ResponseCache {
  const mode = options.mode ?? 'read';
  const dir = resolve(options.dir ?? DEFAULT_RESPONSE_CACHE_DIR);
  const stats: ResponseCacheStats = { hits: 0, misses: 0, writes: 0, writeErrors: 0 };
  const fileOf = (key: string) => {
    if (!CACHE_KEY.test(key)) throw new Error(`not a response cache key: ${JSON.stringify(key.slice(0, 80))}`);
    return join(dir, key.slice(0, 2), `${key}.json`);
  };

  return {
    mode,
    dir,
    async get(key) {
      const entry = CACHE_KEY.test(key) ? await readEntry(fileOf(key), key) : undefined;
      if (entry) stats.hits++;
      else stats.misses++;
      return entry;
    },
    async put(entry) {
      let temp: string | undefined;
      try {
        const file = fileOf(entry.key);
        temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
        await mkdir(dirname(file), { recursive: true });
        await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`, 'utf8');
        await rename(temp, file);
        stats.writes++;
      } catch (error) {
        stats.writeErrors++;
        if (temp) await rm(temp, { force: true });
        throw error;
      }
    },
    stats: () => ({ ...stats }),
  };
}

/**
 * The provider through the run's cache, if it has one; offline providers (`local:`, `replay:`) stay
 * live, since their answers cost nothing and come from the store or the sandbox.
 */
export function throughCache(provider: Provider, cache: ResponseCache | undefined): Provider {
  return cache && !/^(local|replay):/.test(provider.id) ? withCache(provider, cache) : provider;
}

/** The counts a run reports (write errors aside). */
export type ResponseCacheCounts = Pick<ResponseCacheStats, 'hits' | 'misses' | 'writes'>;

async function readEntry(file: string, key: string): Promise<CachedEntry | undefined> {
  try {
    const entry = CachedEntry.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return entry.success && entry.data.key === key ? entry.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The provider behind the cache, with the same id. `trial` (1, 2, …) keeps repeated trials of the
 * same request apart, e.g. for pass^k; leave it out for a single run.
 */
export function withCache(provider: Provider, cache: ResponseCache, options: { trial?: number } = {}): Provider {
  if (cache.mode === 'off') return provider;
  return {
    id: provider.id,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      // A tool-using request acts on a sandbox through its tool runner: a recorded reply would skip
      // those calls (and leave the back office untouched), so such requests always go to the model.
      if (request.toolRunner !== undefined) return provider.generate(request);
      const key = responseCacheKey(provider.id, request, request.trial ?? options.trial);
      if (cache.mode !== 'write') {
        const entry = await cache.get(key);
        if (entry) return { ...structuredClone(entry.result), cached: { latency_ms: entry.latency_ms } };
      }
      if (cache.mode === 'replay') {
        throw new ProviderError(`${provider.id}: no recorded response for this request (response cache in replay mode, ${cache.dir})`, {
          provider: provider.id,
          kind: 'no_answer',
          retryable: false,
        });
      }
      const started = performance.now();
      const result = await provider.generate(request);
      const entry: CachedEntry = {
        version: ENTRY_VERSION,
        key,
        provider: provider.id,
        recorded_at: new Date().toISOString(),
        latency_ms: Math.round(performance.now() - started),
        result: {
          text: result.text,
          ...(result.usage ? { usage: { input_tokens: result.usage.input_tokens, output_tokens: result.usage.output_tokens } } : {}),
          model: result.model,
        },
        request: { params: { ...request.params }, messages: request.messages },
      };
      // A full disk must not fail the call: the answer is good, it just is not recorded (see stats).
      await cache.put(entry).catch(() => undefined);
      return result;
    },
  };
}
