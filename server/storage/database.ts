// Opens the one DuckDB file of a firstcall store, applies migrations, and turns DuckDB's lock
// error into a message that says who holds the file and what to do.
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBMaterializedResult, type DuckDBPreparedStatement, type DuckDBValue } from '@duckdb/node-api';
import { AppError } from '../domain/errors.ts';
import { IngestBatchRepository } from './ingest-batch-repository.ts';
import { MIGRATIONS, type Migration } from './migrations.ts';

export const DEFAULT_DB_PATH = './data/firstcall.duckdb';

/** `--db FILE`, else `FIRSTCALL_DB`, else ./data/firstcall.duckdb. */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  // An empty FIRSTCALL_DB (e.g. an unset CI secret) means "not set", never the working directory.
  const chosen = flag || env.FIRSTCALL_DB || DEFAULT_DB_PATH;
  return chosen === ':memory:' ? chosen : resolve(chosen);
}

export interface Database {
  readonly path: string;
  readonly connection: DuckDBConnection;
  /** Another connection to the same database (e.g. to append while this one runs queries). */
  connect(): Promise<DuckDBConnection>;
  /** Rows as plain objects (BIGINT as number when safe), for small result sets. */
  all<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<T[]>;
  run(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<void>;
  /**
   * A read through one of the read connections to this database (READ_CONNECTIONS, opened on first
   * use), queued apart from the first one's statements, so it never waits behind writes (the answer
   * endpoint's customer reads), nor a point read behind another read's scan. It sees committed data
   * only. Reads only: every write still goes through the one connection above.
   */
  read<T = Record<string, unknown>>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]): Promise<T[]>;
  /** Runs `work` in one transaction; rolls back when it throws. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Calls `hook` once, right before the next statement or transaction of another caller is queued on
   * the first connection (so whatever `hook` queues runs ahead of it). A writer that defers its writes
   * (the exchange log) registers here, so no later statement on this connection misses them.
   */
  beforeNextStatement(hook: () => void): void;
  /** Resolves once everything queued on the first connection so far (deferred writes included) has run: for reads that stream from it directly. */
  barrier(): Promise<void>;
  close(): void;
}

/**
 * The same store with `all` going through the read connections (`read`), for repositories whose reads
 * should run beside the first connection's statements instead of queueing behind them (a request that
 * makes several independent reads). It sees committed data only; anything else, writes included, is
 * the store's own. A new object: services that keep state per store (settings, served configs) must be
 * given the store itself, not this.
 */
export function readingApart(db: Database): Database {
  return { ...db, all: (sql, params) => db.read(sql, params) };
}

export interface OpenOptions {
  readOnly?: boolean;
  /** DuckDB memory limit, e.g. '2GB'. */
  memoryLimit?: string;
  threads?: number;
}

export async function openDatabase(path: string, options: OpenOptions = {}): Promise<Database> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const config: Record<string, string> = {};
  if (options.readOnly) config.access_mode = 'READ_ONLY';
  // A bounded buffer pool keeps memory flat however big the store or the file being ingested.
  config.memory_limit = options.memoryLimit ?? process.env.FIRSTCALL_MEMORY_LIMIT ?? '2GB';
  if (options.threads) config.threads = String(options.threads);
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(path, config);
  } catch (error) {
    throw explainOpenError(path, error);
  }
  const connection = await instance.connect();
  await connection.run("SET TimeZone = 'UTC'"); // timestamps leave the store as UTC ISO text
  const db = wrap(path, instance, connection);
  if (!options.readOnly) {
    await migrate(db);
    // A writer holds the file alone: what an ingest killed mid-way left behind can be cleaned up.
    await new IngestBatchRepository(db).reconcileInterrupted();
  }
  return db;
}

/**
 * One connection serves the whole process. Statements from concurrent callers (HTTP requests) are
 * queued so that a transaction never sees another caller's statements inside it; work that runs
 * inside `transaction()` goes straight through. What runs inside is told by an AsyncLocalStorage,
 * switched on only while a transaction is open: on Node 20 an enabled one makes every promise of the
 * process pay a hook (about 2.5x the cost of an await), so the rest of the time nothing pays it.
 */
