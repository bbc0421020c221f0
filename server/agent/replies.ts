// The agent's sentences in Chinese and English. Every fact in them comes from an argument (a tool
// result, the asking customer's own order, the policy); the wording follows the template's style:
// an empathy line for `empathetic`, a policy clause cited after each decision for `strict-policy`.
import type { Language } from '../domain/dialogue.ts';
import type { MobilePlanOffer, ServicePolicy } from '../tools/policy.ts';

export interface ReplyContext {
  lang: Language;
  /** The template's style (`empathetic`, `concise`, `strict-policy`, …). */
  style: string;
  policy: ServicePolicy;
}

const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026年3月2日 / March 2, 2026. */
export function dateText(iso: string, lang: Language): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return lang === 'zh' ? `${y}年${m}月${d}日` : `${EN_MONTHS[m - 1]} ${d}, ${y}`;
}

export function money(amount: number | null, lang: Language): string {
  if (amount === null) return '';
  const n = Number.isInteger(amount) ? String(amount) : amount.toFixed(2);
  return lang === 'zh' ? `${n}元` : `$${n.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
}

function cite(c: ReplyContext, clause: string): string {
  if (c.style !== 'strict-policy') return '';
  return c.lang === 'zh' ? ` [政策${clause}]` : ` [Policy ${clause}]`;
}

function empathy(c: ReplyContext, zh: string, en: string): string[] {
  return c.style === 'empathetic' ? [c.lang === 'zh' ? zh : en] : [];
}

const range = (r: { min: number; max: number }) => `${r.min}-${r.max}`;

export interface OrderRef {
  order_id: string;
  product: string;
  purchased_at: string;
}

// ---------- repairs ----------

export function repairInWarranty(
  c: ReplyContext,
  f: { product: string; purchased_at: string; expires_on: string; screen: boolean; accidental: boolean; ticket_id: string; existing: boolean; days: { min: number; max: number } },
): string[] {
  const zh = c.lang === 'zh';
  const screen = f.screen
    ? zh
      ? `所有设备都含碎屏保障，保修期内屏幕碎裂${f.accidental ? '即使是意外摔落所致，' : ''}也免费维修。`
      : `Screen Care is included with every device, so a cracked screen${f.accidental ? ', even from a drop,' : ''} is a free repair while it's under warranty.`
    : zh
      ? '这个故障属于保修范围，免费维修。'
      : 'This fault is covered, so it is a free repair.';
  return [
    ...(f.screen ? empathy(c, '屏幕碎了真的很让人心疼，别着急，我来帮您处理。', "I'm sorry about the cracked screen, that's really frustrating.") : empathy(c, '设备出了问题确实影响使用，我来帮您处理。', "I'm sorry your device is giving you trouble; let's get it sorted.")),
    zh
      ? `查询到您的${f.product}于${dateText(f.purchased_at, 'zh')}购买，目前仍在保修期内（保修至${dateText(f.expires_on, 'zh')}）。${cite(c, '1.1')}`
      : `Your ${f.product} was bought on ${dateText(f.purchased_at, 'en')}, so it is still under warranty (until ${dateText(f.expires_on, 'en')}).${cite(c, '1.1')}`,
    screen.replace(/[。.]$/, (p) => `${cite(c, '1.2')}${p}`),
    zh
      ? `我${f.existing ? '查到已经' : '已'}为您创建维修单${f.ticket_id}，您可以到任意门店维修，也可以申请免费寄修（往返运费由我们承担），一般${range(f.days)}个工作日完成。${cite(c, '1.5')}`
      : `I've ${f.existing ? 'found the' : 'opened'} repair ticket ${f.ticket_id}${f.existing ? ' already open for it' : ' for you'}: bring it to any store or use free mail-in (shipping paid both ways), and repairs usually take ${range(f.days)} business days.${cite(c, '1.5')}`,
  ];
}

export type PaidWhy = 'expired' | 'excluded' | 'accident_not_covered';

