// CRM profiles: a customer with their purchases.
import type { Customer } from '../domain/dialogue.ts';
import { customerFromRow } from './converters.ts';
import type { Database } from './database.ts';

const PURCHASES_AGG = `list({'product': p.product, 'category': p.category, 'purchased_at': CAST(p.purchased_at AS VARCHAR),
  'warranty_months': p.warranty_months, 'order_id': p.order_id, 'price': p.price} ORDER BY p.seq)`;

export class CustomerRepository {
  /** `committedReads`: getMany reads through the store's read connections (Database.read), never queued behind writes. */
  constructor(
    private readonly db: Database,
    private readonly options: { committedReads?: boolean } = {},
  ) {}

  /** Two lookups by key, issued at once (quicker than one statement with a subquery: see DialogueRepository.get). */
  async get(id: string): Promise<Customer | undefined> {
    const [[row], purchases] = await Promise.all([
      this.db.all('SELECT id, name, tier, language, CAST(since AS VARCHAR) AS since FROM customers WHERE id = $id', { id }),
      this.db.all(
        `SELECT product, category, CAST(purchased_at AS VARCHAR) AS purchased_at, warranty_months, order_id, price
         FROM purchases WHERE customer_id = $id ORDER BY seq`,
        { id },
      ),
    ]);
    return row ? customerFromRow(row, purchases) : undefined;
  }

  /** Several customers by id, in one query (ids not found are absent). */
  async getMany(ids: readonly string[]): Promise<Map<string, Customer>> {
    const rows = await (this.options.committedReads ? this.db.read.bind(this.db) : this.db.all.bind(this.db))(
      `SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
              ${PURCHASES_AGG} FILTER (WHERE p.customer_id IS NOT NULL) AS purchase_rows
       FROM customers c LEFT JOIN purchases p ON p.customer_id = c.id
       WHERE c.id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))
       GROUP BY ALL`,
      { ids: JSON.stringify(ids) },
    );
    return new Map(rows.map((row) => [row.id as string, customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[])]));
  }

  /** A page of customers in id order after `afterId` (for mirroring them page by page, each read queued like any other). */
  async page(afterId: string, limit: number): Promise<Customer[]> {
    const rows = await this.db.all(
      `SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
              ${PURCHASES_AGG} FILTER (WHERE p.customer_id IS NOT NULL) AS purchase_rows
       FROM (SELECT * FROM customers WHERE id > $after ORDER BY id LIMIT $limit) c LEFT JOIN purchases p ON p.customer_id = c.id
       GROUP BY ALL ORDER BY c.id`,
      { after: afterId, limit },
    );
    return rows.map((row) => customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[]));
  }

  /**
   * Cheap to read, and different whenever customers, purchases or what the offline bot's knowledge
   * base is built from (dialogues, gold labels, suites) were added or removed: when to mirror again.
   */
  async fingerprint(): Promise<string> {
    const [row] = await this.db.all(
      `SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM purchases) AS purchases,
              (SELECT count(*) FROM dialogues WHERE source <> 'production') AS dialogues, (SELECT count(*) FROM gold_labels) AS gold, (SELECT count(*) FROM suites) AS suites`,
    );
    return JSON.stringify(row);
  }

  /** Every customer in id order, in pages. */
  async *all(): AsyncIterable<Customer[]> {
    await this.db.barrier(); // what was answered just before is in
    const result = await this.db.connection.stream(`
      SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
             ${PURCHASES_AGG} FILTER (WHERE p.customer_id IS NOT NULL) AS purchase_rows
      FROM customers c LEFT JOIN purchases p ON p.customer_id = c.id
      GROUP BY ALL ORDER BY c.id`);
    for await (const rows of result.yieldRowObjectJson()) {
      yield rows.map((row) => customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[]));
    }
  }
}
