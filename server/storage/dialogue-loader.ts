// Bulk loading of validated dialogues and customers: rows go into unindexed staging tables through
// DataChunk appenders, and `merge()` moves them into the store in one transaction, parsing the JSON
// documents in DuckDB (parallel, vectorised) and keeping the first copy of each id.
import { INTEGER, VARCHAR } from '@duckdb/node-api';
import { BulkAppender } from './bulk-appender.ts';
import type { Database } from './database.ts';

const TURN_SHAPE = '[{"role":"VARCHAR","text":"VARCHAR","at":"VARCHAR","agent_kind":"VARCHAR","name":"VARCHAR"}]';
const DIALOGUE_SHAPE = `{"id":"VARCHAR","channel":"VARCHAR","customer_id":"VARCHAR","started_at":"VARCHAR","turns":${TURN_SHAPE},"outcome":{"resolved":"BOOLEAN","escalated":"BOOLEAN","csat":"TINYINT"},"metadata":"JSON"}`;
const PURCHASE_SHAPE = '[{"product":"VARCHAR","category":"VARCHAR","purchased_at":"DATE","warranty_months":"INTEGER","order_id":"VARCHAR","price":"DOUBLE"}]';
const CUSTOMER_SHAPE = `{"customer_id":"VARCHAR","name":"VARCHAR","tier":"VARCHAR","language":"VARCHAR","since":"DATE","purchases":${PURCHASE_SHAPE}}`;

export interface MergeResult {
  loaded: number;
  /** Records whose id was already stored (or came earlier in this batch). */
  duplicates: number;
  /** Of those, the ones whose content differs from the stored copy (the stored copy is kept). */
  conflicts: number;
  customers: number;
  customersUnchanged: number;
}

export class DialogueLoader {
  private staged = 0;
  private ord = 0;

  private constructor(
    private readonly db: Database,
    private readonly batchId: string,
    private readonly dialogues: BulkAppender,
    private readonly customers: BulkAppender,
    private readonly quarantine: BulkAppender,
  ) {}

  static async open(db: Database, batchId: string): Promise<DialogueLoader> {
    await db.run('CREATE OR REPLACE TEMP TABLE stage_dialogues (ord INTEGER, doc VARCHAR, language VARCHAR, source VARCHAR)');
    await db.run('CREATE OR REPLACE TEMP TABLE stage_customers (ord INTEGER, doc VARCHAR)');
    await db.run('CREATE OR REPLACE TEMP TABLE stage_quarantine (file VARCHAR, line INTEGER, reason VARCHAR, raw VARCHAR)');
    const c = db.connection;
    return new DialogueLoader(
      db,
      batchId,
      await BulkAppender.create(c, 'stage_dialogues', [INTEGER, VARCHAR, VARCHAR, VARCHAR]),
      await BulkAppender.create(c, 'stage_customers', [INTEGER, VARCHAR]),
      await BulkAppender.create(c, 'stage_quarantine', [VARCHAR, INTEGER, VARCHAR, VARCHAR]),
    );
  }

  /** `doc` is the dialogue as canonical JSON (already validated, redacted and with its language). */
  addDialogue(doc: string, language: string, source: string): void {
    this.dialogues.push(++this.ord, doc, language, source);
    this.staged++;
  }

  addCustomer(doc: string): void {
    this.customers.push(++this.ord, doc);
    this.staged++;
  }

  addQuarantine(file: string, line: number, reason: string, raw: string): void {
    this.quarantine.push(file, line, reason, raw);
  }

  /** Records staged since the last merge. */
  get pending(): number {
    return this.staged;
  }

  async merge(): Promise<MergeResult> {
    this.dialogues.flush();
    this.customers.flush();
    this.quarantine.flush();
    const batch = this.batchId;
    const result = await this.db.transaction(async () => {
      await this.db.run(`
        CREATE OR REPLACE TEMP TABLE parsed AS
        SELECT ord, d.id AS id, d, language, source, md5(doc) AS content_hash
        FROM (SELECT ord, doc, language, source, from_json(doc, '${DIALOGUE_SHAPE}') AS d FROM stage_dialogues)`);
      const [counts] = await this.db.all<{ staged: number; conflicts: number }>(`
        SELECT count(*) AS staged,
               count(*) FILTER (WHERE x.id IS NOT NULL AND x.content_hash <> p.content_hash) AS conflicts
        FROM parsed p LEFT JOIN dialogues x ON x.id = p.id`);
      await this.db.run(`
        CREATE OR REPLACE TEMP TABLE fresh AS
        SELECT d, language, source, content_hash FROM parsed
        WHERE id NOT IN (SELECT id FROM dialogues)
        QUALIFY row_number() OVER (PARTITION BY id ORDER BY ord) = 1`);
      const [fresh] = await this.db.all<{ n: number }>('SELECT count(*) AS n FROM fresh');
      await this.db.run(
        `INSERT INTO dialogues
         SELECT d.id, coalesce(d.channel, 'unknown'), d.customer_id, language, d.started_at,
                CAST(d.started_at AS TIMESTAMPTZ), source, d.metadata->>'intent',
                d.outcome.resolved, d.outcome.escalated, d.outcome.csat, d.metadata, len(d.turns),
                content_hash, $batch
         FROM fresh`,
        { batch },
      );
      await this.db.run(`
        INSERT INTO turns
        SELECT id, seq, t.role, t.text, t.at, t.agent_kind, t.name
        FROM (SELECT d.id AS id, unnest(range(len(d.turns))) AS seq, unnest(d.turns) AS t FROM fresh)`);
      const customers = await this.mergeCustomers();
      await this.db.run(
        'INSERT INTO quarantine (batch_id, file, line, reason, raw) SELECT $batch, file, line, reason, raw FROM stage_quarantine',
        { batch },
      );
      const staged = Number(counts!.staged);
      const loaded = Number(fresh!.n);
      return { loaded, duplicates: staged - loaded, conflicts: Number(counts!.conflicts), ...customers };
    });
    await this.db.run('DROP TABLE IF EXISTS fresh');
    await this.db.run('DROP TABLE IF EXISTS parsed');
    await this.db.run('DELETE FROM stage_dialogues');
    await this.db.run('DELETE FROM stage_customers');
    await this.db.run('DELETE FROM stage_quarantine');
    this.staged = 0;
    return result;
  }

  /** Customers are profiles: the last copy in a batch wins, and a changed profile replaces the stored one. */
  private async mergeCustomers(): Promise<{ customers: number; customersUnchanged: number }> {
    await this.db.run(`
      CREATE OR REPLACE TEMP TABLE fresh_customers AS
      SELECT c, md5(doc) AS content_hash FROM (
        SELECT ord, doc, from_json(doc, '${CUSTOMER_SHAPE}') AS c FROM stage_customers
      )
      QUALIFY row_number() OVER (PARTITION BY c.customer_id ORDER BY ord DESC) = 1`);
    const [counts] = await this.db.all<{ staged: number; changed: number }>(`
      SELECT (SELECT count(*) FROM stage_customers) AS staged,
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
    return { customers: changed, customersUnchanged: Number(counts!.staged) - changed };
  }

  close(): void {
    this.dialogues.close();
    this.customers.close();
    this.quarantine.close();
  }
}