export function paidRepairOffer(
  c: ReplyContext,
  f: { product: string; purchased_at: string; expires_on: string | null; why: PaidWhy; issue: string; freeDiagnosis: boolean },
): string[] {
  const zh = c.lang === 'zh';
  const status =
    f.why === 'expired'
      ? zh
        ? `查询到您的${f.product}于${dateText(f.purchased_at, 'zh')}购买，保修已于${dateText(f.expires_on!, 'zh')}到期，目前已过保修期，维修需要付费。${cite(c, '1.4')}`
        : `Your ${f.product} was bought on ${dateText(f.purchased_at, 'en')} and its warranty ended on ${dateText(f.expires_on!, 'en')}, so it is out of warranty and the repair is a paid repair.${cite(c, '1.4')}`
      : zh
        ? `您的${f.product}${f.expires_on ? `仍在保修期内（保修至${dateText(f.expires_on, 'zh')}）` : ''}，但${f.why === 'accident_not_covered' ? '意外损坏不在保修范围内' : '这种情况（如进水、私自拆修、丢失或外观磨损）即使在保修期内也不保修'}，需要付费维修。${cite(c, '1.3')}`
        : `Your ${f.product} is ${f.expires_on ? `under warranty until ${dateText(f.expires_on, 'en')}` : 'on record'}, but ${f.why === 'accident_not_covered' ? 'accidental damage is not covered' : 'this kind of damage (liquid, a device opened elsewhere, loss or cosmetic wear) is not covered even in warranty'}, so it would be a paid repair.${cite(c, '1.3')}`;
  return [
    ...empathy(c, '理解您现在着急用，我尽量帮您把维修安排好。', "I understand how annoying this is, and I'll help you get it fixed."),
    status,
    zh
      ? `${f.freeDiagnosis ? '检测免费，' : ''}检测后会先告知维修报价（含原厂配件和工时），您确认后才开始维修。需要为您预约付费维修吗？`
      : `${f.freeDiagnosis ? 'Diagnosis is free, and ' : ''}we give you the repair quote (genuine parts and labour included) before any work starts. Shall I book the paid repair for you?`,
  ];
}

export function paidRepairBooked(c: ReplyContext, f: { product: string; ticket_id: string; days: { min: number; max: number } }): string[] {
  return c.lang === 'zh'
    ? [`好的，已为您的${f.product}创建付费维修单${f.ticket_id}。检测免费，检测后先告知维修报价，您确认后再维修，一般${range(f.days)}个工作日完成。${cite(c, '1.4')}`]
    : [`Done: paid repair ticket ${f.ticket_id} is open for your ${f.product}. Diagnosis is free, you'll get the repair quote before any work starts, and it usually takes ${range(f.days)} business days.${cite(c, '1.4')}`];
}

export function repairDeclined(c: ReplyContext): string[] {
  return c.lang === 'zh' ? ['好的，那就先不预约维修，之后需要的话随时联系我们。'] : ["No problem, I won't book anything for now. Just get in touch whenever you'd like the repair."];
}

// ---------- choosing an order ----------

const KIND_NAMES: Record<string, Record<Language, string>> = {
  phone: { zh: '手机', en: 'phone' },
  laptop: { zh: '笔记本电脑', en: 'laptop' },
  tablet: { zh: '平板', en: 'tablet' },
  watch: { zh: '手表', en: 'watch' },
  earbuds: { zh: '耳机', en: 'earbuds' },
  tv: { zh: '电视', en: 'TV' },
  router: { zh: '路由器', en: 'router' },
  mobile_plan: { zh: '套餐', en: 'mobile plan' },
};

export function kindName(kind: string | null, lang: Language): string {
  return kind === null ? (lang === 'zh' ? '商品' : 'item') : KIND_NAMES[kind]?.[lang] ?? kind;
}

