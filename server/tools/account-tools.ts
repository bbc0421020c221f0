// Read-only tools: the asking customer's account, a purchase's warranty, and a plan for their usage.
import { z } from 'zod';
import { warrantyOn } from '../domain/warranty.ts';
import { cheapestPlanFor, MobilePlanOffer } from './policy.ts';
import { OrderStatus } from './sandbox.ts';
import { defineTool, findOrder, isRefusal, OrderId, Refusal, refuse } from './tool.ts';

export const lookupCustomer = defineTool({
  name: 'lookup_customer',
  description:
    "The customer you are talking to: tier and every order as of today (product, purchase date, warranty months, price, status). Takes no arguments: it only ever returns this customer's own record.",
  args: z.object({}).strict(),
  result: z.object({
    ok: z.literal(true),
    today: z.iso.date(),
    customer: z.object({ customer_id: z.string(), tier: z.string() }),
    orders: z.array(
      z.object({
        order_id: z.string(),
        product: z.string(),
        category: z.string().nullable(),
        purchased_at: z.iso.date(),
        warranty_months: z.number().int(),
        price: z.number().nullable(),
        status: OrderStatus,
      }),
    ),
  }),
  run(_args, sandbox) {
    const s = sandbox.state();
    return {
      ok: true as const,
      today: s.today,
      customer: { customer_id: s.customer.customer_id, tier: s.customer.tier },
      orders: s.orders.map(({ delivery_address: _a, ...o }) => o),
    };
  },
});

export const checkWarranty = defineTool({
  name: 'check_warranty',
  description: "Warranty status of one of the customer's orders as of today: in warranty or expired, the last covered day and days left.",
  args: z.object({ order_id: OrderId }).strict(),
  result: z.union([
    z.object({
      ok: z.literal(true),
      order_id: z.string(),
      product: z.string(),
      purchased_at: z.iso.date(),
      warranty_months: z.number().int(),
      status: z.enum(['in_warranty', 'expired']),
      /** The last covered day. */
      expires_on: z.iso.date(),
      days_left: z.number().int(),
    }),
    Refusal,
  ]),
  run({ order_id }, sandbox) {
    const order = findOrder(sandbox, order_id);
    if (isRefusal(order)) return order;
    if (order.warranty_months <= 0) return refuse('no_warranty', `${order.product} is a service without a device warranty`);
    const w = warrantyOn(order, sandbox.state().today);
    return { ok: true as const, order_id: order.order_id, product: order.product, purchased_at: order.purchased_at, warranty_months: order.warranty_months, status: w.status, expires_on: w.expires_on, days_left: w.days_left };
  },
});

export const recommendPlan = defineTool({
  name: 'recommend_plan',
  description: "The cheapest monthly plan that covers the customer's data use (and calls, if known) with the policy's headroom, and their current plan if they have one.",
  args: z
    .object({
      data_gb: z.number().min(0).max(10_000).describe('Mobile data used per month, in GB'),
      minutes: z.number().int().min(0).max(100_000).optional().describe('Call minutes per month, if known'),
    })
    .strict(),
  result: z.object({
    ok: z.literal(true),
    plan: MobilePlanOffer,
    /** The share of spare allowance the policy asks for (0.1 = 10%). */
    headroom: z.number(),
    current_plan: z.string().nullable(),
    /** A plan change takes effect on this day (the 1st of next month). */
    effective_from: z.iso.date(),
  }),
  run({ data_gb, minutes }, sandbox) {
    const s = sandbox.state();
    const current = s.orders.filter((o) => o.category === 'mobile_plan' && o.status === 'active').at(-1);
    const [y, m] = s.today.split('-').map(Number) as [number, number];
    const effective = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
    return { ok: true as const, plan: cheapestPlanFor(sandbox.policy, data_gb, minutes), headroom: sandbox.policy.plans.headroom, current_plan: current?.product ?? null, effective_from: effective };
  },
});
