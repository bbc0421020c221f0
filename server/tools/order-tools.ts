// Tools that change an order: a return with refund (within the policy's windows), a cancellation and
// a delivery-address change (both only before shipping).
import { z } from 'zod';
import { warrantyOn } from '../domain/warranty.ts';
import { daysBetween } from './sandbox.ts';
import { defineTool, findOrder, isRefusal, OrderId, Refusal, refuse } from './tool.ts';

const BusinessDays = z.object({ min: z.number().int(), max: z.number().int() });

export const createReturn = defineTool({
  name: 'create_return',
  description:
    'Return an order for a refund. changed_mind is allowed within the no-reason window (7 days from purchase), defect within the defect window (30 days); outside them it is refused with the reason, and a fault becomes a repair.',
  args: z
    .object({
      order_id: OrderId,
      reason: z.enum(['changed_mind', 'defect']).describe('defect when the item is faulty, else changed_mind'),
      note: z.string().max(500).optional().describe("The customer's words"),
    })
    .strict(),
  result: z.union([
    z.object({
      ok: z.literal(true),
      return_id: z.string(),
      order_id: z.string(),
      kind: z.enum(['no_reason_return', 'defect_refund']),
      refund_amount: z.number().nullable(),
      days_since_purchase: z.number().int(),
      refund_business_days: BusinessDays,
    }),
    Refusal.extend({
      days_since_purchase: z.number().int().optional(),
      window_days: z.number().int().optional(),
      /** Whether the device is still in warranty (a fault can be repaired instead). */
      in_warranty: z.boolean().optional(),
    }),
  ]),
  run({ order_id, reason }, sandbox) {
    const order = findOrder(sandbox, order_id);
    if (isRefusal(order)) return order;
    const { today } = sandbox.state();
    const { returns } = sandbox.policy;
    const days = daysBetween(order.purchased_at, today);
    const open = sandbox.state().returns.find((r) => r.order_id === order.order_id);
    if (open !== undefined) {
      return { ok: true as const, return_id: open.return_id, order_id: order.order_id, kind: open.kind, refund_amount: open.refund_amount, days_since_purchase: days, refund_business_days: returns.refund_business_days };
    }
    if (order.status === 'processing') return refuse('not_returnable', `order ${order.order_id} has not shipped yet: cancel it instead`);
    if (order.status === 'cancelled' || order.status === 'active') return refuse('not_returnable', `order ${order.order_id} is ${order.status === 'active' ? 'a service' : 'cancelled'} and cannot be returned`);
    const window = reason === 'changed_mind' ? returns.no_reason_days : Math.max(returns.no_reason_days, returns.defect_days);
    const kind: 'no_reason_return' | 'defect_refund' | null = days > window ? null : reason === 'changed_mind' ? 'no_reason_return' : 'defect_refund';
    if (kind === null) {
      const inWarranty = order.warranty_months > 0 && warrantyOn(order, today).status === 'in_warranty';
      return {
        ...refuse('outside_window', `bought ${days} days ago, past the ${window}-day ${reason === 'changed_mind' ? 'no-reason return' : 'defect refund'} window`),
        days_since_purchase: days,
        window_days: window,
        in_warranty: inWarranty,
      };
    }
    const record = { return_id: sandbox.nextId('RR'), order_id: order.order_id, reason, kind, refund_amount: order.price, opened_on: today };
    sandbox.update((s) => {
      s.returns.push(record);
      const o = s.orders.find((x) => x.order_id === order.order_id)!;
      o.status = 'return_requested';
    });
    return { ok: true as const, return_id: record.return_id, order_id: order.order_id, kind, refund_amount: order.price, days_since_purchase: days, refund_business_days: returns.refund_business_days };
  },
});

export const cancelOrder = defineTool({
  name: 'cancel_order',
  description: 'Cancel an order that has not shipped (refunded to the original payment method). A shipped order is refused: the customer can refuse the delivery or return it.',
  args: z.object({ order_id: OrderId }).strict(),
  result: z.union([
    z.object({ ok: z.literal(true), order_id: z.string(), refund_amount: z.number().nullable(), refund_business_days: BusinessDays }),
    Refusal,
  ]),
  run({ order_id }, sandbox) {
    const order = findOrder(sandbox, order_id);
    if (isRefusal(order)) return order;
    const days = sandbox.policy.returns.refund_business_days;
    if (order.status === 'cancelled') return { ok: true as const, order_id: order.order_id, refund_amount: order.price, refund_business_days: days };
    if (order.status === 'shipped' || order.status === 'delivered') return refuse('already_shipped', `order ${order.order_id} has already shipped and cannot be cancelled`);
    if (order.status !== 'processing') return refuse('not_cancellable', `order ${order.order_id} is ${order.status.replace('_', ' ')}`);
    sandbox.update((s) => void (s.orders.find((o) => o.order_id === order.order_id)!.status = 'cancelled'));
    return { ok: true as const, order_id: order.order_id, refund_amount: order.price, refund_business_days: days };
  },
});

export const changeDeliveryAddress = defineTool({
  name: 'change_delivery_address',
  description: 'Change the delivery address of an order that has not shipped yet. After shipping it is refused: only the courier can redirect the parcel.',
  args: z
    .object({
      order_id: OrderId,
      address: z.string().min(4).max(300).describe('The full new delivery address'),
    })
    .strict(),
  result: z.union([
    z.object({ ok: z.literal(true), order_id: z.string(), address: z.string() }),
    Refusal.extend({ redirect_extra_days: z.number().int().optional() }),
  ]),
  run({ order_id, address }, sandbox) {
    const order = findOrder(sandbox, order_id);
    if (isRefusal(order)) return order;
    if (order.status === 'shipped' || order.status === 'delivered') {
      return { ...refuse('already_shipped', `order ${order.order_id} has already shipped: the address can no longer be changed here`), redirect_extra_days: sandbox.policy.delivery.redirect_extra_days };
    }
    if (order.status !== 'processing') return refuse('not_cancellable', `order ${order.order_id} is ${order.status.replace('_', ' ')}: nothing to deliver`);
    const today = sandbox.state().today;
    sandbox.update((s) => {
      s.orders.find((o) => o.order_id === order.order_id)!.delivery_address = address.trim();
      s.address_changes.push({ order_id: order.order_id, address: address.trim(), changed_on: today });
    });
    return { ok: true as const, order_id: order.order_id, address: address.trim() };
  },
});