export function askWhichOrder(c: ReplyContext, options: readonly OrderRef[]): string[] {
  const zh = c.lang === 'zh';
  const list = options.map((o) => (zh ? `${o.product}（${dateText(o.purchased_at, 'zh')}购买，订单号${o.order_id}）` : `the ${o.product} (bought ${dateText(o.purchased_at, 'en')}, order ${o.order_id})`));
  return zh
    ? [`我看到您的账户里有${options.length}笔可能相关的订单：${list.join('；')}。请问是哪一笔呢？`]
    : [`I can see ${options.length} orders this could be about: ${list.join('; ')}. Which one is it?`];
}

export function noMatchingOrder(c: ReplyContext, kind: string | null): string[] {
  const noun = kindName(kind, c.lang);
  return c.lang === 'zh'
    ? [`我在您的账户里没有找到${noun}的购买记录。麻烦提供一下订单号，我帮您核实。`]
    : [`I can't find a ${noun} purchase on your account. Could you give me the order number so I can check?`];
}

export function unknownOrderNumber(c: ReplyContext, orderId: string): string[] {
  return c.lang === 'zh'
    ? [`我在您的账户里没有查到订单号${orderId}。麻烦再核对一下订单号，或者告诉我是哪件商品、大概什么时候买的。`]
    : [`I can't find order ${orderId} on your account. Could you check the number, or tell me which product it is and roughly when you bought it?`];
}

// ---------- returns, cancellations, addresses ----------

export function returnAccepted(c: ReplyContext, f: { order: OrderRef; kind: 'no_reason_return' | 'defect_refund'; return_id: string; amount: number | null; days: { min: number; max: number }; windows: ServicePolicy['returns'] }): string[] {
  const zh = c.lang === 'zh';
  const amount = money(f.amount, c.lang);
  if (f.kind === 'no_reason_return') {
    return zh
      ? [`您的订单${f.order.order_id}（${f.order.product}）于${dateText(f.order.purchased_at, 'zh')}购买，在${f.windows.no_reason_days}天内，支持${f.windows.no_reason_days}天无理由退货。${cite(c, '2.1')}`, `我已为您提交退货申请${f.return_id}，请保持商品、配件和包装齐全，快递免费上门取件，我们收到退货后${range(f.days)}个工作日内将${amount || '货款'}原路退回。`]
      : [`Your order ${f.order.order_id} (${f.order.product}) was bought on ${dateText(f.order.purchased_at, 'en')}, within our ${f.windows.no_reason_days}-day no-reason return window.${cite(c, '2.1')}`, `I've opened return ${f.return_id}: keep the item, accessories and box complete, pickup is free, and ${amount || 'the refund'} goes back to your original payment method within ${range(f.days)} business days of the item reaching us.`];
  }
  return [
    ...empathy(c, '刚买的东西就出问题，真的很抱歉。', "I'm sorry it's faulty so soon after you bought it."),
    ...(zh
      ? [`您的${f.order.product}于${dateText(f.order.purchased_at, 'zh')}购买，在${f.windows.defect_days}天内，出现质量问题经检测确认后，可以全额退款或换新，由您选择。${cite(c, '2.2')}`, `我已为您提交退货申请${f.return_id}，快递免费上门取件，检测确认故障后全额退款${amount}，原路退回。`]
      : [`Your ${f.order.product} was bought on ${dateText(f.order.purchased_at, 'en')}, within ${f.windows.defect_days} days, so for a defect you can have a full refund or a replacement, as you prefer, once our check confirms the fault.${cite(c, '2.2')}`, `I've opened return ${f.return_id} with free pickup; once the fault is confirmed, the full ${amount || 'amount'} is refunded to your original payment method.`]),
  ];
}

