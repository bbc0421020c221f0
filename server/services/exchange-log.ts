// The log of exchanges the answer endpoints keep. On a store in a file, an exchange is durable once
// its line is in the journal (one write for the lines of a turn of the event loop; it survives the
// process being killed, and an fdatasync follows in the background for a power cut), and the answer
// returns then; the exchanges go into DuckDB in the background, many per transaction
// (a transaction costs ~5 ms of CPU whatever its size). The transaction that will take an exchange
// is queued on the store's connection before its answer returns, so a read made after the answer
// (on that connection, as every repository's is) sees it. Until it is committed, an exchange is
// pending: a continuation of the dialogue, the owner check and the dialogue's turns come from it.
// A journal left by a process that died is replayed into the store when the log opens. On a store in
// memory there is nothing to survive: each request waits for its exchange's commit (group commit).
import { close, existsSync, fdatasync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, unlink, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { Database } from '../storage/database.ts';
import { ProductionDialogueRepository, type DialogueCaller, type ProductionExchange, type SavedExchange } from '../storage/production-dialogue-repository.ts';

/** Who hears of exchanges logged on a store (the Redis mirror of dialogue owners for answer replicas). */
type SavedListener = (saved: readonly { exchange: ProductionExchange; caller: DialogueCaller }[]) => Promise<void>;
const savedListeners = new WeakMap<Database, Set<SavedListener>>();

/**
 * Calls `listener` with each group of logged exchanges (journaled, or on a store in memory committed)
 * before their requests return (a listener's failure never fails them: it is the listener's to
 * report); returns the unsubscribe function.
 */
export function onExchangesSaved(db: Database, listener: SavedListener): () => void {
  let set = savedListeners.get(db);
  if (!set) savedListeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

/** Where a store's journal lives: beside its file. */
export const journalDir = (db: Database): string | null => (db.path === ':memory:' ? null : `${db.path}.exchange-journal`);

/**
 * Puts what a process that died left in the store's journal into the store (a CLI command opening
 * the store runs this, so it sees every answered exchange); nothing when there is no journal.
 */
export async function replayJournal(db: Database): Promise<void> {
  const dir = journalDir(db);
  if (dir === null || !existsSync(dir) || readdirSync(dir).length === 0) return;
  await ExchangeLog.of(db).settled();
}

/**
 * fdatasyncs a segment in the background, one at a time: a sync covers every write made before it
 * began, so writes made while one runs are covered by one more after it (not one each, which would
 * fill the thread pool that DuckDB's statements run in).
 */
function syncSegment(segment: Segment): void {
  if (segment.syncing) {
    segment.dirty = true;
    return;
  }
  segment.syncing = true;
  segment.synced = new Promise((resolve) => {
    const sync = () =>
      fdatasync(segment.fd, () => {
        if (!segment.dirty) {
          segment.syncing = false;
          resolve(undefined);
          return;
        }
        segment.dirty = false;
        sync();
      });
    sync();
  });
}

/** One exchange waiting for the store. */
interface Pending extends SavedExchange {
  startedAt: string;
  /** Requests waiting for its commit (a store in memory: no journal). */
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

/** The longest a journaled exchange waits before its transaction is queued (sooner when the store's connection is wanted). */
const FLUSH_DELAY_MS = 200;

/** How many stored dialogues the log keeps (owner and turns) for continuations: each saves two statements. */
const STORED_KEPT = 20_000;

/** A journal segment: the lines written since the last transaction began. */
interface Segment {
  path: string;
  fd: number;
  /** Settles when no fdatasync of it is running or owed (waited for before it is closed). */
  synced: Promise<unknown>;
  /** An fdatasync is running. */
  syncing: boolean;
  /** Written since the running fdatasync began: another one follows it. */
  dirty: boolean;
}

export interface ExchangeLogOptions {
  /** Where background failures are reported (stderr by default). */
  log?: (error: unknown, message: string) => void;
  /** fdatasync after each journal write, in the background (default true). */
  sync?: boolean;
}

const logs = new WeakMap<Database, ExchangeLog>();

export class ExchangeLog {
  private readonly repository: ProductionDialogueRepository;
  private readonly listeners: Set<SavedListener>;
  private readonly dir: string | null;
  private readonly log: (error: unknown, message: string) => void;
  private readonly sync: boolean;
  /** Exchanges not yet taken by a transaction, by dialogue id (a later version replaces an earlier one). */
  private waiting = new Map<string, Pending>();
  /** Exchanges in the running transaction, until it has committed. */
  private inFlight = new Map<string, Pending>();
  /** A transaction is queued on the connection and has not begun: new exchanges join it. */
  private queued = false;
  /** The last transaction's bookkeeping (the next one waits for it). */
  private lastFlush: Promise<void> = Promise.resolve();
  private failing = false;
  private journalFailing = false;
  private retry: NodeJS.Timeout | undefined;
  // The journal: lines to write, the segment they go to, segments sealed by a transaction that began.
  private lines: string[] = [];
  private lineWaiters: { item: Pending; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private journaled: { exchange: ProductionExchange; caller: DialogueCaller }[] = [];
  private writing = false;
  private writeScheduled = false;
  /** The timer of a deferred flush (see deferFlush). */
  private deferred: NodeJS.Timeout | undefined;
  private segment: Segment | undefined;
  private sealed: Segment[] = [];
  private nextSegment = 0;
  /** Dialogues stored lately by this log, oldest first (see latest). */
  private stored = new Map<string, { turns: readonly Turn[]; caller: DialogueCaller }>();
  /** Stored segments being removed, one after another. */
  private dropping: Promise<void> = Promise.resolve();

  /** The store's log (one per store, so one journal). */
  static of(db: Database, options: ExchangeLogOptions = {}): ExchangeLog {
    let log = logs.get(db);
    if (!log) logs.set(db, (log = new ExchangeLog(db, options)));
    return log;
  }

  constructor(
    private readonly db: Database,
    options: ExchangeLogOptions = {},
  ) {
    this.repository = new ProductionDialogueRepository(db);
    let set = savedListeners.get(db);
    if (!set) savedListeners.set(db, (set = new Set()));
    this.listeners = set;
    this.dir = journalDir(db);
    this.sync = options.sync ?? true;
    this.log = options.log ?? ((error, message) => console.error(`firstcall: ${message}: ${error instanceof Error ? error.message : String(error)}`));
    if (this.dir) this.replay(this.dir);
  }

  /**
   * Logs an exchange: a new dialogue owned by `caller`, or (when `continues`) the longer version of
   * theirs. Resolves once it is durable (journaled; on a store in memory, committed). On a store in
   * memory an exchange that fails its check (a dialogue labeled in between) rejects; with a journal
   * the check was made before answering, and one that fails it when written is reported, not stored.
   */
  save(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void> {
    const earlier = this.waiting.get(exchange.id) ?? this.inFlight.get(exchange.id);
    const item: Pending = { exchange, caller, continues, startedAt: new Date().toISOString(), waiters: [] };
    const unwritten = this.waiting.get(exchange.id);
    if (unwritten) {
      // Not yet in a transaction: the later version takes its place (and, for a new dialogue, its start and its owner row).
      item.continues = unwritten.continues;
      item.startedAt = unwritten.startedAt;
      item.waiters = unwritten.waiters;
    } else if (earlier) {
      item.startedAt = earlier.startedAt;
    }
    this.waiting.set(exchange.id, item);
    if (this.dir) this.deferFlush();
    else this.queueFlush();
    if (!this.dir) return new Promise((resolve, reject) => item.waiters.push({ resolve, reject }));
    return new Promise((resolve, reject) => {
      this.lines.push(JSON.stringify({ exchange, caller, continues, startedAt: item.startedAt }) + '\n');
      this.lineWaiters.push({ item, resolve, reject });
      this.journaled.push({ exchange, caller });
      // The lines of the requests answered in this turn of the event loop go in one write.
      if (!this.writing && !this.writeScheduled) {
        this.writeScheduled = true;
        setImmediate(() => {
          this.writeScheduled = false;
          if (!this.writing) void this.writeJournal();
        });
      }
    });
  }

  /** The latest logged version of dialogue `id` not yet committed to the store, with its owner. */
  pending(id: string): { turns: readonly Turn[]; caller: DialogueCaller } | undefined {
    const item = this.waiting.get(id) ?? this.inFlight.get(id);
    return item && { turns: item.exchange.turns, caller: item.caller };
  }

  /**
   * The latest version of dialogue `id` this log has: pending, or stored lately by it (the log is the
   * only writer of production dialogues, so what it stored is what the store holds), with its owner.
   * Whether the dialogue was labeled or frozen since is the store's to say.
   */
  latest(id: string): { turns: readonly Turn[]; caller: DialogueCaller } | undefined {
    return this.pending(id) ?? this.stored.get(id);
  }

  /** Keeps what was stored of dialogue `id` (at most STORED_KEPT dialogues, the oldest go first), or forgets it (refused). */
  private remember(id: string, item: Pending | undefined): void {
    this.stored.delete(id);
    if (!item) return;
    this.stored.set(id, { turns: item.exchange.turns, caller: item.caller });
    if (this.stored.size > STORED_KEPT) this.stored.delete(this.stored.keys().next().value!);
  }

  /** Resolves once every exchange logged so far is committed (or refused) and the journal holds none of the stored ones. */
  async settled(): Promise<void> {
    for (let tries = 0; tries < 100; tries++) {
      if (this.waiting.size > 0 && !this.queued) this.queueFlush();
      await this.lastFlush;
      if (this.waiting.size === 0 && this.inFlight.size === 0 && !this.queued) return this.dropping;
      if (this.failing) throw new AppError('internal', 'the store refuses the answered exchanges (they are kept in the journal)');
    }
  }

  /**
   * With a journal, the transaction that stores what is waiting is queued within FLUSH_DELAY_MS, or
   * sooner: right before anything else is queued on the store's connection, so every later statement
   * sees what was answered. Under load this makes one transaction of many exchanges (each costs ~5 ms
   * of CPU whatever its size) instead of one per round trip of the store.
   */
  private deferFlush(): void {
    if (this.queued || this.deferred) return;
    this.deferred = setTimeout(() => this.queueFlush(), FLUSH_DELAY_MS).unref();
    this.db.beforeNextStatement(() => {
      if (this.deferred) this.queueFlush();
    });
  }

  /** Queues a transaction on the store's connection (unless one is queued and has not begun): it takes what is waiting when it begins. */
  private queueFlush(): void {
    clearTimeout(this.deferred);
    this.deferred = undefined;
    if (this.queued) return;
    this.queued = true;
    const previous = this.lastFlush;
    let done!: () => void;
    this.lastFlush = new Promise((resolve) => (done = resolve));
    const sealedAt = { count: 0 };
    let batch: Pending[] = [];
    const flushing = this.db.transaction(async () => {
      await previous;
      this.queued = false;
      batch = [...this.waiting.values()];
      this.waiting = new Map();
      for (const item of batch) this.inFlight.set(item.exchange.id, item);
      // Lines written from now on go to a new segment; those before are all in this batch.
      if (this.segment) this.sealed.push(this.segment);
      this.segment = undefined;
      sealedAt.count = this.sealed.length;
      if (batch.length === 0) return [];
      // A dialogue first stored by an earlier transaction whose newer version waited is now a replacement.
      return this.repository.writeMany(batch);
    });
    flushing.then(
      (outcomes) => {
        const settled: { item: Pending; error: AppError | null }[] = [];
        for (const [i, item] of batch.entries()) {
          if (this.inFlight.get(item.exchange.id) === item) this.inFlight.delete(item.exchange.id);
          const error = outcomes[i] ?? null;
          const later = this.waiting.get(item.exchange.id);
          if (!error && later) later.continues = true;
          settled.push({ item, error });
          if (error && this.dir) this.log(error, `an answered exchange of dialogue ${item.exchange.id} was refused by the store`);
          this.remember(item.exchange.id, error ? undefined : item);
        }
        this.failing = false;
        // With nothing logged left to store, the open segment holds only stored exchanges too.
        if (this.waiting.size === 0 && this.inFlight.size === 0 && !this.queued && !this.writing && this.segment) {
          this.sealed.push(this.segment);
          this.segment = undefined;
          sealedAt.count = this.sealed.length;
        }
        const storedSegments = this.sealed.splice(0, sealedAt.count);
        this.dropping = this.dropping.then(() => this.dropSegments(storedSegments));
        done();
        void (async () => {
          // Requests that waited for the commit (no journal): the listeners hear of their exchanges before they return.
          const saved = settled.filter((s) => !s.error && s.item.waiters.length > 0).map(({ item }) => ({ exchange: item.exchange, caller: item.caller }));
          if (saved.length > 0) for (const listener of this.listeners) await listener(saved).catch(() => undefined);
          for (const { item, error } of settled) for (const waiter of item.waiters) (error ? waiter.reject : waiter.resolve)(error);
        })();
      },
      (error: unknown) => {
        // Nothing of the batch is stored. Journaled exchanges wait for the next try (a newer version of a
        // dialogue keeps its place); requests waiting for their commit (no journal) fail, and theirs is dropped.
        for (const item of batch) {
          if (this.inFlight.get(item.exchange.id) === item) this.inFlight.delete(item.exchange.id);
          const later = this.waiting.get(item.exchange.id);
          if (item.waiters.length > 0) {
            for (const waiter of item.waiters) waiter.reject(error);
          } else if (later) later.continues = item.continues;
          else this.waiting.set(item.exchange.id, item);
        }
        done();
        if (!this.dir) return;
        if (!this.failing) this.log(error, 'storing answered exchanges failed (they are kept in the journal and retried)');
        this.failing = true;
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.queueFlush(), 1000).unref();
      },
    );
  }

  /**
   * Writes the lines logged since the last write in one synchronous write (to the page cache: a few
   * microseconds, and no trip through the thread pool, which DuckDB's statements keep busy), then
   * tells the listeners and answers the requests; the fdatasync follows in the background.
   */
  private async writeJournal(): Promise<void> {
    this.writing = true;
    try {
      while (this.lines.length > 0) {
        const text = this.lines.join('');
        const waiters = this.lineWaiters;
        const saved = this.journaled;
        this.lines = [];
        this.lineWaiters = [];
        this.journaled = [];
        try {
          const segment = (this.segment ??= this.openSegment());
          writeSync(segment.fd, text);
          if (this.sync) syncSegment(segment);
        } catch (error) {
          // No journal: these requests wait for their commit instead, as on a store in memory.
          if (!this.journalFailing) this.log(error, 'writing the exchange journal failed (answers wait for the store meanwhile)');
          this.journalFailing = true;
          for (const waiter of waiters) {
            const { item } = waiter;
            if (this.waiting.get(item.exchange.id) === item || this.inFlight.get(item.exchange.id) === item) item.waiters.push(waiter);
            else waiter.resolve(); // already committed
          }
          continue;
        }
        this.journalFailing = false;
        for (const listener of this.listeners) await listener(saved).catch(() => undefined);
        for (const waiter of waiters) waiter.resolve();
      }
    } finally {
      this.writing = false;
    }
  }

  private openSegment(): Segment {
    const path = join(this.dir!, `${String(this.nextSegment++).padStart(12, '0')}.jsonl`);
    return { path, fd: openSync(path, 'a'), synced: Promise.resolve(), syncing: false, dirty: false };
  }

  /** Removes segments whose every exchange is in the store (in the thread pool: nothing waits for it). */
  private async dropSegments(segments: Segment[]): Promise<void> {
    for (const segment of segments) {
      await segment.synced;
      await new Promise((resolve) => close(segment.fd, resolve)); // an error: closed already
      await new Promise((resolve) => unlink(segment.path, resolve)); // an error: gone already
    }
  }

  /**
   * Puts a journal left behind into the store before anything else is written: the latest version of
   * each dialogue, as a replacement when the dialogue is stored already (its segment outlived its
   * commit). Torn last lines (the process died mid-write) are skipped.
   */
  private replay(dir: string): void {
    mkdirSync(dir, { recursive: true });
    const files = readdirSync(dir)
      .filter((f) => /^\d+\.jsonl$/.test(f))
      .sort();
    this.nextSegment = files.length > 0 ? Number(files.at(-1)!.slice(0, -'.jsonl'.length)) + 1 : 0;
    if (files.length === 0) return;
    const latest = new Map<string, SavedExchange & { startedAt: string }>();
    for (const file of files) {
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
        if (line.trim() === '') continue;
        let entry: SavedExchange & { startedAt: string };
        try {
          entry = JSON.parse(line) as SavedExchange & { startedAt: string };
        } catch {
          continue;
        }
        const first = latest.get(entry.exchange.id);
        latest.set(entry.exchange.id, { ...entry, startedAt: first?.startedAt ?? entry.startedAt });
      }
    }
    const entries = [...latest.values()];
    const previous = this.lastFlush;
    this.lastFlush = this.db
      .transaction(async () => {
        await previous;
        const stored = await this.repository.existing(entries.map((e) => e.exchange.id));
        const outcomes = await this.repository.writeMany(entries.map((e) => ({ ...e, continues: stored.has(e.exchange.id) })));
        for (const [i, error] of outcomes.entries()) if (error) this.log(error, `a journaled exchange of dialogue ${entries[i]!.exchange.id} was refused by the store`);
      })
      .then(
        () => {
          for (const file of files) rmSync(join(dir, file), { force: true });
        },
        (error: unknown) => this.log(error, `replaying the exchange journal in ${dir} failed (it is kept and tried again at the next start)`),
      );
  }
}
