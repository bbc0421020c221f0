// What the offline bot's knowledge base is built from (server/services/knowledge-base.ts): each
// logged dialogue of a non-VIP customer with the customer's words and the agent's last reply, the
// records of those dialogues' customers, and every product name the store knows.
import type { Customer } from '../domain/dialogue.ts';
import { customerFromRow } from './converters.ts';
import type { Database } from './database.ts';

export interface AnsweredDialogue {
  id: string;
  customer_id: string | null;
  language: 'zh' | 'en';
  intent: string | null;
  resolved: boolean | null;
  escalated: boolean | null;
  /** The customer's turns, joined by newlines. */
  question: string | null;
  /** The agent's last reply. */
  answer: string | null;
}

export class KnowledgeBaseRepository {
  constructor(private readonly db: Database) {}

  /**
   * Dialogues not of VIP customers (their replies greet the customer by name), and not the
   * production bot's own logged exchanges: the bot answers from what people answered, never from
   * its own earlier answers (its fallback and hand-off messages would come back as "answers").
   */
  async answeredDialogues(): Promise<AnsweredDialogue[]> {
    return this.db.all<AnsweredDialogue>(`
      SELECT d.id, d.customer_id, d.language, d.intent, d.resolved, d.escalated,
             string_agg(t.text, '\n' ORDER BY t.seq) FILTER (WHERE t.role = 'customer') AS question,
             arg_max(t.text, t.seq) FILTER (WHERE t.role = 'agent') AS answer
      FROM dialogues d JOIN turns t ON t.dialogue_id = d.id
      WHERE (d.customer_id IS NULL OR d.customer_id NOT IN (SELECT id FROM customers WHERE tier = 'vip'))
        AND d.source <> 'production'
      GROUP BY d.id, d.customer_id, d.language, d.intent, d.resolved, d.escalated`);
  }

  /** The records of the customers answeredDialogues() can name (not VIP, with a dialogue), by id, in one query. */
  async dialogueCustomers(): Promise<Map<string, Customer>> {
    const rows = await this.db.all(`
      SELECT c.id, c.name, c.tier, c.language, CAST(c.since AS VARCHAR) AS since,
             list({'product': p.product, 'category': p.category, 'purchased_at': CAST(p.purchased_at AS VARCHAR),
                   'warranty_months': p.warranty_months, 'order_id': p.order_id, 'price': p.price} ORDER BY p.seq)
               FILTER (WHERE p.customer_id IS NOT NULL) AS purchase_rows
      FROM customers c LEFT JOIN purchases p ON p.customer_id = c.id
      WHERE c.tier IS DISTINCT FROM 'vip' AND c.id IN (SELECT customer_id FROM dialogues WHERE customer_id IS NOT NULL)
      GROUP BY ALL`);
    return new Map(rows.map((row) => [row.id as string, customerFromRow(row, (row.purchase_rows ?? []) as Record<string, unknown>[])]));
  }

  async knownProducts(): Promise<string[]> {
    return (await this.db.all<{ product: string }>('SELECT DISTINCT product FROM purchases ORDER BY product')).map((r) => r.product);
  }
}
