// Bulk loading of validated dialogues and customers. Rows are appended (DataChunks, on a connection
// of their own) into one of two unindexed staging slots; when a slot is full it is merged into the
// store by set-based SQL on the main connection — parsing the JSON documents in DuckDB, keeping the
// first copy of each id — while appending goes on into the other slot.
import { randomUUID } from 'node:crypto';
import { INTEGER, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import { BulkAppender } from './bulk-appender.ts';
import type { Database } from './database.ts';

const TURN_SHAPE = '[{"role":"VARCHAR","text":"VARCHAR","at":"VARCHAR","agent_kind":"VARCHAR","name":"VARCHAR"}]';
const DIALOGUE_SHAPE = `{"id":"VARCHAR","channel":"VARCHAR","customer_id":"VARCHAR","started_at":"VARCHAR","turns":${TURN_SHAPE},"outcome":{"resolved":"BOOLEAN","escalated":"BOOLEAN","csat":"TINYINT"},"metadata":"JSON"}`;
const PURCHASE_SHAPE = '[{"product":"VARCHAR","category":"VARCHAR","purchased_at":"DATE","warranty_months":"INTEGER","order_id":"VARCHAR","price":"DOUBLE"}]';
const CUSTOMER_SHAPE = `{"customer_id":"VARCHAR","name":"VARCHAR","tier":"VARCHAR","language":"VARCHAR","since":"DATE","purchases":${PURCHASE_SHAPE}}`;

/** Staging tables are named `stage_<kind>_<8 hex>_<slot>`; a killed ingest leaves them behind. */
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
  private ord = 0;
  private current = 0;
  private appenders!: { dialogues: BulkAppender; customers: BulkAppender; quarantine: BulkAppender };
  readonly totals: LoadTotals = { loaded: 0, duplicates: 0, conflicts: 0, customers: 0 };

  private constructor(
    private readonly db: Database,
    private readonly appendConnection: DuckDBConnection,
    private readonly batchId: string,
    private readonly slots: [Slot, Slot],
  ) {}

  static async open(db: Database, batchId: string): Promise<DialogueLoader> {
    const tag = randomUUID().slice(0, 8);
    const slots = [0, 1].map((i) => ({
      dialogues: `stage_dialogues_${tag}_${i}`,
      customers: `stage_customers_${tag}_${i}`,
      quarantine: `stage_quarantine_${tag}_${i}`,
    })) as [Slot, Slot];
    for (const slot of slots) {
      await db.run(`CREATE TABLE ${slot.dialogues} (ord INTEGER, doc VARCHAR, language VARCHAR, source VARCHAR)`);
      await db.run(`CREATE TABLE ${slot.customers} (ord INTEGER, doc VARCHAR)`);
      await db.run(`CREATE TABLE ${slot.quarantine} (file VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR)`);
    }
    const loader = new DialogueLoader(db, await db.connect(), batchId, slots);
    await loader.openAppenders();
    return loader;
  }

  private async openAppenders(): Promise<void> {
    const slot = this.slots[this.current]!;
    const c = this.appendConnection;
    this.appenders = {
      dialogues: await BulkAppender.create(c, slot.dialogues, [INTEGER, VARCHAR, VARCHAR, VARCHAR]),
      customers: await BulkAppender.create(c, slot.customers, [INTEGER, VARCHAR]),
      quarantine: await BulkAppender.create(c, slot.quarantine, [VARCHAR, INTEGER, VARCHAR, VARCHAR]),
    };
  }

  /** `doc` is the dialogue as canonical JSON (already validated, redacted and with its language). */
  addDialogue(doc: string, language: string, source: string): void {
    this.appenders.dialogues.push(++this.ord, doc, language, source);
    this.staged++;
  }

  addCustomer(doc: string): void {
    this.appenders.customers.push(++this.ord, doc);
    this.staged++;
  }

  addQuarantine(file: string, line: number, reason: string, raw: string): void {
    this.appenders.quarantine.push(file, line, reason, raw);
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
    const batch = this.batchId;
    await this.db.transaction(async () => {
      await this.db.run(`
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT ord, d.id AS id, d, language, source, CAST(hash(doc) AS VARCHAR) AS content_hash
        FROM (SELECT ord, doc, language, source, from_json(doc, '${DIALOGUE_SHAPE}') AS d FROM ${slot.dialogues})`);
      const [counts] = await this.db.all<{ staged: string; conflicts: string }>(`
        SELECT count(*) AS staged,
               count(*) FILTER (WHERE x.id IS NOT NULL AND x.content_hash <> p.content_hash) AS conflicts
        FROM parsed p LEFT JOIN dialogues x ON x.id = p.id`);
      // Only ids and ordinals are copied; the parsed documents are read once more by each insert.
      await this.db.run(`
        CREATE OR REPLACE TEMP TABLE fresh AS
        SELECT id, min(ord) AS ord FROM parsed WHERE id NOT IN (SELECT id FROM dialogues) GROUP BY id`);
      const [fresh] = await this.db.all<{ n: string }>('SELECT count(*) AS n FROM fresh');
      await this.db.run(
        `INSERT INTO dialogues
         SELECT d.id, coalesce(d.channel, 'unknown'), d.customer_id, language, d.started_at,
                CAST(d.started_at AS TIMESTAMPTZ), source, d.metadata->>'intent',
                d.outcome.resolved, d.outcome.escalated, d.outcome.csat, d.metadata, len(d.turns),
                content_hash, $batch
         FROM parsed SEMI JOIN fresh USING (id, ord)`,
        { batch },
      );
      await this.db.run(`
        INSERT INTO turns
        SELECT id, seq, t.role, t.text, t.at, t.agent_kind, t.name
        FROM (SELECT id, unnest(range(len(d.turns))) AS seq, unnest(d.turns) AS t FROM parsed SEMI JOIN fresh USING (id, ord))`);
      const customers = await this.mergeCustomers(slot);
      await this.db.run(
        `INSERT INTO quarantine (batch_id, file, line, reason, raw) SELECT $batch, file, line, reason, raw FROM ${slot.quarantine}`,
        { batch },
      );
      const staged = Number(counts!.staged);
      const loaded = Number(fresh!.n);
      this.totals.loaded += loaded;
      this.totals.duplicates += staged - loaded + customers.unchanged;
      this.totals.conflicts += Number(counts!.conflicts);
      this.totals.customers += customers.changed;
      for (const table of [slot.dialogues, slot.customers, slot.quarantine]) await this.db.run(`DELETE FROM ${table}`);
    });
    await this.db.run('DROP TABLE IF EXISTS fresh');
    await this.db.run('DROP TABLE IF EXISTS parsed');
  }

  /** Customers are profiles: the last copy in a batch wins, and a changed profile replaces the stored one. */
  private async mergeCustomers(slot: Slot): Promise<{ changed: number; unchanged: number }> {
    await this.db.run(`
      CREATE OR REPLACE TEMP TABLE fresh_customers AS
      SELECT c, CAST(hash(doc) AS VARCHAR) AS content_hash FROM (
        SELECT ord, doc, from_json(doc, '${CUSTOMER_SHAPE}') AS c FROM ${slot.customers}
      )
      QUALIFY row_number() OVER (PARTITION BY c.customer_id ORDER BY ord DESC) = 1`);
    const [counts] = await this.db.all<{ staged: string; changed: string }>(`
      SELECT (SELECT count(*) FROM ${slot.customers}) AS staged,
             (SELECT count(*) FROM fresh_customers f LEFT JOIN customers x ON x.id = f.c.customer_id
               WHERE x.id IS NULL OR x.content_hash <> f.content_hash) AS changed`);
    await this.db.run(`
      DELETE FROM fresh_customers f USING customers x
      WHERE x.id = f.c.customer_id AND x.content_hash = f.content_hash`);
    await this.db.run('DELETE FROM purchases WHERE customer_id IN (SELECT c.customer_id FROM fresh_customers)');
    await this.db.run('DELETE FROM customers WHERE id IN (SELECT c.customer_id FROM fresh_customers)');
    await this.db.run(
      `INSERT INTO customers SELECT c.customer_id, c.name, coalesce(c.tier, 'standard'), c.language, c.since, content_hash, $batch
       FROM fresh_customers`,
      { batch: this.batchId },
    );
    await this.db.run(`
      INSERT INTO purchases
      SELECT id, seq, p.product, p.category, p.purchased_at, p.warranty_months, p.order_id, p.price
      FROM (SELECT c.customer_id AS id, unnest(range(len(c.purchases))) AS seq, unnest(c.purchases) AS p FROM fresh_customers)`);
    await this.db.run('DROP TABLE IF EXISTS fresh_customers');
    const changed = Number(counts!.changed);
    return { changed, unchanged: Number(counts!.staged) - changed };
  }

  /** Drops the staging tables; call it whether the load succeeded or not. */
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
    for (const slot of this.slots) {
      for (const table of [slot.dialogues, slot.customers, slot.quarantine]) await this.db.run(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
