// Bulk loading of validated dialogues and customers. Rows are appended (DataChunks, on a connection
// of their own) into one of two staging slots, unindexed tables in an in-memory database attached for
// this load (nothing of them reaches the store's file or its WAL, and a killed process leaves none
// behind); when a slot is full it is merged into the store by set-based SQL on a third connection —
// parsing the JSON documents in DuckDB, keeping the first copy of each id — while appending goes on
// into the other slot. Neither connection is the store's shared one, so requests served meanwhile
// (the label queue) never wait behind a merge.
import { randomUUID } from 'node:crypto';
import { INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { BulkAppender } from './bulk-appender.ts';
import { storeChanged } from './store-changes.ts';
import type { Database } from './database.ts';

const TURN_SHAPE = '[{"role":"VARCHAR","text":"VARCHAR","at":"VARCHAR","agent_kind":"VARCHAR","name":"VARCHAR"}]';
const DIALOGUE_SHAPE = `{"channel":"VARCHAR","customer_id":"VARCHAR","started_at":"VARCHAR","turns":${TURN_SHAPE},"outcome":{"resolved":"BOOLEAN","escalated":"BOOLEAN","csat":"TINYINT"},"metadata":"JSON"}`;
/** What the dialogues table needs (turns only counted) and what the turns table needs: each insert parses only its part. */
const DIALOGUE_ROW_SHAPE = `{"channel":"VARCHAR","customer_id":"VARCHAR","started_at":"VARCHAR","turns":"JSON[]","outcome":{"resolved":"BOOLEAN","escalated":"BOOLEAN","csat":"TINYINT"},"metadata":"JSON"}`;
const TURN_ROWS_SHAPE = `{"turns":${TURN_SHAPE}}`;
const PURCHASE_SHAPE = '[{"product":"VARCHAR","category":"VARCHAR","purchased_at":"DATE","warranty_months":"INTEGER","order_id":"VARCHAR","price":"DOUBLE"}]';
const CUSTOMER_SHAPE = `{"customer_id":"VARCHAR","name":"VARCHAR","tier":"VARCHAR","language":"VARCHAR","since":"DATE","purchases":${PURCHASE_SHAPE}}`;

/** Checkpoint threshold while a load runs (see DialogueLoader.open). */
const DEFERRED_CHECKPOINT_THRESHOLD = '64GB';

/** Rows appended between flushes: each flush holds the thread, so it is kept short. */
const FLUSH_EVERY_ROWS = 8192;

/** Staging tables of earlier versions lived in the store as `stage_<kind>_<8 hex>_<slot>`; a killed ingest left them behind. */
const STAGING_TABLE = /^stage_(?:dialogues|customers|quarantine)_[0-9a-f]{8}_[01]$/;

/**
 * Drops staging tables no running loader owns: call it only when this process holds the store and
 * loads nothing (on open: DuckDB lets one process write a file). Returns the names dropped.
 */
export async function dropOrphanedStagingTables(db: Database): Promise<string[]> {
  const rows = await db.all<{ name: string }>(
    `SELECT table_name AS name FROM duckdb_tables()
     WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary AND table_name LIKE 'stage\_%' ESCAPE '\'`,
  );
  const names = rows.map((r) => r.name).filter((name) => STAGING_TABLE.test(name));
  for (const name of names) await db.run(`DROP TABLE IF EXISTS ${name}`);
  return names;
}

/**
 * DuckDB's own memory by tag (duckdb_memory()), in bytes: while a load runs, IN_MEMORY_TABLE holds the
 * staging slots and every row merged since the last checkpoint (the loader defers it to its end).
 */
export async function duckdbMemoryByTag(db: Database): Promise<Record<string, number>> {
  const rows = await db.all<{ tag: string; bytes: bigint }>('SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory()');
  return Object.fromEntries(rows.map((r) => [r.tag, Number(r.bytes)]));
}

/** (Re)creates a slot's staging tables, empty. */
async function createSlotTables(connection: DuckDBConnection, slot: Slot): Promise<void> {
  await connection.run(`CREATE OR REPLACE TABLE ${slot.dialogues} (ord INTEGER, id VARCHAR, doc VARCHAR, language VARCHAR, source VARCHAR)`);
  await connection.run(`CREATE OR REPLACE TABLE ${slot.customers} (ord INTEGER, doc VARCHAR)`);
  await connection.run(`CREATE OR REPLACE TABLE ${slot.quarantine} (file VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR)`);
}

/**
 * The database settings a load runs with, and those of the store before the first of the loads now
 * running (restored when the last one ends: settings are the database's, not a connection's).
 * - A merge's commit that finds the WAL over the threshold checkpoints there and then, and a
 *   checkpoint holds off every other transaction, reads included. During a load the WAL may grow (a
 *   crash replays it); the loader checkpoints once when it closes.
 * - DuckDB's side of a load (appending, the merges) on one thread, the staging workers beside it on
 *   the other cores: 2026-12-07, 200k dialogues in alternation, 10.7–11.4 s against 11.0–13.2 with
 *   DuckDB's default of a thread per core (five pairs, faster in each), and the label queue's
 *   next-item p95 during a 100k ingest 40.8–42.7 ms against 38.7–59.8 (four pairs). Other statements
 *   run on one thread too until the load ends.
 */
interface Hold {
  loads: number;
  /** The store's settings before the first of the loads now running. */
  before?: { checkpointThreshold: string; threads: string };
  /** Holds and releases run one at a time, each after the last has finished. */
  turn: Promise<unknown>;
}
const holds = new WeakMap<Database, Hold>();

function inTurn(db: Database, work: (hold: Hold) => Promise<void>): Promise<void> {
  let hold = holds.get(db);
  if (hold === undefined) holds.set(db, (hold = { loads: 0, turn: Promise.resolve() }));
  const mine = hold;
  const next = mine.turn.then(() => work(mine));
  mine.turn = next.catch(() => undefined);
  return next;
}

function holdLoadSettings(db: Database, c: DuckDBConnection): Promise<void> {
  return inTurn(db, async (hold) => {
    if (hold.loads === 0) {
      const [was] = (await c.runAndReadAll("SELECT current_setting('checkpoint_threshold') AS checkpointThreshold, current_setting('threads')::VARCHAR AS threads")).getRowObjectsJson() as [
        { checkpointThreshold: string; threads: string },
      ];
      await c.run(`SET checkpoint_threshold = '${DEFERRED_CHECKPOINT_THRESHOLD}'`);
      await c.run('SET threads = 1');
      hold.before = was;
    }
    hold.loads++;
  });
}

/**
 * Ends a load's hold on the settings. The last load out checkpoints what the loads wrote (on DuckDB's
 * usual threads: on one the checkpoint takes twice as long) before the threshold comes back: were it
 * restored first, the next commit over it (a reviewer's save) would checkpoint the whole load itself,
 * ~1.2 s after a 50k ingest. DuckDB refuses a checkpoint while another transaction that updates rows
 * or changes the catalog is open (a reviewer changing a label), so it is tried until one runs. A load
 * that starts meanwhile waits for it.
 */
function releaseLoadSettings(db: Database, c: DuckDBConnection): Promise<void> {
  return inTurn(db, async (hold) => {
    if (hold.loads === 0 || --hold.loads > 0) return;
    const before = hold.before!;
    await c.run(`SET threads = ${Number(before.threads)}`);
    await checkpointWhenFree(c);
    await c.run(`SET checkpoint_threshold = '${before.checkpointThreshold.replaceAll("'", "''")}'`);
  });
}

/** How long the closing checkpoint waits for a moment when DuckDB allows it. */
const CHECKPOINT_WAIT_MS = 10_000;

/**
 * `CHECKPOINT`, tried again every few milliseconds while DuckDB refuses it. Gives up after
 * CHECKPOINT_WAIT_MS: the next commit over the threshold then does it. (`FORCE CHECKPOINT` would
 * wait too, but it holds off every new transaction while it waits, reads included.)
 */
async function checkpointWhenFree(c: DuckDBConnection): Promise<boolean> {
  const until = performance.now() + CHECKPOINT_WAIT_MS;
  for (;;) {
    try {
      await c.run('CHECKPOINT');
      return true;
    } catch (error) {
      if (!/other write transactions active/i.test(String(error)) || performance.now() > until) return false;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

export interface LoadTotals {
  loaded: number;
  /** Records whose id was already stored (or came earlier in this batch), and unchanged customer profiles. */
  duplicates: number;
  /** Dialogues whose id was stored with other content (the stored copy is kept). */
  conflicts: number;
  /** Customer profiles new or changed. */
  customers: number;
}

interface Slot {
  dialogues: string;
  customers: string;
  quarantine: string;
  /** The merge of this slot's previous contents, if still running. */
  merging?: Promise<void>;
}

export class DialogueLoader {
  private staged = 0;
  private unflushed = 0;
  private ord = 0;
  private current = 0;
  private appenders!: { dialogues: BulkAppender; customers: BulkAppender; quarantine: BulkAppender };
  readonly totals: LoadTotals = { loaded: 0, duplicates: 0, conflicts: 0, customers: 0 };

  private constructor(
    private readonly db: Database,
    private readonly stageDb: string,
    private readonly appendConnection: DuckDBConnection,
    private readonly mergeConnection: DuckDBConnection,
    private readonly batchId: string,
    private readonly slots: [Slot, Slot],
  ) {}

  static async open(db: Database, batchId: string): Promise<DialogueLoader> {
    const tag = randomUUID().slice(0, 8);
    const stageDb = `ingest_stage_${tag}`;
    const mergeConnection = await db.connect();
    await mergeConnection.run("SET TimeZone = 'UTC'");
    await holdLoadSettings(db, mergeConnection);
    try {
      await mergeConnection.run(`ATTACH ':memory:' AS ${stageDb}`);
      const slots = [0, 1].map((i) => ({
        dialogues: `${stageDb}.dialogues_${i}`,
        customers: `${stageDb}.customers_${i}`,
        quarantine: `${stageDb}.quarantine_${i}`,
      })) as [Slot, Slot];
      for (const slot of slots) await createSlotTables(mergeConnection, slot);
      const loader = new DialogueLoader(db, stageDb, await db.connect(), mergeConnection, batchId, slots);
      await loader.openAppenders();
      return loader;
    } catch (error) {
      await releaseLoadSettings(db, mergeConnection).catch(() => undefined);
      await mergeConnection.run(`DETACH DATABASE IF EXISTS ${stageDb}`).catch(() => undefined);
      mergeConnection.closeSync();
      throw error;
    }
  }

  private async openAppenders(): Promise<void> {
    const slot = this.slots[this.current]!;
    const c = this.appendConnection;
    const table = (name: string) => name.slice(this.stageDb.length + 1);
    this.appenders = {
      dialogues: await BulkAppender.create(c, table(slot.dialogues), [INTEGER, VARCHAR, VARCHAR, VARCHAR, VARCHAR], this.stageDb),
      customers: await BulkAppender.create(c, table(slot.customers), [INTEGER, VARCHAR], this.stageDb),
      quarantine: await BulkAppender.create(c, table(slot.quarantine), [VARCHAR, INTEGER, VARCHAR, VARCHAR], this.stageDb),
    };
  }

  /** `doc` is the dialogue as canonical JSON (already validated, redacted and with its language); `id` is its id. */
  addDialogue(id: string, doc: string, language: string, source: string): void {
    this.appenders.dialogues.push(++this.ord, id, doc, language, source);
    this.staged++;
    if (++this.unflushed >= FLUSH_EVERY_ROWS) this.flush();
  }

  addCustomer(doc: string): void {
    this.appenders.customers.push(++this.ord, doc);
    this.staged++;
    if (++this.unflushed >= FLUSH_EVERY_ROWS) this.flush();
  }

  addQuarantine(file: string, line: number, reason: string, raw: string): void {
    this.appenders.quarantine.push(file, line, reason, raw);
  }

  private flush(): void {
    this.appenders.dialogues.flush();
    this.appenders.customers.flush();
    this.unflushed = 0;
  }

  /** Records staged since the last merge started. */
  get pending(): number {
    return this.staged;
  }

  /**
   * Hands the filled slot to a merge running in the background and switches appending to the other
   * slot (waiting first for that slot's own earlier merge, so at most one merge is in flight).
   */
  async rotate(): Promise<void> {
    const full = this.slots[this.current]!;
    for (const appender of Object.values(this.appenders)) appender.close();
    this.staged = 0;
    this.unflushed = 0;
    this.current = 1 - this.current;
    const next = this.slots[this.current]!;
    if (next.merging) await next.merging;
    full.merging = this.merge(full);
    full.merging.catch(() => undefined); // surfaced by finish()
    await this.openAppenders();
  }

  /** Merges what is left and waits for every merge; the totals are final after this. */
  async finish(): Promise<LoadTotals> {
    await this.rotate();
    for (const slot of this.slots) await slot.merging;
    return this.totals;
  }

  private async merge(slot: Slot): Promise<void> {
    const other = this.slots.find((s) => s !== slot)!;
    if (other.merging) await other.merging.catch(() => undefined);
    const c = this.mergeConnection;
    const rows = async (sql: string, params?: Record<string, string>) => (await c.runAndReadAll(sql, params)).getRowObjectsJson();
    const batch = this.batchId;
    await c.run('BEGIN TRANSACTION');
    try {
      // Most loads bring only new ids, each once: then nothing is left to choose and every document
      // is inserted straight away. Otherwise the first copy of each id not yet stored is kept.
      const [ids] = await rows(`
        SELECT count(*) AS staged, count(DISTINCT id) AS distinct_ids,
               count(*) FILTER (WHERE id IN (SELECT id FROM dialogues)) AS stored
        FROM ${slot.dialogues}`);
      const staged = Number(ids!.staged);
      const allNew = staged === Number(ids!.distinct_ids) && Number(ids!.stored) === 0;
      const loaded = allNew ? await this.insertAll(slot) : await this.insertFirstCopies(slot);
      const customers = await this.mergeCustomers(slot);
      await c.run(`INSERT INTO quarantine (batch_id, file, line, reason, raw) SELECT $batch, file, line, reason, raw FROM ${slot.quarantine}`, { batch });
      await c.run('COMMIT');
      if (customers.changed > 0) storeChanged(this.db, { customers: true });
      this.totals.loaded += loaded.fresh;
      this.totals.duplicates += staged - loaded.fresh + customers.unchanged;
      this.totals.conflicts += loaded.conflicts;
      this.totals.customers += customers.changed;
    } catch (error) {
      await c.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
    // The slot lives in another database than the store, so it is emptied outside the transaction; by
    // dropping its tables: rows deleted from an in-memory table keep their memory.
    await createSlotTables(c, slot);
  }

  private async insertAll(slot: Slot): Promise<{ fresh: number; conflicts: number }> {
    const c = this.mergeConnection;
    const inserted = await c.run(
      `INSERT INTO dialogues
       SELECT id, coalesce(d.channel, 'unknown'), d.customer_id, language, d.started_at,
              CAST(d.started_at AS TIMESTAMPTZ), source, d.metadata->>'intent',
              d.outcome.resolved, d.outcome.escalated, d.outcome.csat, d.metadata, len(d.turns),
              CAST(hash(doc) AS VARCHAR), $batch
       FROM (SELECT id, doc, language, source, from_json(doc, '${DIALOGUE_ROW_SHAPE}') AS d FROM ${slot.dialogues})`,
      { batch: this.batchId },
    );
    await c.run(`
      INSERT INTO turns
      SELECT id, seq, t.role, t.text, t.at, t.agent_kind, t.name
      FROM (SELECT id, unnest(range(len(d.turns))) AS seq, unnest(d.turns) AS t
            FROM (SELECT id, from_json(doc, '${TURN_ROWS_SHAPE}') AS d FROM ${slot.dialogues}))`);
    return { fresh: Number(inserted.rowsChanged), conflicts: 0 };
  }

  private async insertFirstCopies(slot: Slot): Promise<{ fresh: number; conflicts: number }> {
    const c = this.mergeConnection;
    const rows = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjectsJson();
    await c.run(`
      CREATE OR REPLACE TEMP TABLE parsed AS
      SELECT ord, id, d, language, source, CAST(hash(doc) AS VARCHAR) AS content_hash
      FROM (SELECT ord, id, doc, language, source, from_json(doc, '${DIALOGUE_SHAPE}') AS d FROM ${slot.dialogues})`);
    const [counts] = await rows(`
      SELECT count(*) FILTER (WHERE x.id IS NOT NULL AND x.content_hash <> p.content_hash) AS conflicts
      FROM parsed p LEFT JOIN dialogues x ON x.id = p.id`);
    // Only ids and ordinals are copied; the parsed documents are read once more by each insert.
    await c.run(`
      CREATE OR REPLACE TEMP TABLE fresh AS
      SELECT id, min(ord) AS ord FROM parsed WHERE id NOT IN (SELECT id FROM dialogues) GROUP BY id`);
    const [fresh] = await rows('SELECT count(*) AS n FROM fresh');
    await c.run(
      `INSERT INTO dialogues
       SELECT id, coalesce(d.channel, 'unknown'), d.customer_id, language, d.started_at,
              CAST(d.started_at AS TIMESTAMPTZ), source, d.metadata->>'intent',
              d.outcome.resolved, d.outcome.escalated, d.outcome.csat, d.metadata, len(d.turns),
              content_hash, $batch
       FROM parsed SEMI JOIN fresh USING (id, ord)`,
      { batch: this.batchId },
    );
    await c.run(`
      INSERT INTO turns
      SELECT id, seq, t.role, t.text, t.at, t.agent_kind, t.name
      FROM (SELECT id, unnest(range(len(d.turns))) AS seq, unnest(d.turns) AS t FROM parsed SEMI JOIN fresh USING (id, ord))`);
    await c.run('DROP TABLE fresh');
    await c.run('DROP TABLE parsed');
    return { fresh: Number(fresh!.n), conflicts: Number(counts!.conflicts) };
  }

  /**
   * Customers are profiles: the last copy in a batch wins, and a changed profile replaces the stored
   * one. A stored profile is changed where it lies: its row updated, its purchases updated by
   * position, those past the new list's end deleted and the new ones inserted. Deleting all of them
   * and inserting them again gave the same rows at a cost every other writer paid: DuckDB removes
   * deleted rows from an index (`purchases_customer`) when it cleans the transaction up, after its
   * commit, and every commit of the store waits meanwhile, a reviewer's save included. 2026-12-07,
   * bench:label --mode during-ingest (4,000–6,000 changed profiles a merge): a merge's commit took
   * 0.58–0.66 s and the saves waited ~0.45 s more; now 0.20–0.25 s and ~0.1 s (BENCHMARKS.md).
   */
  private async mergeCustomers(slot: Slot): Promise<{ changed: number; unchanged: number }> {
    const c = this.mergeConnection;
    const [{ staged }] = (await c.runAndReadAll(`SELECT count(*) AS staged FROM ${slot.customers}`)).getRowObjectsJson() as [{ staged: string }];
    if (Number(staged) === 0) return { changed: 0, unchanged: 0 };
    await c.run(`
      CREATE OR REPLACE TEMP TABLE fresh_customers AS
      SELECT c, CAST(hash(doc) AS VARCHAR) AS content_hash FROM (
        SELECT ord, doc, from_json(doc, '${CUSTOMER_SHAPE}') AS c FROM ${slot.customers}
      )
      QUALIFY row_number() OVER (PARTITION BY c.customer_id ORDER BY ord DESC) = 1`);
    const [counts] = (
      await c.runAndReadAll(`
        SELECT count(*) FILTER (WHERE x.id IS NULL OR x.content_hash <> f.content_hash) AS changed,
               count(*) FILTER (WHERE x.content_hash <> f.content_hash) AS replaced
        FROM fresh_customers f LEFT JOIN customers x ON x.id = f.c.customer_id`)
    ).getRowObjectsJson() as [{ changed: string; replaced: string }];
    await c.run(`
      DELETE FROM fresh_customers f USING customers x
      WHERE x.id = f.c.customer_id AND x.content_hash = f.content_hash`);
    const batch = { batch: this.batchId };
    const freshPurchases = `SELECT c.customer_id AS id, unnest(range(len(c.purchases))) AS seq, unnest(c.purchases) AS p FROM fresh_customers`;
    if (Number(counts.replaced) > 0) {
      await c.run(`CREATE OR REPLACE TEMP TABLE fresh_purchases AS ${freshPurchases} WHERE c.customer_id IN (SELECT id FROM customers)`);
      await c.run(
        `UPDATE customers x SET name = f.c.name, tier = coalesce(f.c.tier, 'standard'), language = f.c.language, since = f.c.since,
                content_hash = f.content_hash, batch_id = $batch
         FROM fresh_customers f WHERE x.id = f.c.customer_id`,
        batch,
      );
      await c.run(`
        UPDATE purchases x SET product = f.p.product, category = f.p.category, purchased_at = f.p.purchased_at,
               warranty_months = f.p.warranty_months, order_id = f.p.order_id, price = f.p.price
        FROM fresh_purchases f WHERE x.customer_id = f.id AND x.seq = f.seq`);
      await c.run(`
        DELETE FROM purchases x USING fresh_customers f
        WHERE x.customer_id = f.c.customer_id AND x.seq >= coalesce(len(f.c.purchases), 0)`);
      await c.run(`
        INSERT INTO purchases
        SELECT f.id, f.seq, f.p.product, f.p.category, f.p.purchased_at, f.p.warranty_months, f.p.order_id, f.p.price
        FROM fresh_purchases f ANTI JOIN purchases x ON x.customer_id = f.id AND x.seq = f.seq`);
      await c.run('DROP TABLE fresh_purchases');
      await c.run('DELETE FROM fresh_customers f USING customers x WHERE x.id = f.c.customer_id'); // the ones just updated
    }
    await c.run(
      `INSERT INTO customers SELECT c.customer_id, c.name, coalesce(c.tier, 'standard'), c.language, c.since, content_hash, $batch
       FROM fresh_customers`,
      batch,
    );
    await c.run(`
      INSERT INTO purchases
      SELECT id, seq, p.product, p.category, p.purchased_at, p.warranty_months, p.order_id, p.price FROM (${freshPurchases})`);
    await c.run('DROP TABLE fresh_customers');
    const changed = Number(counts.changed);
    return { changed, unchanged: Number(staged) - changed };
  }

  /** Drops the staging database and the loader's connections; call it whether the load succeeded or not. */
  async close(): Promise<void> {
    for (const slot of this.slots) await slot.merging?.catch(() => undefined);
    for (const appender of Object.values(this.appenders)) {
      try {
        appender.close();
      } catch {
        // already closed by rotate()
      }
    }
    this.appendConnection.closeSync();
    const c = this.mergeConnection;
    await c.run(`DETACH ${this.stageDb}`).catch(() => undefined);
    await releaseLoadSettings(this.db, c).catch(() => undefined);
    c.closeSync();
  }
}