export function returnRefused(c: ReplyContext, f: { order: OrderRef; days: number; reason: 'changed_mind' | 'defect'; inWarranty: boolean; windows: ServicePolicy['returns'] }): string[] {
  const zh = c.lang === 'zh';
  const defectStillPossible = f.reason === 'changed_mind' && f.days <= f.windows.defect_days;
  const out = zh
    ? [`您的${f.order.product}于${dateText(f.order.purchased_at, 'zh')}购买，已经${f.days}天，${defectStillPossible ? `超过了${f.windows.no_reason_days}天无理由退货期限，很抱歉无法办理无理由退款。` : `超过了${f.windows.no_reason_days}天无理由退货和${f.windows.defect_days}天质量问题退换期限，很抱歉无法办理退款。`}${cite(c, defectStillPossible ? '2.1' : '2.3')}`]
    : [`Your ${f.order.product} was bought on ${dateText(f.order.purchased_at, 'en')}, ${f.days} days ago, which is past ${defectStillPossible ? `the ${f.windows.no_reason_days}-day no-reason return window, so I'm afraid it's not eligible for a no-reason refund` : `both the ${f.windows.no_reason_days}-day no-reason return window and the ${f.windows.defect_days}-day defect period, so I'm afraid it's not eligible for a refund`}.${cite(c, defectStillPossible ? '2.1' : '2.3')}`];
  if (defectStillPossible) out.push(zh ? `如果商品有质量问题，${f.windows.defect_days}天内经检测确认后可以退款或换新。` : `If it's faulty, a refund or replacement is still possible within ${f.windows.defect_days} days once our check confirms the fault.`);
  else if (f.inWarranty) out.push(zh ? '设备仍在保修期内，如有故障可以为您免费维修。' : "It's still under warranty, though, so any fault is a free repair.");
  return out;
}

export function cancelled(c: ReplyContext, f: { order: OrderRef; amount: number | null; days: { min: number; max: number } }): string[] {
  return c.lang === 'zh'
    ? [`您的订单${f.order.order_id}还没有发货，已为您取消，${money(f.amount, 'zh') || '货款'}将在${range(f.days)}个工作日内原路退回。${cite(c, '3.1')}`]
    : [`Your order ${f.order.order_id} hadn't shipped yet, so I've cancelled it, and ${money(f.amount, 'en') || 'the payment'} goes back to your original payment method within ${range(f.days)} business days.${cite(c, '3.1')}`];
}

export function cancelRefusedShipped(c: ReplyContext, f: { order: OrderRef; days: { min: number; max: number }; noReasonDays: number }): string[] {
  return c.lang === 'zh'
    ? [`您的订单${f.order.order_id}已发货，无法直接取消。${cite(c, '3.1')}`, `您可以在派送时拒收，包裹退回仓库后${range(f.days)}个工作日内全额退款；也可以签收后申请${f.noReasonDays}天无理由退货。`]
    : [`Your order ${f.order.order_id} has already shipped, so it can't be cancelled.${cite(c, '3.1')}`, `You can refuse the delivery when it arrives (a full refund within ${range(f.days)} business days once it's back in our warehouse), or accept it and use the ${f.noReasonDays}-day return.`];
}

export function addressChanged(c: ReplyContext, f: { order: OrderRef; address: string }): string[] {
  return c.lang === 'zh'
    ? [`您的订单${f.order.order_id}还未发货，已为您修改收货地址为：${f.address}。${cite(c, '3.2')}`]
    : [`Your order ${f.order.order_id} hasn't shipped yet, so I've updated the delivery address to: ${f.address}.${cite(c, '3.2')}`];
}

export function addressRefusedShipped(c: ReplyContext, f: { order: OrderRef; extraDays: number }): string[] {
  return c.lang === 'zh'
    ? [`您的订单${f.order.order_id}已经发货，系统里无法直接修改地址。${cite(c, '3.2')}`, `已发货的包裹需要快递改派到新地址，一般会晚${f.extraDays}天左右送达，改派成功后会短信通知您。`]
    : [`Your order ${f.order.order_id} has already shipped, so the address can't be changed here.${cite(c, '3.2')}`, `A shipped parcel has to be redirected by the courier, which adds about ${f.extraDays} day${f.extraDays === 1 ? '' : 's'}, and you get a text message once it's confirmed.`];
}

