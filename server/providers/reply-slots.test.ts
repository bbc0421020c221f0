import { describe, expect, it } from 'vitest';
import type { Purchase } from '../domain/dialogue.ts';
import { deidentifyReply, fillReply, findDates, formatMoney, productMentions, readMoney, splitSentences, templateText } from './reply-slots.ts';

const POLICY_ZH = '3.3 包裹延误：向客户账户补偿一张20元无门槛优惠券。4.1 月套餐：畅享59元套餐（30GB+300分钟）；畅享99元套餐（60GB+500分钟）。';
const POLICY_EN = '3.3 A late parcel: add a $5 voucher. 4.1 Monthly plans: Plus 30, $35 (30 GB, 300 minutes); Max 60, $55 (60 GB, 500 minutes).';

const LI: { name: string; purchases: Purchase[] } = {
  name: '李娜',
  purchases: [
    { product: 'Nova X5 Pro 手机 512GB', category: 'phone', purchased_at: '2025-07-31', warranty_months: 12, order_id: 'DD20250731123456', price: 5999 },
    { product: 'Pulse Buds 2 无线耳机', category: 'earbuds', purchased_at: '2026-01-05', warranty_months: 12, order_id: 'DD20260105654321', price: 599 },
  ],
};
const WANG: Purchase[] = [{ product: 'Aero 14 笔记本电脑', category: 'laptop', purchased_at: '2026-02-10', warranty_months: 24, order_id: 'DD20260210000777', price: 5499 }];

const SMITH: { name: string; purchases: Purchase[] } = {
  name: 'Sarah Smith',
  purchases: [{ product: 'Aero 14 laptop', category: 'laptop', purchased_at: '2024-03-23', warranty_months: 24, order_id: 'DD20240323111111', price: 749 }],
};
const JONES: Purchase[] = [{ product: 'Nova X5 phone (256 GB)', category: 'phone', purchased_at: '2026-03-17', warranty_months: 12, order_id: 'DD20260317222222', price: 549 }];

describe('splitSentences', () => {
  it('cuts Chinese at 。！？； and English at sentence ends, not at decimals, abbreviations or IPs, and loses nothing', () => {
    const zh = '查到您的订单已发货。预计明天送达！还有问题吗？';
    expect(splitSentences(zh)).toEqual(['查到您的订单已发货。', '预计明天送达！', '还有问题吗？']);
    const en = 'Mr. Smith paid $65.40 today. Open 192.168.31.1 and log in.\n1. Step one';
    expect(splitSentences(en)).toEqual(['Mr. Smith paid $65.40 today. ', 'Open 192.168.31.1 and log in.\n', '1. Step one']);
    expect(splitSentences('1. Log in.\n2. Open settings.')).toEqual(['1. Log in.\n', '2. Open settings.']);
    expect(splitSentences(en).join('')).toBe(en);
  });
});

describe('recognisers', () => {
  it('reads dates in Chinese, English and ISO styles, with and without a year', () => {
    expect(findDates('于2025年7月31日购买，预计8月2日送达').map((d) => [d.style, d.value])).toEqual([['zh-long', '2025-07-31'], ['zh-short', '--08-02']]);
    expect(findDates('bought on March 23, 2025 and due April 7, or 2026-01-14').map((d) => [d.style, d.value])).toEqual([['iso', '2026-01-14'], ['en-long', '2025-03-23'], ['en-short', '--04-07']]);
  });

  it('reads and writes amounts in the style they were written', () => {
    expect(readMoney('$1,299')).toMatchObject({ value: 1299, currency: '$' });
    expect(readMoney('6499元')).toMatchObject({ value: 6499, currency: '¥' });
    expect(formatMoney(5499, readMoney('$1,299')!.style)).toBe('$5,499');
    expect(formatMoney(549, readMoney('3999元')!.style)).toBe('549元');
    expect(formatMoney(8.5, readMoney('$12')!.style)).toBe('$8.50');
  });

  it('names a product by its full name, its name before a bracket and its numbered model, never by a bare series name', () => {
    expect(productMentions('Nova X5 Pro phone (512 GB)').map((m) => m.text)).toEqual(['Nova X5 Pro phone (512 GB)', 'Nova X5 Pro phone', 'Nova X5 Pro', 'Nova X5']);
    expect(productMentions('Pulse Buds 2 wireless earbuds').map((m) => m.text)).toEqual(['Pulse Buds 2 wireless earbuds', 'Pulse Buds 2']);
    expect(productMentions('畅享99元套餐（60GB+500分钟）').map((m) => m.text)).toEqual(['畅享99元套餐（60GB+500分钟）', '畅享99元套餐']);
    expect(productMentions('Vista 55" 4K TV').map((m) => m.text)).toContain('Vista 55');
  });
});