function wrap(path: string, instance: DuckDBInstance, connection: DuckDBConnection): Database {
  let closed = false;
  let tail: Promise<unknown> = Promise.resolve();
  const inTransaction = new AsyncLocalStorage<object>();
  /** The open transaction's token (what its work carries in `inTransaction`), if one is open. */
  let current: object | undefined;
  const trace = process.env.FIRSTCALL_TRACE_SQL ? traceTo(Number(process.env.FIRSTCALL_TRACE_SQL) || 0) : undefined;
  // The read connections: opened on first use, each one statement at a time; a read goes to the one
  // with the fewest statements queued.
  const readers: Reader[] = [];
  let hooks: (() => void)[] = [];
  const statements = preparedStatements(connection);
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    // Only the open transaction's own work goes straight through; work an earlier one left running
    // carries that one's token and queues like any other caller.
    if (current !== undefined && inTransaction.getStore() === current) return work();
    if (hooks.length > 0) {
      const due = hooks;
      hooks = [];
      for (const hook of due) hook();
    }
    const next = tail.then(work, work);
    tail = next.catch(() => undefined);
    return next;
  };
  const db: Database = {
    path,
    connection,
    connect: () => instance.connect(),
    all<T>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]) {
      const queued = trace ? performance.now() : 0;
      return exclusive(async () => {
        const started = trace ? performance.now() : 0;
        const reader = await statements.readAll(sql, params);
        trace?.(sql, started, queued);
        return reader.getRowObjectsJson() as T[];
      });
    },
    run(sql, params) {
      const queued = trace ? performance.now() : 0;
      return exclusive(async () => {
        const started = trace ? performance.now() : 0;
        await statements.run(sql, params);
        trace?.(sql, started, queued);
      });
    },
    read<T>(sql: string, params?: Record<string, DuckDBValue> | DuckDBValue[]) {
      if (closed) return Promise.reject(new Error('the store is closed'));
      let lane = readers.find((r) => r.queued === 0);
      if (!lane && readers.length < READ_CONNECTIONS) readers.push((lane = openReader(instance)));
      lane ??= readers.reduce((a, b) => (b.queued < a.queued ? b : a));
      const chosen = lane;
      chosen.queued++;
      const next = chosen.tail.then(async () => {
        const { statements } = await chosen.open;
        const started = trace ? performance.now() : 0;
        const result = await statements.readAll(sql, params);
        trace?.(sql, started);
        return result.getRowObjectsJson() as T[];
      });
      chosen.tail = next.finally(() => chosen.queued--).catch(() => undefined);
      return next;
    },
    transaction(work) {
      return exclusive(async () => {
        // Set only here, cleared before the transaction's promise settles: `outer` is set only for a
        // transaction() called inside another, which keeps the outer one's token.
        const outer = current;
        const token = (current = outer ?? {});
        try {
          return await inTransaction.run(token, async () => {
            await connection.run('BEGIN TRANSACTION');
            try {
              const result = await work();
              await connection.run('COMMIT');
              return result;
            } catch (error) {
              await connection.run('ROLLBACK').catch(() => undefined);
              throw error;
            }
          });
        } finally {
          // The last one out switches the context off (nothing reads it while no transaction is open).
          current = outer;
          if (current === undefined) inTransaction.disable();
        }
      });
    },
    beforeNextStatement(hook) {
      hooks.push(hook);
    },
    barrier: () => exclusive(async () => undefined),
    close() {
      if (closed) return;
      closed = true;
      const shut = () => {
        for (const r of readers) r.close();
        statements.destroy();
        connection.closeSync();
        instance.closeSync();
      };
      // A connection closed under a running statement hangs the thread running it (DuckDB destroys
      // the connection's context while that statement holds its lock): reads started in the
      // background (a queue's look-ahead) finish first.
      const running = readers.filter((r) => r.queued > 0);
      if (running.length === 0) shut();
      else void Promise.all(running.map((r) => r.tail)).then(shut);
    },
  };
  return db;
}

/**
 * Read connections (Database.read) at most: enough that a point read is not queued behind a scan or a
 * read ahead. 2026-12-07, the label queue's next item during a 100k ingest: p95 15.1–15.7 ms with
 * three against 17.4–21.7 with two (alternating), 23.4–25.4 with two against 27.2–36.5 with one.
 */
const READ_CONNECTIONS = 3;

interface Reader {
  open: Promise<{ connection: DuckDBConnection; statements: ReturnType<typeof preparedStatements> }>;
  tail: Promise<unknown>;
  /** Statements queued or running. */
  queued: number;
  close(): void;
}

function openReader(instance: DuckDBInstance): Reader {
  let opened: { connection: DuckDBConnection; statements: ReturnType<typeof preparedStatements> } | undefined;
  const open = instance.connect().then(async (connection) => {
    await connection.run("SET TimeZone = 'UTC'");
    return (opened = { connection, statements: preparedStatements(connection) });
  });
  return {
    open,
    tail: Promise.resolve(),
    queued: 0,
    close() {
      opened?.statements.destroy();
      opened?.connection.closeSync();
    },
  };
}

