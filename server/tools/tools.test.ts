import { describe, expect, it } from 'vitest';
import type { Customer } from '../domain/dialogue.ts';
import { DEFAULT_POLICY, policyFromText } from './policy.ts';
import { createToolRunner, openAiTools, TOOLS } from './registry.ts';
import { createSandbox, seedFromCustomer } from './sandbox.ts';
import { TOOL_NAMES, ToolError } from './tool.ts';

const TODAY = '2026-03-02';
const customer: Customer = {
  customer_id: 'c-1',
  name: 'Wang Fang',
  tier: 'standard',
  language: 'zh',
  purchases: [
    { product: 'Nova X5 手机 256GB', category: 'phone', purchased_at: '2026-02-09', warranty_months: 12, order_id: 'DD20260209000001', price: 3999 }, // 3 weeks
    { product: 'Aero 14 笔记本电脑', category: 'laptop', purchased_at: '2024-12-20', warranty_months: 12, order_id: 'DD20241220000002', price: 5499 }, // 14 months
    { product: 'Pulse Buds 2 无线耳机', category: 'earbuds', purchased_at: '2026-02-27', warranty_months: 12, order_id: 'DD20260227000003', price: 599 }, // 3 days
    { product: 'Vista 55英寸 4K 电视', category: 'tv', purchased_at: '2026-03-02', warranty_months: 24, order_id: 'DD20260302000004', price: 3299 }, // today
    { product: 'Mesh AX3000 路由器', category: 'router', purchased_at: '2026-04-01', warranty_months: 24, order_id: 'DD20260401000005', price: 399 }, // after the contact
  ],
};

function runner() {
  const sandbox = createSandbox(seedFromCustomer(customer, TODAY));
  return { sandbox, tools: createToolRunner({ sandbox }) };
}

