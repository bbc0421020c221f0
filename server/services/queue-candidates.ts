// The labeling queue's candidates for one filter: every matching dialogue id in a stable shuffled
// order (by hash), kept in memory so asking for the next item costs lookups in small sets instead of
// a scan of the whole store. When dialogues are added (an ingest merges a slot every few seconds),
// only the new ones are read and merged into the list at their places in the order; the list is read
// whole again only when it stops adding up (its count differs from the store's), when gold labels
// are imported, or for the uncertain filter (whose estimates may change anywhere). While only new
// dialogues are being merged in, requests keep being served from the list as it was (every id in
// it is still a candidate), and the merge yields to the event loop every few thousand ids.
import type { QueueFilters } from '../domain/api.ts';
import type { Database } from '../storage/database.ts';
import { QueueCandidateRepository, type CandidateRows, type QueueVersion } from '../storage/queue-candidate-repository.ts';

export interface Candidates {
  /** Every candidate in the queue's order. */
  readonly ids: readonly string[];
  has(id: string): boolean;
  /** The queue's order: negative when `a` comes before `b`. Both must be candidates. */
  compare(a: string, b: string): number;
}

const MAX_FILTERS_CACHED = 16;

/** New dialogues reach the queue within this long (and the time their merge takes). */
const VERSION_CHECK_MS = 1000;

/** Ids handled between yields to the event loop (a few milliseconds' work). */
const SLICE = 16_384;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One filter's list, kept current by `append`. */
class CandidateList {
  private constructor(
    private ids: string[],
    /** Order keys aligned with `ids`. */
    private keys: string[],
    /** id -> order key. */
    private readonly key: Map<string, string>,
    /** Row-id watermark of the last read. */
    readonly top: string,
    readonly version: QueueVersion,
  ) {}

  static async of(rows: CandidateRows, version: QueueVersion): Promise<CandidateList> {
    const key = new Map<string, string>();
    for (let i = 0; i < rows.ids.length; i++) {
      key.set(rows.ids[i]!, rows.keys[i]!);
      if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    }
    return new CandidateList(rows.ids, rows.keys, key, rows.top, version);
  }

  /**
   * The list with the rows read since the watermark merged in (they come in the queue's order), or
   * undefined when it would not add up to `rows.total`. This list is left as it was: requests may
   * be using it meanwhile. The id -> key map is shared (it only gains entries).
   */
  async append(rows: CandidateRows, version: QueueVersion): Promise<CandidateList | undefined> {
    const fresh: number[] = [];
    for (let i = 0; i < rows.ids.length; i++) {
      if (!this.key.has(rows.ids[i]!)) fresh.push(i);
      if (i % SLICE === SLICE - 1) await yieldToEventLoop();
    }
    if (this.ids.length + fresh.length !== rows.total) return undefined;
    const ids: string[] = [];
    const keys: string[] = [];
    let a = 0;
    let b = 0;
    while (a < this.ids.length || b < fresh.length) {
      const j = fresh[b];
      if (j !== undefined && (a >= this.ids.length || order(rows.keys[j]!, rows.ids[j]!, this.keys[a]!, this.ids[a]!) < 0)) {
        ids.push(rows.ids[j]!);
        keys.push(rows.keys[j]!);
        b++;
      } else {
        ids.push(this.ids[a]!);
        keys.push(this.keys[a]!);
        a++;
      }
      if (ids.length % SLICE === 0) await yieldToEventLoop();
    }
    for (const [n, j] of fresh.entries()) {
      this.key.set(rows.ids[j]!, rows.keys[j]!);
      if (n % SLICE === SLICE - 1) await yieldToEventLoop();
    }
    return new CandidateList(ids, keys, this.key, rows.top, version);
  }

  /** What a request works with. */
  snapshot(): Candidates {
    const { ids, key } = this;
    return { ids, has: (id) => key.has(id), compare: (a, b) => order(key.get(a)!, a, key.get(b)!, b) };
  }
}

