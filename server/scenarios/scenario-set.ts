// Scenario sets, versioned and content-hashed like suites: the hash is over the scenarios sorted by
// id in canonical JSON (sorted keys), so the same scenarios give the same hash in any order, and a
// new version is made only when the content changed.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Scenario } from './scenario.ts';
import { canonicalJson } from '../domain/canonical-json.ts';

export const ScenarioSet = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a set name is letters, digits, dot, dash, underscore'),
  version: z.number().int().min(1),
  /** sha256 over the scenarios' canonical JSON (see scenarioSetHash). */
  hash: z.string(),
  created_at: z.string(),
  scenarios: z.array(Scenario),
});
export type ScenarioSet = z.infer<typeof ScenarioSet>;

/** JSON with object keys sorted and undefined fields dropped: equal values give equal text. */
export const stableJson = canonicalJson;

/** sha256 (hex) of the scenarios, parsed (defaults filled), sorted by id, in canonical JSON. Duplicate ids throw. */
export function scenarioSetHash(scenarios: readonly z.input<typeof Scenario>[]): string {
  const parsed = scenarios.map((s) => Scenario.parse(s)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < parsed.length; i++) if (parsed[i]!.id === parsed[i - 1]!.id) throw new Error(`duplicate scenario id ${parsed[i]!.id}`);
  return createHash('sha256').update(stableJson(parsed)).digest('hex');
}

/**
 * The set for these scenarios: the previous version itself when nothing changed, else the next
 * version. `previous` is the latest stored version of the same name, if any (storage comes later).
 */
export function freezeScenarioSet(
  name: string,
  scenarios: readonly z.input<typeof Scenario>[],
  previous?: Pick<ScenarioSet, 'version' | 'hash'> | null,
  now: Date = new Date(),
): { set: ScenarioSet; created: boolean } {
  const hash = scenarioSetHash(scenarios);
  const sorted = scenarios.map((s) => Scenario.parse(s)).sort((a, b) => (a.id < b.id ? -1 : 1));
  if (previous && previous.hash === hash) {
    return { set: ScenarioSet.parse({ name, version: previous.version, hash, created_at: now.toISOString(), scenarios: sorted }), created: false };
  }
  return { set: ScenarioSet.parse({ name, version: (previous?.version ?? 0) + 1, hash, created_at: now.toISOString(), scenarios: sorted }), created: true };
}
