// Database rows -> domain objects. snake_case columns stay here and in SQL.
import type { Customer, Dialogue, Purchase, Turn } from '../domain/dialogue.ts';
import { Dialogue as DialogueSchema, Customer as CustomerSchema } from '../domain/dialogue.ts';

type Row = Record<string, unknown>;

/** Drops null and undefined fields so optional fields come out absent, as the canonical format has them. */
export function compact<T extends Row>(row: T): Partial<T> {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) if (value !== null && value !== undefined) out[key] = value;
  return out as Partial<T>;
}

export function turnFromRow(row: Row): Turn {
  return compact({ role: row.role, text: row.text, at: row.sent_at ?? row.at, agent_kind: row.agent_kind, name: row.name }) as Turn;
}

export function dialogueFromRow(row: Row, turns: readonly Row[]): Dialogue {
  const outcome = compact({
    resolved: row.resolved ?? undefined,
    escalated: row.escalated ?? undefined,
    csat: row.csat == null ? undefined : Number(row.csat),
  });
  return DialogueSchema.parse(
    compact({
      id: row.id,
      channel: row.channel,
      customer_id: row.customer_id,
      language: row.language,
      started_at: row.started_at,
      turns: turns.map(turnFromRow),
      outcome: Object.keys(outcome).length > 0 ? outcome : undefined,
      metadata: row.metadata == null ? undefined : typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata,
      source: row.source,
      content_hash: row.content_hash,
    }),
  );
}

export function customerFromRow(row: Row, purchases: readonly Row[]): Customer {
  return CustomerSchema.parse(
    compact({
      customer_id: row.id,
      name: row.name,
      tier: row.tier,
      language: row.language,
      since: row.since,
      purchases: purchases.map(
        (p) =>
          compact({
            product: p.product,
            category: p.category,
            purchased_at: p.purchased_at,
            warranty_months: Number(p.warranty_months),
            order_id: p.order_id,
            price: p.price == null ? undefined : Number(p.price),
          }) as Purchase,
      ),
    }),
  );
}
