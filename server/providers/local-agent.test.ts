import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { anonymousCustomerViewAsOf } from '../domain/customer-view.ts';
import type { Customer, Language, Turn } from '../domain/dialogue.ts';
import { parseReply, PromptTemplate, type GenerateResult, type SuiteCase } from '../domain/eval.ts';
import { createSandbox, seedFromCustomer, type Sandbox } from '../tools/sandbox.ts';
import { createLocalAgentProvider } from './local-agent.ts';
import { resolveProvider } from './registry.ts';

const TODAY = '2026-03-02';
const template = PromptTemplate.parse(parse(readFileSync(join(import.meta.dirname, '..', '..', 'prompts', 'empathetic-v1.yaml'), 'utf8')));

const phone = (order_id: string, purchased_at: string, product = 'Nova X5 phone (256 GB)') => ({ product, category: 'phone', purchased_at, warranty_months: 12, order_id, price: 549 });
/** A 3-week-old phone. */
const recent: Customer = { customer_id: 'c-recent', tier: 'standard', purchases: [phone('DD20260209111111', '2026-02-09'), { product: 'Vista 55" 4K TV', category: 'tv', purchased_at: '2025-06-01', warranty_months: 24, order_id: 'DD20250601222222', price: 479 }] };
/** A 14-month-old phone with a 12-month warranty. */
const old: Customer = { customer_id: 'c-old', tier: 'standard', purchases: [phone('DD20250102333333', '2025-01-02', 'Nova Lite 3 phone (128 GB)')] };
const twoPhones: Customer = { customer_id: 'c-two', tier: 'silver', purchases: [phone('DD20250102444444', '2025-01-02', 'Nova Lite 3 phone (128 GB)'), phone('DD20260209555555', '2026-02-09', 'Orbit Fold 2 foldable phone')] };
const noPhone: Customer = { customer_id: 'c-none', tier: 'standard', purchases: [{ product: 'Aero 14 laptop', category: 'laptop', purchased_at: '2026-01-10', warranty_months: 24, order_id: 'DD20260110666666', price: 749 }] };
const everyone = [recent, old, twoPhones, noPhone];

function suiteCase(customer: Customer | null, language: Language, turns: Turn[]): SuiteCase {
  const last = turns.filter((t) => t.role === 'customer').at(-1)!;
  return {
    case_id: 'd#1', dialogue_id: 'd', history: turns, customer_message: last.text,
    customer: customer === null ? null : anonymousCustomerViewAsOf(customer, TODAY), contact_date: TODAY,
    reference_answer: '', required_facts: [], expected_escalation: false, intent: null, language, channel: 'web', human_reply: null,
    gold: { fcr: null, accuracy: null, tone: null },
  };
}

const agent = createLocalAgentProvider();
async function ask(customer: Customer | null, language: Language, ...messages: string[]): Promise<GenerateResult> {
  return agent.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: suiteCase(customer, language, messages.map((text) => ({ role: 'customer', text }))), template });
}

/** Runs a conversation turn by turn, the agent's replies fed back into the history. */
async function converse(customer: Customer, language: Language, messages: string[], sandbox?: Sandbox) {
  const provider = sandbox ? createLocalAgentProvider({ sandboxFor: () => sandbox }) : agent;
  const turns: Turn[] = [];
  const replies: GenerateResult[] = [];
  for (const text of messages) {
    turns.push({ role: 'customer', text });
    const r = await provider.generate({ messages: [], params: { temperature: 0, max_tokens: 400 }, case: suiteCase(customer, language, [...turns]), template });
    replies.push(r);
    turns.push({ role: 'agent', text: r.text });
  }
  return replies;
}

const names = (r: GenerateResult) => r.tool_calls!.map((c) => c.name);
const call = (r: GenerateResult, name: string) => r.tool_calls!.find((c) => c.name === name);

/** No order number, customer id or product of anyone but `self` in the reply or the tool calls. */
function onlyOwnIdentifiers(r: GenerateResult, self: Customer) {
  const all = JSON.stringify(r);
  for (const other of everyone.filter((c) => c.customer_id !== self.customer_id)) {
    expect(all).not.toContain(other.customer_id);
    for (const p of other.purchases) if (!self.purchases.some((q) => q.order_id === p.order_id)) expect(all).not.toContain(p.order_id!);
  }
}

