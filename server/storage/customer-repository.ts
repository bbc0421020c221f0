// CRM profiles: a customer with their purchases.
import type { Customer } from '../domain/dialogue.ts';
import { customerFromRow } from './converters.ts';
import type { Database } from './database.ts';

const PURCHASES_AGG = `list({'product': p.product, 'category': p.category, 'purchased_at': CAST(p.purchased_at AS VARCHAR),
  'warranty_months': p.warranty_months, 'order_id': p.order_id, 'price': p.price} ORDER BY p.seq)`;

export class CustomerRepository {
  constructor(private readonly db: Database) {}

  async get(id: string): Promise<Customer | undefined> {
    const [row] = await this.db.all(
      `SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
              (SELECT ${PURCHASES_AGG} FROM purchases p WHERE p.customer_id = $id) AS purchase_rows
       FROM customers c WHERE c.id = $id`,
      { id },
    );
    return row ? customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[]) : undefined;
  }

  /** Several customers by id, in one query (ids not found are absent). */
  async getMany(ids: readonly string[]): Promise<Map<string, Customer>> {
    const rows = await this.db.all(
      `SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
              ${PURCHASES_AGG} FILTER (WHERE p.customer_id IS NOT NULL) AS purchase_rows
       FROM customers c LEFT JOIN purchases p ON p.customer_id = c.id
       WHERE c.id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))
       GROUP BY ALL`,
      { ids: JSON.stringify(ids) },
    );
    return new Map(rows.map((row) => [row.id as string, customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[])]));
  }

  /** Every customer in id order, in pages. */
  async *all(): AsyncIterable<Customer[]> {
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