export function askAddress(c: ReplyContext, order: OrderRef | null): string[] {
  return c.lang === 'zh'
    ? [order ? `好的，请问订单${order.order_id}要改成什么收货地址呢？` : '好的，请提供一下订单号和新的收货地址。']
    : [order ? `Sure, what's the new delivery address for order ${order.order_id}?` : 'Sure, could you send me the order number and the new address?'];
}

// ---------- delivery ----------

export function trackingAnswer(c: ReplyContext, f: { order_id: string | null; tracking_no: string; carrier: string | null; estimated_delivery: string | null }): string[] {
  const zh = c.lang === 'zh';
  return [
    zh ? '让您久等了，真的很抱歉。' : "I'm sorry your parcel is taking so long.",
    zh
      ? `您的${f.order_id ? `订单${f.order_id}` : '包裹'}${f.carrier ? `由${f.carrier}承运，` : ''}运单号${f.tracking_no}${f.estimated_delivery ? `，最新预计${dateText(f.estimated_delivery, 'zh')}送达` : ''}。${cite(c, '3.3')}`
      : `Your ${f.order_id ? `order ${f.order_id}` : 'parcel'} is ${f.carrier ? `with ${f.carrier}, ` : ''}tracking number ${f.tracking_no}${f.estimated_delivery ? `, and the latest estimate is ${dateText(f.estimated_delivery, 'en')}` : ''}.${cite(c, '3.3')}`,
  ];
}

// ---------- plans ----------

export function planRecommendation(c: ReplyContext, f: { dataGb: number; plan: MobilePlanOffer; current: string | null; effective_from: string }): string[] {
  const zh = c.lang === 'zh';
  const p = f.plan;
  return zh
    ? [
        `按您每月约${f.dataGb}GB的流量，推荐${p.name.zh}：${p.fee.zh}/月，含${p.data_gb}GB流量和${p.minutes}分钟通话，能覆盖您的用量并留有余量。${cite(c, '4.1')}`,
        f.current ? `您目前是${f.current}，变更后从${dateText(f.effective_from, 'zh')}起生效。` : '办理新号码需要实名认证，可以在App上传身份证并完成人脸识别，也可以到门店办理。',
      ]
    : [
        `For about ${f.dataGb} GB a month I'd recommend ${p.name.en}: ${p.fee.en}/month with ${p.data_gb} GB of data and ${p.minutes} minutes, which covers your use with room to spare.${cite(c, '4.1')}`,
        f.current ? `You're currently on ${f.current}; the change takes effect on ${dateText(f.effective_from, 'en')}.` : 'A new line needs identity verification, in the app (ID upload and a face check) or in any store.',
      ];
}

export function askUsage(c: ReplyContext): string[] {
  return c.lang === 'zh' ? ['为了推荐合适的套餐，请问您每个月大概用多少GB流量？'] : ['To find the right plan, roughly how many GB of data do you use a month?'];
}

// ---------- not understood, hand-offs ----------

export function askWhat(c: ReplyContext): string[] {
  return c.lang === 'zh' ? ['请问具体是什么问题呢？麻烦说一下是哪件商品或哪笔订单、遇到了什么情况，我马上帮您查。'] : ["Could you tell me a bit more about what's happened, and which product or order it's about? Then I can look into it right away."];
}

/** The note a colleague gets with the transfer, in the conversation's language. */
export function transferSummary(lang: Language, f: { intent: string | null; reason: string; orderId: string | null; done: readonly string[]; latest: string }): string {
  const said = f.latest.length > 160 ? `${f.latest.slice(0, 160)}…` : f.latest;
  return lang === 'zh'
    ? `转人工原因：${f.reason}；诉求：${f.intent ?? '未识别'}${f.orderId ? `；订单${f.orderId}` : ''}${f.done.length ? `；已完成：${f.done.join('、')}` : ''}；客户原话：“${said}”`
    : `Handoff: ${f.reason}; request: ${f.intent ?? 'not understood'}${f.orderId ? `; order ${f.orderId}` : ''}${f.done.length ? `; done: ${f.done.join(', ')}` : ''}; customer said: "${said}"`;
}
