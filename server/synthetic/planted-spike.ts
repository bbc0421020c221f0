// A planted spike for the demo and the early-warning tests: on one local day, `count` extra
// customers who bought the same product contact support about the same intent ("repair questions
// about one appliance model suddenly rise"). Deterministic under the corpus seed; off by default.
import { z } from 'zod';
import type { Customer, DialogueInput } from '../domain/dialogue.ts';
import { PRODUCTS } from './catalog.ts';
import { orderId, planCustomer, startOf } from './customer-plan.ts';
import { buildDialogue } from './dialogue-builder.ts';
import { createRng, streamSeed } from './rng.ts';
import type { PurchaseRecord } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { dayOfIsoDate, isoDate, localDay } from './time.ts';

export const PlantedSpike = z.object({
  /** An intent about a device the customer bought. */
  intent: z.enum(['warranty_claim', 'screen_repair']).default('warranty_claim'),
  /** The product's model name (server/synthetic/catalog.ts). */
  model: z.string().refine((m) => PRODUCTS.some((p) => p.model === m), 'a model of the catalogue').default('Vista 65 Mini LED'),
  /** Local date of the spike; default 10 days before `now`. */
  date: z.iso.date().optional(),
  count: z.number().int().min(1).max(100_000).default(14),
});
export type PlantedSpike = z.input<typeof PlantedSpike>;

/** Spike customers get indices far beyond any ordinary customer's (c-9000001 …). */
const SPIKE_CUSTOMER_BASE = 9_000_000;
const SPIKE_STREAM = 0x5b1e;

export type SpikeItem = { kind: 'customer'; customer: Customer } | { kind: 'dialogue'; dialogue: DialogueInput };

/** The spike's customers and dialogues; dialogue ids come from `idOf(i)` (0-based). */
export function* plantedSpikeItems(spike: PlantedSpike, seed: number, nowMs: number, idOf: (i: number) => string): Generator<SpikeItem> {
  const { intent, model, date, count } = PlantedSpike.parse(spike);
  const product = PRODUCTS.find((p) => p.model === model)!;
  const def = SCENARIOS[intent];
  // One local date for every customer, whatever their time zone (default: 10 days before now in China).
  const day = date === undefined ? localDay(nowMs, 480) - 10 : dayOfIsoDate(date);
  for (let i = 0; i < count; i++) {
    const rng = createRng(streamSeed(seed ^ SPIKE_STREAM, i));
    const plan = planCustomer(rng, SPIKE_CUSTOMER_BASE + i, nowMs);
    // A recent purchase, well inside its warranty: the new model is failing.
    const bought = day - rng.int(20, 200);
    const warrantyMonths = rng.pick(product.warranty);
    const purchase: PurchaseRecord = { product, name: plan.zh ? product.zh : product.en, category: product.category, day: bought, warrantyMonths, orderId: orderId(rng, bought), price: plan.zh ? product.cny : product.usd };
    const customer: Customer = {
      ...plan.customer,
      purchases: [
        ...plan.customer.purchases,
        { product: purchase.name, category: purchase.category, purchased_at: isoDate(bought), warranty_months: warrantyMonths, order_id: purchase.orderId, price: purchase.price },
      ].sort((a, b) => a.purchased_at.localeCompare(b.purchased_at)),
    };
    yield { kind: 'customer', customer };
    const startMs = startOf(rng, day, plan.offsetMin);
    const dialogue = buildDialogue(rng, {
      id: idOf(i), customerId: customer.customer_id, zh: plan.zh, offsetMin: plan.offsetMin, startMs, episodeDay: day, def, variant: 'in',
      purchase, mobilePlan: plan.mobilePlan, person: plan.person, caseSeed: rng.int(0, 0xffffffff), repeatOf: undefined, followedByRepeat: false,
    });
    yield { kind: 'dialogue', dialogue };
  }
}