describe('back-office tools enforce the policy', () => {
  it('lookup_customer returns only the asking customer, as of the contact day', async () => {
    const { tools } = runner();
    const r = await tools.call('lookup_customer', {});
    expect(r.customer).toEqual({ customer_id: 'c-1', tier: 'standard' });
    expect(r.orders.map((o) => o.order_id)).toEqual(['DD20260209000001', 'DD20241220000002', 'DD20260227000003', 'DD20260302000004']);
    expect(r.orders.map((o) => o.status)).toEqual(['delivered', 'delivered', 'delivered', 'processing']);
    expect(JSON.stringify(r)).not.toContain('Wang');
  });

  it('check_warranty judges as of the contact day (3 weeks old in, 14 months old expired)', async () => {
    const { tools } = runner();
    expect(await tools.call('check_warranty', { order_id: 'DD20260209000001' })).toMatchObject({ ok: true, status: 'in_warranty', expires_on: '2027-02-08' });
    expect(await tools.call('check_warranty', { order_id: 'DD20241220000002' })).toMatchObject({ ok: true, status: 'expired', expires_on: '2025-12-19' });
    const later = createToolRunner({ sandbox: createSandbox(seedFromCustomer(customer, '2027-02-09')) });
    expect(await later.call('check_warranty', { order_id: 'DD20260209000001' })).toMatchObject({ status: 'expired', days_left: -1 });
  });

  it("refuses another customer's order or one bought after the contact as not found", async () => {
    const { tools } = runner();
    expect(await tools.call('check_warranty', { order_id: 'DD99990101999999' })).toMatchObject({ ok: false, refused: 'not_found' });
    expect(await tools.call('create_return', { order_id: 'DD20260401000005', reason: 'changed_mind' })).toMatchObject({ ok: false, refused: 'not_found' });
  });

  it('refuses a refund outside the window with the reason; within it, opens the return', async () => {
    const { tools, sandbox } = runner();
    const late = await tools.call('create_return', { order_id: 'DD20260209000001', reason: 'changed_mind' });
    expect(late).toMatchObject({ ok: false, refused: 'outside_window', days_since_purchase: 21, window_days: 7, in_warranty: true });
    expect((late as { message: string }).message).toMatch(/21 days ago, past the 7-day no-reason return window/);
    expect(await tools.call('create_return', { order_id: 'DD20241220000002', reason: 'defect' })).toMatchObject({ ok: false, refused: 'outside_window', window_days: 30, in_warranty: false });
    expect(await tools.call('create_return', { order_id: 'DD20260209000001', reason: 'defect' })).toMatchObject({ ok: true, kind: 'defect_refund', refund_amount: 3999 });
    expect(await tools.call('create_return', { order_id: 'DD20260227000003', reason: 'changed_mind' })).toMatchObject({ ok: true, kind: 'no_reason_return' });
    expect(sandbox.state().returns.map((r) => r.order_id)).toEqual(['DD20260209000001', 'DD20260227000003']);
  });

  it('changes the address and cancels only before shipping', async () => {
    const { tools, sandbox } = runner();
    const shipped = await tools.call('change_delivery_address', { order_id: 'DD20260227000003', address: '上海市浦东新区张江路1号' });
    expect(shipped).toMatchObject({ ok: false, refused: 'already_shipped', redirect_extra_days: 1 });
    expect(await tools.call('cancel_order', { order_id: 'DD20260227000003' })).toMatchObject({ ok: false, refused: 'already_shipped' });
    expect(await tools.call('change_delivery_address', { order_id: 'DD20260302000004', address: '上海市浦东新区张江路1号' })).toMatchObject({ ok: true });
    expect(await tools.call('cancel_order', { order_id: 'DD20260302000004' })).toMatchObject({ ok: true, refund_amount: 3299 });
    expect(sandbox.state().orders.find((o) => o.order_id === 'DD20260302000004')).toMatchObject({ status: 'cancelled', delivery_address: '上海市浦东新区张江路1号' });
  });

  it('books a free repair in warranty, and a paid one only when the customer accepted it', async () => {
    const { tools, sandbox } = runner();
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20260209000001', issue: '屏幕摔碎了', issue_kind: 'screen_damage', accidental: true })).toMatchObject({ ok: true, charge: 'free', existing: false });
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20260209000001', issue: '屏幕摔碎了', issue_kind: 'screen_damage' })).toMatchObject({ ok: true, existing: true });
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20241220000002', issue: "won't turn on" })).toMatchObject({ ok: false, refused: 'paid_repair_not_accepted' });
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20241220000002', issue: "won't turn on", accept_paid: true })).toMatchObject({ ok: true, charge: 'paid' });
    // Liquid damage is never covered, even in warranty.
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20260227000003', issue: '进水了', issue_kind: 'liquid_damage' })).toMatchObject({ ok: false, refused: 'paid_repair_not_accepted' });
    expect(sandbox.state().tickets.map((t) => [t.order_id, t.charge])).toEqual([['DD20260209000001', 'free'], ['DD20241220000002', 'paid']]);
  });

  it('covers an accidental screen crack only when the policy text says so', async () => {
    const text = { en: '1.2 In warranty, hardware faults are repaired free of charge. Screen damage from an accident is not covered.', zh: '' };
    const strict = policyFromText(text);
    expect(strict.warranty.accidental_screen_damage_covered).toBe(false);
    const tools = createToolRunner({ sandbox: createSandbox(seedFromCustomer(customer, TODAY), strict) });
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20260209000001', issue: 'dropped it', issue_kind: 'screen_damage', accidental: true })).toMatchObject({ ok: false, refused: 'paid_repair_not_accepted' });
    expect(await tools.call('create_repair_ticket', { order_id: 'DD20260209000001', issue: 'cracked by itself', issue_kind: 'screen_damage' })).toMatchObject({ ok: true, charge: 'free' });
  });

  it('recommends the cheapest plan with 10% to spare, effective on the 1st of next month', async () => {
    const { tools } = runner();
    expect(await tools.call('recommend_plan', { data_gb: 28 })).toMatchObject({ plan: { name: { en: 'Max 60' } }, effective_from: '2026-04-01' });
    expect(await tools.call('recommend_plan', { data_gb: 25 })).toMatchObject({ plan: { name: { en: 'Plus 30' } } });
    expect((await tools.call('recommend_plan', { data_gb: 500 })).plan.name.en).toBe(DEFAULT_POLICY.plans.offers.at(-1)!.name.en);
  });

  it('rejects bad arguments with a typed error and records every call', async () => {
    const { tools } = runner();
    await expect(tools.call('check_warranty', { order_id: '' })).rejects.toSatisfy((e) => ToolError.isInstance(e) && e.kind === 'invalid_arguments');
    await expect(tools.call('nope' as 'lookup_customer', {})).rejects.toSatisfy((e) => ToolError.isInstance(e) && e.kind === 'unknown_tool');
    await tools.call('transfer_to_human', { queue: 'human', summary: 'wants a person' });
    expect(tools.calls.map((c) => c.name)).toEqual(['transfer_to_human']);
  });

  it('describes every tool as an OpenAI function tool with a JSON schema', () => {
    const tools = openAiTools();
    expect(tools.map((t) => t.function.name)).toEqual([...TOOL_NAMES]);
    expect(Object.keys(TOOLS)).toEqual([...TOOL_NAMES]);
    const repair = tools.find((t) => t.function.name === 'create_repair_ticket')!;
    expect(repair.function.parameters).toMatchObject({ type: 'object', required: ['order_id', 'issue'], properties: { issue_kind: { enum: expect.arrayContaining(['screen_damage']) } } });
    for (const t of tools) expect(t.function.description.length).toBeGreaterThan(20);
  });
});