describe('de-identifying a Chinese reply', () => {
  const reply = '李女士您好。查询到您的Nova X5 Pro 手机 512GB于2025年7月31日购买，保修期12个月，目前在保修期内（保修至2026年7月30日）。屏幕可以免费维修。';

  it("turns the source customer's product, dates, warranty months and name into slots tied to that purchase", () => {
    const t = deidentifyReply(reply, { language: 'zh', record: LI });
    expect(templateText(t)).toBe('{name}您好。查询到您的{product#0}于{purchase_date#0}购买，保修期{warranty_months#0}个月，目前在保修期内（保修至{warranty_end#0}）。屏幕可以免费维修。');
    expect(t.purchase).toEqual({ category: 'phone', device: true });
    expect(JSON.stringify(t)).not.toMatch(/李|Nova|2025/);
  });

  it("fills the slots from the asker's own purchase and drops the sentence that names the source customer", () => {
    const t = deidentifyReply(reply, { language: 'zh', record: LI });
    expect(fillReply(t, { purchases: WANG, purchase: WANG[0]!, policy: POLICY_ZH })).toBe(
      '查询到您的Aero 14 笔记本电脑于2026年2月10日购买，保修期24个月，目前在保修期内（保修至2028年2月9日）。屏幕可以免费维修。',
    );
  });

  it('drops every sentence about a purchase when the asker has none to fill it from', () => {
    const t = deidentifyReply(reply, { language: 'zh', record: LI });
    expect(fillReply(t, { purchases: [], purchase: null, policy: POLICY_ZH })).toBe('屏幕可以免费维修。');
  });

  it('drops a parenthesis holding a tracking number, a sentence with a delivery date, and keeps policy amounts', () => {
    const t = deidentifyReply('您的订单DD20250731123456已发货（顺丰运单号SF1498185956899），无法直接取消。预计1月27日送达。已补偿一张20元无门槛优惠券。另付了80元。', { language: 'zh', record: LI });
    expect(templateText(t)).toBe('您的订单{order_id#0}已发货（顺丰运单号{tracking_number}），无法直接取消。预计{date}送达。已补偿一张{amount}无门槛优惠券。另付了{amount}。');
    expect(fillReply(t, { purchases: WANG, purchase: WANG[0]!, policy: POLICY_ZH })).toBe('您的订单DD20260210000777已发货，无法直接取消。已补偿一张20元无门槛优惠券。');
  });

  it('recognises ids, phone numbers, billing months, data volumes, addresses and placeholders with no record at all', () => {
    const t = deidentifyReply('核实到您3月的月租被重复扣取。近三个月平均每月用45.9GB，建议畅享99元套餐（60GB+500分钟）。已为您修改收货地址（浦东新区）。地址是上海市浦东新区张江路88号3号楼201室。请拨打13800138000或联系[PHONE]。', { language: 'zh' });
    expect(templateText(t)).toBe('核实到您{date}的月租被重复扣取。近三个月平均每月用{quantity}，建议畅享{amount}套餐（{quantity}+500分钟）。已为您修改收货地址（{address}）。{address}。请拨打{phone}或联系{placeholder}。');
    expect(fillReply(t, { purchases: [], purchase: null, policy: POLICY_ZH })).toBe('已为您修改收货地址。');
  });
});

describe('de-identifying an English reply', () => {
  const reply = "Hi Ms. Smith. Your Aero 14 laptop was purchased on March 23, 2024 with a 24-month warranty that ended on March 22, 2026, so it's out of warranty now. The repair quote is $179. We'll refund $749 to your card. Your order DD20240323111111 has already shipped (tracking SF2145626029114), so it can't be cancelled.";

  it('ties the product, dates, months, price and order id to the purchase, and marks the rest', () => {
    const t = deidentifyReply(reply, { language: 'en', record: SMITH });
    expect(templateText(t)).toBe(
      "Hi {name}. Your {product#0} was purchased on {purchase_date#0} with a {warranty_months#0}-month warranty that ended on {warranty_end#0}, so it's out of warranty now. The repair quote is {amount}. We'll refund {price#0} to your card. Your order {order_id#0} has already shipped (tracking {tracking_number}), so it can't be cancelled.",
    );
  });

  it("fills it for another customer: their phone, their dates and price, never the laptop they never bought", () => {
    const t = deidentifyReply(reply, { language: 'en', record: SMITH });
    const text = fillReply(t, { purchases: JONES, purchase: JONES[0]!, policy: POLICY_EN });
    expect(text).toBe(
      "Your Nova X5 phone (256 GB) was purchased on March 17, 2026 with a 12-month warranty that ended on March 16, 2027, so it's out of warranty now. We'll refund $549 to your card. Your order DD20260317222222 has already shipped, so it can't be cancelled.",
    );
    expect(text).not.toMatch(/Aero|Smith|2024|SF\d|\$179/);
  });

  it("keeps another product's name only when the policy names it or the asker owns it", () => {
    const t = deidentifyReply("I'd recommend Plus 30 at $35/month. The Aero 14 is a great laptop.", { language: 'en', knownProducts: ['Plus 30 mobile plan ($35/month, 30 GB)', 'Aero 14 laptop'] });
    expect(templateText(t)).toBe("I'd recommend {product} at {amount}/month. The {product} is a great laptop.");
    expect(fillReply(t, { purchases: JONES, purchase: null, policy: POLICY_EN })).toBe("I'd recommend Plus 30 at $35/month.");
    expect(fillReply(t, { purchases: SMITH.purchases, purchase: null, policy: POLICY_EN })).toBe("I'd recommend Plus 30 at $35/month. The Aero 14 is a great laptop.");
  });

  it('recognises order numbers, street addresses, cities in address changes, billing months and honorifics without a record', () => {
    const t = deidentifyReply('Please find order 370795561790 in your history. I changed the delivery address to 42 Baker Street in London. You were charged in November. Thanks, Mr. Lee!', { language: 'en' });
    expect(templateText(t)).toBe('Please find order {order_id} in your history. I changed the delivery address to {address} in {address}. You were charged {date}. Thanks, {name}!');
    expect(fillReply(t, { purchases: JONES, purchase: JONES[0]!, policy: POLICY_EN })).toBe('');
  });
});