/** Prepared statements kept per connection (the least recently used one goes past this many). */
const PREPARED_STATEMENTS = 256;

/**
 * Runs statements on one connection, keeping the parameterised ones prepared: DuckDB then skips
 * parsing and planning, 0.15-0.3 ms of a 0.4-1.5 ms point query. Only a statement given parameters
 * and holding no `;` is kept (a script's earlier statements must run each time), and a kept statement
 * has its bindings cleared before each use. One in use (two calls at once inside one transaction) is
 * not shared: the other call prepares its own. One that fails is dropped, so a stale plan never stays.
 */
function preparedStatements(connection: DuckDBConnection) {
  const kept = new Map<string, { statement: DuckDBPreparedStatement; busy: boolean }>();
  type Params = Record<string, DuckDBValue> | DuckDBValue[];
  const use = async <T>(sql: string, params: Params, work: (statement: DuckDBPreparedStatement) => Promise<T>): Promise<T> => {
    let entry = kept.get(sql);
    if (entry?.busy) {
      const own = await connection.prepare(sql);
      try {
        own.bind(params);
        return await work(own);
      } finally {
        own.destroySync();
      }
    }
    if (entry) {
      kept.delete(sql); // most recently used goes last
    } else {
      entry = { statement: await connection.prepare(sql), busy: false };
      for (const [oldest, e] of kept) {
        if (kept.size < PREPARED_STATEMENTS) break;
        if (e.busy) continue;
        kept.delete(oldest);
        e.statement.destroySync();
      }
    }
    kept.set(sql, entry);
    entry.busy = true;
    try {
      entry.statement.clearBindings();
      entry.statement.bind(params);
      return await work(entry.statement);
    } catch (error) {
      kept.delete(sql);
      entry.statement.destroySync();
      throw error;
    } finally {
      entry.busy = false;
    }
  };
  const keeps = (sql: string, params: Params | undefined): params is Params => params !== undefined && !sql.includes(';');
  return {
    async readAll(sql: string, params?: Params) {
      if (!keeps(sql, params)) return connection.runAndReadAll(sql, params);
      return use(sql, params, (statement) => statement.runAndReadAll());
    },
    async run(sql: string, params?: Params): Promise<DuckDBMaterializedResult> {
      if (!keeps(sql, params)) return connection.run(sql, params);
      return use(sql, params, (statement) => statement.run());
    },
    destroy() {
      for (const e of kept.values()) e.statement.destroySync();
      kept.clear();
    },
  };
}

/**
 * FIRSTCALL_TRACE_SQL=<ms>: statements that took longer than that, queue included, go to stderr with
 * the time DuckDB took and the time they waited in the shared connection's queue (debugging aid).
 */
function traceTo(thresholdMs: number) {
  return (sql: string, started: number, queued = started) => {
    const now = performance.now();
    if (now - queued < thresholdMs) return;
    const wait = started - queued >= 0.01 ? `, queued ${(started - queued).toFixed(2)} ms` : '';
    process.stderr.write(`[sql ${(now - started).toFixed(2)} ms${wait}] ${sql.replace(/\s+/g, ' ').trim().slice(0, 120)}\n`);
  };
}

export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await db.run(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
  );
  const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    await db.transaction(async () => {
      await db.run(migration.sql);
      await db.run('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
    applied.push(migration.version);
  }
  return applied;
}

/** DuckDB says `Conflicting lock is held in /usr/bin/node (PID 1234) by user root`; say it plainly. */
export function explainOpenError(path: string, error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (!/Could not set lock on file/i.test(message)) return error instanceof Error ? error : new Error(message);
  const holder = /held in (.+?) \(PID (\d+)\)/.exec(message);
  const who = holder ? `${processName(holder[2]!) ?? basename(holder[1]!)} (PID ${holder[2]})` : 'another process';
  return new AppError(
    'database_locked',
    `The database ${path} is open in ${who}, and DuckDB allows one writing process per file. ` +
      `If that is \`firstcall serve\`, stop it (or send the work through its API); ` +
      `otherwise wait for it to finish, or use another file with --db FILE or FIRSTCALL_DB.`,
    { cause: error },
  );
}

/**
 * The holding process's name where /proc tells (Linux), e.g. `node`: the name only, never its
 * command line, whose arguments may carry secrets such as `--api-key`.
 */
function processName(pid: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim().slice(0, 64) || undefined;
  } catch {
    return undefined;
  }
}
