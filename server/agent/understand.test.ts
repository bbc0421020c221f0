import { describe, expect, it } from 'vitest';
import { conversationState } from './conversation.ts';
import { parseWhen, understand } from './understand.ts';

const TODAY = '2026-03-02';

describe('understand (zh)', () => {
  it.each([
    ['我刚买的手机屏幕碎了怎么办', 'screen_repair'],
    ['笔记本开不了机，按电源键一点反应都没有', 'warranty_claim'],
    ['三周前买的耳机不想要了，能退吗？', 'refund_request'],
    ['订单DD20260301123456我不想要了，帮我取消一下', 'cancel_order'],
    ['能帮我改一下收货地址吗？我搬家了', 'change_address'],
    ['物流信息两天没更新了，电视到底什么时候能到？', 'delivery_delay'],
    ['想办一张新的手机卡，每个月大概用20G流量，有什么套餐推荐？', 'plan_recommendation'],
    ['账单里有个视频会员包，我从来没开通过，为什么扣我钱？', 'billing_dispute'],
    ['新手机怎么开通eSIM？', 'device_setup'],
    ['你们门店的店员态度太差了', 'complaint'],
    ['我要人工', 'human_request'],
    ['手表充不进电了', 'warranty_claim'],
  ])('%s → %s', (text, intent) => {
    expect(understand(text, 'zh', TODAY).intent).toBe(intent);
  });

  it('reads slots: order number, product kind, when, problem and cause, address, usage, yes/no', () => {
    const u = understand('订单号DD20260209123456，三周前买的Nova X5手机不小心摔了，屏幕裂了', 'zh', TODAY);
    expect(u.orderIds).toEqual(['DD20260209123456']);
    expect(u.kinds).toEqual(['phone']);
    expect(u.words).toEqual(expect.arrayContaining(['nova', 'x5']));
    expect(u.when).toEqual({ min: 17, max: 25 });
    expect(u.problem).toEqual({ kind: 'screen_damage', accidental: true });
    expect(understand('手机进水了开不了机', 'zh').problem).toEqual({ kind: 'liquid_damage', accidental: false });
    expect(understand('订单号DD20260301000001，新地址：上海市浦东新区张江路88号3号楼302室', 'zh').address).toBe('上海市浦东新区张江路88号3号楼302室');
    expect(understand('每个月大概用25G流量', 'zh').dataGb).toBe(25);
    expect(understand('好的，麻烦帮我预约', 'zh')).toMatchObject({ affirm: true, deny: false });
    expect(understand('算了，先不修了', 'zh')).toMatchObject({ affirm: false, deny: true });
    expect(understand('我的手机号是13812345678', 'zh').orderIds).toEqual([]);
    expect(understand('人工智能客服能回答吗', 'zh').intent).not.toBe('human_request');
  });

  it('turns relative and calendar dates into days ago', () => {
    expect(parseWhen('昨天买的', 'zh')).toEqual({ min: 1, max: 1 });
    expect(parseWhen('两个月前买的', 'zh')).toMatchObject({ min: 43, max: 78 });
    expect(parseWhen('十四个月前', 'zh')).toMatchObject({ min: expect.any(Number) });
    expect(parseWhen('一年多前买的', 'zh')).toEqual({ min: 335, max: 729 });
    expect(parseWhen('2月9日买的', 'zh', TODAY)).toEqual({ min: 21, max: 21 });
    expect(parseWhen('刚买的', 'zh')).toEqual({ min: 0, max: 45 });
  });
});

describe('understand (en)', () => {
  it.each([
    ["the screen on the phone I bought three weeks ago is cracked", 'screen_repair'],
    ["my laptop won't turn on at all", 'warranty_claim'],
    ["I regret buying the Nova X5 and want a refund", 'refund_request'],
    ['please cancel my order DD20260301123456', 'cancel_order'],
    ['I put the wrong delivery address on my order', 'change_address'],
    ["I ordered the Aero 14 five days ago and it still hasn't arrived", 'delivery_delay'],
    ["I'd like a new SIM, I use about 20 GB of data a month", 'plan_recommendation'],
    ['why was I charged $9.98 extra on my bill?', 'billing_dispute'],
    ['how do I pair the earbuds with my phone?', 'device_setup'],
    ['the staff at your store were incredibly rude', 'complaint'],
    ['I want to talk to a real person', 'human_request'],
    ["my watch won't charge any more", 'warranty_claim'],
  ])('%s → %s', (text, intent) => {
    expect(understand(text, 'en', TODAY).intent).toBe(intent);
  });

  it('reads slots: order number, kind, when, problem, address, usage, yes/no', () => {
    const u = understand('Order DD20241220000002: I dropped my laptop 14 months ago and the screen smashed', 'en', TODAY);
    expect(u).toMatchObject({ orderIds: ['DD20241220000002'], kinds: ['laptop'], problem: { kind: 'screen_damage', accidental: true } });
    expect(u.when!.min).toBeLessThanOrEqual(437);
    expect(u.when!.max).toBeGreaterThanOrEqual(437);
    expect(understand('Order DD20260301000001, new address: Flat 12, 221 Baker Street, London NW1 6XE.', 'en').address).toBe('Flat 12, 221 Baker Street, London NW1 6XE');
    expect(understand('I use about 45 GB of data', 'en').dataGb).toBe(45);
    expect(understand('Yes please, go ahead', 'en').affirm).toBe(true);
    expect(understand('No thanks, not now', 'en')).toMatchObject({ affirm: false, deny: true });
    expect(parseWhen('I bought it three weeks ago', 'en')).toEqual({ min: 17, max: 25 });
    expect(parseWhen('got it yesterday', 'en')).toEqual({ min: 1, max: 1 });
    expect(parseWhen('I bought it in February', 'en', TODAY)).toEqual({ min: 2, max: 29 });
  });
});

describe('conversation state', () => {
  it('keeps what every turn gave: the topic from turn 1, the order number from turn 2, the last agent offer', () => {
    const s = conversationState(
      [
        { role: 'customer', text: 'My phone screen cracked, I dropped it' },
        { role: 'agent', text: 'Which one is it?' },
        { role: 'customer', text: "It's DD20260209000001." },
      ],
      'en',
      TODAY,
    );
    expect(s).toMatchObject({ intent: 'screen_repair', orderIds: ['DD20260209000001'], kinds: ['phone'], problem: { kind: 'screen_damage', accidental: true }, firstReply: false });
    expect(s.lastAgent.askedWhich).toBe(true);
    const offer = conversationState([{ role: 'customer', text: '笔记本开不了机' }, { role: 'agent', text: '已过保修期，需要付费维修。需要为您预约付费维修吗？' }, { role: 'customer', text: '好的' }], 'zh', TODAY);
    expect(offer.lastAgent.offeredPaidRepair).toBe(true);
    expect(offer.latest.affirm).toBe(true);
    expect(offer.intent).toBe('warranty_claim');
  });

  it('reads logged tool results: order status, tracking, usage', () => {
    const s = conversationState(
      [
        { role: 'customer', text: '快递怎么还没到' },
        { role: 'tool', name: 'lookup_tracking', text: JSON.stringify({ order_id: 'DD1', tracking_no: 'SF1234567890123', carrier: 'SF Express', status: 'in_transit', estimated_delivery: '2026-03-04' }) },
      ],
      'zh',
      TODAY,
    );
    expect(s.logged.statuses).toEqual({ DD1: 'shipped' });
    expect(s.logged.tracking).toMatchObject({ tracking_no: 'SF1234567890123', estimated_delivery: '2026-03-04' });
  });
});