describe('local:agent: the warranty question', () => {
  it.each([
    ['zh', '我刚买的手机屏幕碎了怎么办'],
    ['en', 'I just bought a phone and the screen cracked, what can I do?'],
  ] as const)('%s: a 3-week-old phone is in warranty: looks it up, checks that order, books a free repair', async (lang, question) => {
    const r = await ask(recent, lang, question);
    expect(names(r)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket']);
    expect(call(r, 'check_warranty')!.arguments).toEqual({ order_id: 'DD20260209111111' });
    expect(call(r, 'create_repair_ticket')!).toMatchObject({ arguments: { order_id: 'DD20260209111111', issue_kind: 'screen_damage', accept_paid: false }, result: { ok: true, charge: 'free' } });
    const { answer, handoff } = parseReply(r.text);
    expect(handoff).toBeNull();
    expect(answer).toMatch(lang === 'zh' ? /保修期内.*免费维修.*RT20260302-0001/s : /under warranty.*free repair.*RT20260302-0001/s);
    expect(answer).toContain(lang === 'zh' ? '2027年2月8日' : 'February 8, 2027');
    expect(answer.startsWith(template.greeting![lang])).toBe(true);
    onlyOwnIdentifiers(r, recent);
  });

  it.each([
    ['zh', '我的手机屏幕碎了怎么办', '好的，帮我预约吧'],
    ['en', 'My phone screen is cracked, what can I do?', 'Yes please, book it'],
  ] as const)('%s: a 14-month-old phone is out of warranty: offers a paid repair, books it only once accepted', async (lang, question, yes) => {
    const [offer, booked] = await converse(old, lang, [question, yes]);
    expect(names(offer!)).toEqual(['lookup_customer', 'check_warranty']);
    expect(call(offer!, 'check_warranty')!).toMatchObject({ arguments: { order_id: 'DD20250102333333' }, result: { status: 'expired', expires_on: '2026-01-01' } });
    expect(offer!.text).toMatch(lang === 'zh' ? /已过保修期.*付费维修.*吗？$/s : /out of warranty.*paid repair.*\?$/s);
    expect(offer!.text).not.toMatch(/免费维修|free repair/);
    expect(names(booked!)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket']);
    expect(call(booked!, 'create_repair_ticket')!).toMatchObject({ arguments: { order_id: 'DD20250102333333', accept_paid: true }, result: { ok: true, charge: 'paid' } });
    onlyOwnIdentifiers(offer!, old);
    onlyOwnIdentifiers(booked!, old);
  });

  it('a declined paid repair books nothing', async () => {
    const [, declined] = await converse(old, 'en', ['My phone screen is cracked', 'No thanks, not now']);
    expect(names(declined!)).not.toContain('create_repair_ticket');
  });

  it('with two phones, asks which one, and does not ask again once turn 2 gives the order number', async () => {
    const sandbox = createSandbox(seedFromCustomer(twoPhones, TODAY));
    const [which, answer] = await converse(twoPhones, 'zh', ['我的手机屏幕碎了怎么办', '订单号是DD20260209555555'], sandbox);
    expect(names(which!)).toEqual(['lookup_customer']);
    expect(which!.text).toMatch(/哪一笔/);
    expect(which!.text).toContain('DD20250102444444');
    expect(which!.text).toContain('DD20260209555555');
    expect(call(answer!, 'check_warranty')!.arguments).toEqual({ order_id: 'DD20260209555555' });
    expect(answer!.text).not.toMatch(/哪一笔|订单号是多少|提供.{0,4}订单号/);
    expect(answer!.text).toMatch(/保修期内/);
    // The conversation's sandbox ends with exactly one free repair for that order.
    expect(sandbox.state().tickets).toEqual([expect.objectContaining({ order_id: 'DD20260209555555', charge: 'free' })]);
  });

  it('picks the phone by what the customer says (three weeks ago, the model) without asking', async () => {
    const byDate = await ask(twoPhones, 'en', 'I bought a phone three weeks ago and the screen cracked');
    expect(call(byDate, 'check_warranty')!.arguments).toEqual({ order_id: 'DD20260209555555' });
    const byModel = await ask(twoPhones, 'en', 'The screen of my Nova Lite 3 is smashed');
    expect(call(byModel, 'check_warranty')!.arguments).toEqual({ order_id: 'DD20250102444444' });
  });

  it.each(['zh', 'en'] as const)("%s: with no phone on record, says so and asks for the order number", async (lang) => {
    const r = await ask(noPhone, lang, lang === 'zh' ? '我刚买的手机屏幕碎了怎么办' : 'My new phone has a cracked screen');
    expect(names(r)).toEqual(['lookup_customer']);
    expect(r.text).toMatch(lang === 'zh' ? /没有找到手机的购买记录.*订单号/ : /can't find a phone purchase.*order number/);
    expect(r.text).not.toContain('DD20260110666666');
  });

  it("never confirms another customer's order number", async () => {
    const r = await ask(recent, 'en', 'My phone screen cracked, the order is DD20250102333333');
    expect(names(r)).toEqual(['lookup_customer']);
    expect(r.text).toMatch(/can't find order DD20250102333333 on your account/);
    expect(JSON.stringify(r.tool_calls)).not.toContain('Nova Lite 3');
  });
});

describe('local:agent: hand-offs and other requests', () => {
  it.each([
    ['zh', '我要人工'],
    ['en', 'I want to talk to a real person'],
  ] as const)('%s: an explicit request for a person → transfer_to_human and the marker', async (lang, text) => {
    const r = await ask(recent, lang, text);
    expect(names(r)).toEqual(['transfer_to_human']);
    expect(call(r, 'transfer_to_human')!.arguments).toMatchObject({ queue: 'human' });
    expect(parseReply(r.text).handoff).toEqual({ queue: 'human' });
    expect(r.text).toContain(template.escalation.message[lang]);
  });

  it('an angry customer gets the answer the record allows, then a person', async () => {
    const r = await ask(recent, 'zh', '我刚买的手机屏幕碎了，你们什么破服务！');
    expect(names(r)).toEqual(['lookup_customer', 'check_warranty', 'create_repair_ticket', 'transfer_to_human']);
    expect(parseReply(r.text)).toMatchObject({ handoff: { queue: 'human' }, answer: expect.stringMatching(/保修期内/) });
  });

  it('refuses a refund outside the window and says why', async () => {
    const r = await ask(recent, 'en', "I bought a phone three weeks ago and don't want it any more, can I get a refund?");
    expect(call(r, 'create_return')!).toMatchObject({ arguments: { order_id: 'DD20260209111111', reason: 'changed_mind' }, result: { ok: false, refused: 'outside_window' } });
    expect(r.text).toMatch(/21 days ago.*7-day no-reason return window.*not eligible/s);
  });

  it('asks for the new address once, then changes it or explains why it cannot', async () => {
    const today: Customer = { customer_id: 'c-addr', tier: 'standard', purchases: [{ product: 'Vista 55" 4K TV', category: 'tv', purchased_at: TODAY, warranty_months: 24, order_id: 'DD20260302777777', price: 479 }] };
    const [askAddress, done] = await converse(today, 'en', ['Can I change the delivery address of my TV order?', 'New address: 221 Baker Street, London NW1 6XE']);
    expect(askAddress!.text).toMatch(/new delivery address for order DD20260302777777\?/);
    expect(call(done!, 'change_delivery_address')!).toMatchObject({ arguments: { order_id: 'DD20260302777777', address: '221 Baker Street, London NW1 6XE' }, result: { ok: true } });
  });

  it('recommends a plan from the stated use; asks for it when missing', async () => {
    const r = await ask(recent, 'zh', '想办一张新的手机卡，每个月大概用25G流量');
    expect(call(r, 'recommend_plan')!).toMatchObject({ arguments: { data_gb: 25 }, result: { plan: { name: { zh: '畅享59元套餐' } } } });
    expect((await ask(recent, 'en', 'Which mobile plan should I get?')).text).toMatch(/how many GB/);
  });

  it('is resolved by the registry as local:agent', () => {
    expect(resolveProvider('local:agent').id).toBe('local:agent');
  });
});
