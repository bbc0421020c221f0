// Tools that open work for people: a repair ticket (free or paid by the warranty policy) and a
// transfer to a human queue.
import { z } from 'zod';
import { warrantyOn } from '../domain/warranty.ts';
import { IssueKind, repairCoverage } from './policy.ts';
import { defineTool, findOrder, isRefusal, OrderId, Refusal, refuse } from './tool.ts';

export const createRepairTicket = defineTool({
  name: 'create_repair_ticket',
  description:
    'Open a repair ticket for one of the customer\'s devices. The charge follows the policy: free in warranty for covered issues, paid otherwise; a paid repair is only booked with accept_paid true, after the customer agreed to pay. Calling it again for the same order returns the open ticket.',
  args: z
    .object({
      order_id: OrderId,
      issue: z.string().min(1).max(500).describe("The problem in the customer's words"),
      issue_kind: IssueKind.default('hardware_fault'),
      accidental: z.boolean().default(false).describe('The damage came from a drop or another accident'),
      accept_paid: z.boolean().default(false).describe('The customer agreed to a paid repair'),
    })
    .strict(),
  result: z.union([
    z.object({
      ok: z.literal(true),
      ticket_id: z.string(),
      order_id: z.string(),
      charge: z.enum(['free', 'paid']),
      warranty_status: z.enum(['in_warranty', 'expired']),
      /** The ticket was already open: nothing new was created. */
      existing: z.boolean(),
      repair_business_days: z.object({ min: z.number().int(), max: z.number().int() }),
      free_diagnosis: z.boolean(),
    }),
    Refusal,
  ]),
  run(args, sandbox) {
    const order = findOrder(sandbox, args.order_id);
    if (isRefusal(order)) return order;
    if (order.warranty_months <= 0) return refuse('no_warranty', `${order.product} is a service, not a device that can be repaired`);
    const state = sandbox.state();
    const warranty = warrantyOn(order, state.today).status;
    const coverage = repairCoverage(sandbox.policy, warranty === 'in_warranty', args.issue_kind, args.accidental);
    const days = sandbox.policy.warranty.repair_business_days;
    const free_diagnosis = sandbox.policy.warranty.free_diagnosis;
    const open = state.tickets.find((t) => t.order_id === order.order_id);
    if (open !== undefined) return { ok: true as const, ticket_id: open.ticket_id, order_id: open.order_id, charge: open.charge, warranty_status: warranty, existing: true, repair_business_days: days, free_diagnosis };
    if (!coverage.covered && !args.accept_paid) {
      const why = coverage.why === 'expired' ? 'the warranty has expired' : coverage.why === 'accident_not_covered' ? 'accidental damage is not covered' : `${args.issue_kind.replace(/_/g, ' ')} is not covered`;
      return refuse('paid_repair_not_accepted', `this is a paid repair (${why}): book it with accept_paid once the customer agrees`);
    }
    const ticket = { ticket_id: sandbox.nextId('RT'), order_id: order.order_id, issue: args.issue, issue_kind: args.issue_kind, charge: coverage.charge, opened_on: state.today };
    sandbox.update((s) => void s.tickets.push(ticket));
    return { ok: true as const, ticket_id: ticket.ticket_id, order_id: ticket.order_id, charge: ticket.charge, warranty_status: warranty, existing: false, repair_business_days: days, free_diagnosis };
  },
});

export const transferToHuman = defineTool({
  name: 'transfer_to_human',
  description: 'Hand the conversation to a person in a queue (human, vip, complaints), with a short summary so the customer need not repeat anything.',
  args: z
    .object({
      queue: z.string().regex(/^[a-z0-9_-]+$/).max(40).describe('human, vip or complaints (the template names them)'),
      summary: z.string().min(1).max(1000).describe('What the customer wants and what has been done so far'),
    })
    .strict(),
  result: z.object({ ok: z.literal(true), transfer_id: z.string(), queue: z.string() }),
  run({ queue, summary }, sandbox) {
    const open = sandbox.state().transfers.find((t) => t.queue === queue);
    if (open !== undefined) return { ok: true as const, transfer_id: open.transfer_id, queue };
    const transfer = { transfer_id: sandbox.nextId('TR'), queue, summary };
    sandbox.update((s) => void s.transfers.push(transfer));
    return { ok: true as const, transfer_id: transfer.transfer_id, queue };
  },
});
