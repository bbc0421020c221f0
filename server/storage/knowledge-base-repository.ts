// What the offline bot's knowledge base is built from (server/services/knowledge-base.ts): each
// logged dialogue of a non-VIP customer with the customer's words and the agent's last reply, and
// every product name the store knows.
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

  /** Dialogues not of VIP customers (their replies greet the customer by name). */
  async answeredDialogues(): Promise<AnsweredDialogue[]> {
    return this.db.all<AnsweredDialogue>(`
      SELECT d.id, d.customer_id, d.language, d.intent, d.resolved, d.escalated,
             string_agg(t.text, '\n' ORDER BY t.seq) FILTER (WHERE t.role = 'customer') AS question,
             arg_max(t.text, t.seq) FILTER (WHERE t.role = 'agent') AS answer
      FROM dialogues d JOIN turns t ON t.dialogue_id = d.id
      WHERE d.customer_id IS NULL OR d.customer_id NOT IN (SELECT id FROM customers WHERE tier = 'vip')
      GROUP BY d.id, d.customer_id, d.language, d.intent, d.resolved, d.escalated`);
  }

  async knownProducts(): Promise<string[]> {
    return (await this.db.all<{ product: string }>('SELECT DISTINCT product FROM purchases ORDER BY product')).map((r) => r.product);
  }
}
