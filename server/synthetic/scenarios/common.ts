// Helpers the scenario files share.
import type { BuildContext, PurchaseRecord, ScenarioScript } from '../scenario.ts';
import { compactDate, isoDate } from '../time.ts';

export function requirePurchase(ctx: BuildContext): PurchaseRecord {
  if (ctx.purchase === undefined) throw new Error(`scenario ${ctx.variant} needs a purchase`);
  return ctx.purchase;
}

/** The `lookup_order` tool turn an agent would see. */
export function orderLookup(p: PurchaseRecord, extra: Record<string, unknown>): NonNullable<ScenarioScript['tool']> {
  return {
    name: 'lookup_order',
    payload: { order_id: p.orderId, product: p.name, purchased_at: isoDate(p.day), price: p.price, ...extra },
  };
}

/** A ticket number such as TS20260312-4821: a date and a short suffix, never personal data. */
export function ticket(prefix: string, day: number, suffix: string): string {
  return prefix + compactDate(day) + '-' + suffix;
}