/** By hash key, then id (the store's ORDER BY hash(id), id). */
function order(keyA: string, a: string, keyB: string, b: string): number {
  if (keyA !== keyB) return keyA < keyB ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export class QueueCandidates {
  private readonly cache = new Map<string, CandidateList>();
  /** One read per filter at a time. */
  private readonly reading = new Map<string, Promise<CandidateList>>();
  private readonly versions = new Map<boolean, { version: QueueVersion; checked: number }>();
  private readonly checking = new Map<boolean, { started: number; version: Promise<QueueVersion> }>();

  private readonly repository: QueueCandidateRepository;

  constructor(db: Database) {
    this.repository = new QueueCandidateRepository(db);
  }

  async get(filters: QueueFilters): Promise<Candidates> {
    const key = JSON.stringify(Object.entries(filters).filter(([, v]) => v !== undefined).sort());
    const version = await this.currentVersion(Boolean(filters.uncertain));
    const hit = this.cache.get(key);
    if (hit) this.store(key, hit); // most recently used goes last
    if (hit && sameVersion(hit.version, version)) return hit.snapshot();
    let reading = this.reading.get(key);
    if (!reading) {
      reading = this.update(filters, hit, version).finally(() => this.reading.delete(key));
      this.reading.set(key, reading);
      reading.then((list) => this.store(key, list)).catch(() => undefined); // a failed read is retried by the next request
    }
    // Only dialogues were added: the list as it was holds candidates only, so it serves until the
    // new ones are merged in. Anything else (imported gold labels, the uncertain filter) waits.
    if (hit && appendOnly(filters, hit.version, version)) return hit.snapshot();
    return (await reading).snapshot();
  }

  private store(key: string, list: CandidateList): void {
    this.cache.delete(key);
    this.cache.set(key, list);
    if (this.cache.size > MAX_FILTERS_CACHED) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Appends what was added since `list` was read when that is all that changed; reads the whole list otherwise. */
  private async update(filters: QueueFilters, list: CandidateList | undefined, version: QueueVersion): Promise<CandidateList> {
    if (list && appendOnly(filters, list.version, version)) {
      const appended = await list.append(await this.repository.ids(filters, list.top), version);
      if (appended) return appended;
    }
    return CandidateList.of(await this.repository.ids(filters), version);
  }

  /**
   * The store's version as of at most VERSION_CHECK_MS ago. Once half of that has passed, a request
   * starts the next check without waiting for it, so while reviewers are at work no request waits
   * for one (a check counts every dialogue: 5 ms on a 300k store, far more behind an ingest's merge).
   */
  private async currentVersion(uncertain: boolean): Promise<QueueVersion> {
    const known = this.versions.get(uncertain);
    const age = known ? performance.now() - known.checked : Infinity;
    if (age >= VERSION_CHECK_MS) return this.checkVersion(uncertain);
    if (age >= VERSION_CHECK_MS / 2) this.checkVersion(uncertain).catch(() => undefined); // the next request retries
    return known!.version;
  }

  /** One check per flag at a time; a check counts as of when it started. */
  private checkVersion(uncertain: boolean): Promise<QueueVersion> {
    const running = this.checking.get(uncertain);
    // One that started longer ago than VERSION_CHECK_MS may miss a change the caller must see.
    if (running && performance.now() - running.started <= VERSION_CHECK_MS) return running.version;
    const started = performance.now();
    const version = this.repository.version(uncertain).then((v) => {
      const known = this.versions.get(uncertain);
      if (!known || known.checked < started) this.versions.set(uncertain, { version: v, checked: started });
      return v;
    });
    const entry = { started, version };
    this.checking.set(uncertain, entry);
    const done = () => {
      if (this.checking.get(uncertain) === entry) this.checking.delete(uncertain);
    };
    version.then(done, done);
    return version;
  }
}

function sameVersion(a: QueueVersion, b: QueueVersion): boolean {
  return a.dialogues === b.dialogues && a.imported === b.imported;
}

/** Whether going from `before` to `after` can only have added candidates (so the list as it was serves meanwhile, and a merge brings it up to date). */
function appendOnly(filters: QueueFilters, before: QueueVersion, after: QueueVersion): boolean {
  return !filters.uncertain && before.imported === after.imported;
}
