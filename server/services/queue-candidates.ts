// The labeling queue's candidates for one filter: every matching dialogue id in a stable shuffled
// order (by hash), kept in memory and rebuilt when the store changes, so asking for the next item
// costs lookups in small sets instead of a scan of the whole store.
import type { QueueFilters } from '../domain/api.ts';
import type { Database } from '../storage/database.ts';
import { QueueCandidateRepository } from '../storage/queue-candidate-repository.ts';

export interface Candidates {
  ids: readonly string[];
  /** id -> position in `ids`. */
  position: ReadonlyMap<string, number>;
}

const MAX_FILTERS_CACHED = 16;

/** New dialogues reach the queue within this long. */
const VERSION_CHECK_MS = 1000;

export class QueueCandidates {
  private readonly cache = new Map<string, { version: string; candidates: Candidates }>();
  private readonly versions = new Map<boolean, { version: string; checked: number }>();

  private readonly repository: QueueCandidateRepository;

  constructor(db: Database) {
    this.repository = new QueueCandidateRepository(db);
  }

  async get(filters: QueueFilters): Promise<Candidates> {
    const key = JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort());
    const version = await this.currentVersion(Boolean(filters.uncertain));
    const hit = this.cache.get(key);
    if (hit && hit.version === version) {
      this.cache.delete(key); // most recently used goes last
      this.cache.set(key, hit);
      return hit.candidates;
    }
    const candidates = await this.build(filters);
    this.cache.set(key, { version, candidates });
    if (this.cache.size > MAX_FILTERS_CACHED) this.cache.delete(this.cache.keys().next().value!);
    return candidates;
  }

  private async currentVersion(uncertain: boolean): Promise<string> {
    const known = this.versions.get(uncertain);
    if (known && performance.now() - known.checked < VERSION_CHECK_MS) return known.version;
    const version = await this.repository.version(uncertain);
    this.versions.set(uncertain, { version, checked: performance.now() });
    return version;
  }

  private async build(filters: QueueFilters): Promise<Candidates> {
    const ids = await this.repository.ids(filters);
    return { ids, position: new Map(ids.map((id, i) => [id, i])) };
  }
}
