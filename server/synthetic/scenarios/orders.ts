// Order scenarios: refund_request (7-day / 30-day windows), delivery_delay, cancel_order, change_address.
import { ADDRESSES, DELAY_REASONS, FAULTS, HUBS, PRODUCTS, type Product } from '../catalog.ts';
import { ago, askOrder, dateText, money, orderDetails } from '../phrases.ts';
import { weighted, type Rng } from '../rng.ts';
import type { Answer, BuildContext, EpisodePlan, ScenarioDef, ScenarioScript } from '../scenario.ts';
import { isoDate } from '../time.ts';
import { orderLookup, requirePurchase } from './common.ts';

function planOrder(rng: Rng, variant: string, minDays: number, maxDays: number, products: readonly Product[] = PRODUCTS): EpisodePlan {
  const product = rng.pick(products);
  return { variant, need: { kind: 'device', product, daysBefore: rng.int(minDays, maxDays), warrantyMonths: rng.pick(product.warranty) } };
}

/** An SF Express waybill number: SF and 13 digits. */
export function trackingNumber(rng: Rng): string {
  return 'SF' + rng.int(1, 4) + rng.digits(12);
}

function parts(ctx: BuildContext) {
  const p = requirePurchase(ctx);
  const product = p.product as Product;
  return {
    p,
    product,
    model: product.model,
    noun: ctx.zh ? product.zhNoun : product.enNoun,
    price: money(p.price, ctx.zh),
    date: dateText(p.day, ctx.zh),
  };
}

// ---------- refund_request ----------

function refundScript(ctx: BuildContext): ScenarioScript {
  const { rng, zh, variant } = ctx;
  const { p, product, model, noun, price, date } = parts(ctx);
  const days = ctx.day - p.day;
  const when = ago(days, zh);
  const fault = ctx.caseRng.pick(FAULTS[product.category]);
  const symptom = zh ? fault.zh : fault.en;
  const defect = variant === 'defect' || (variant === 'outside' && ctx.caseRng.chance(0.5));
  let opener: string;
  let answer: Answer;
  let scenario: string;
  if (variant === 'no_reason') {
    scenario = 'refund_within_7_days';
    opener = zh
      ? rng.pick([`${when}买的${model}，用着感觉不太合适，想退货`, `${model}收到${days}天了，还没怎么用，能退吗？`, `买了${model}有点后悔，想申请退款`])
      : rng.pick([`I bought the ${model} ${when} and it's not really for me, I'd like to return it`, `I got the ${model} ${days} days ago and have barely used it. Can I return it?`, `I regret buying the ${model} and want a refund`]);
    answer = zh
      ? refundAnswer(rng, ['7天无理由退货', '原路退回'],
        `您的订单${p.orderId}于${date}购买，未超过7天，支持7天无理由退货。请保持商品、配件和包装完好，在订单页点击“申请退货”，快递免费上门取件，我们收到退货后1-3个工作日内将${price}原路退回。`,
        `可以的，${model}还在7天内，符合7天无理由退货。您在App订单详情里申请退货就行，上门取件免运费，仓库签收后${price}会原路退回。`,
        '可以7天无理由退货，订单页申请，钱原路退回。',
        '不好意思，商品拆封后就不支持无理由退货了。',
        '买之前不想清楚，现在又要退，自己去订单页弄吧。')
      : refundAnswer(rng, ['7-day no-reason return', 'original payment method'],
        `Your order ${p.orderId} was placed on ${date}, which is within our 7-day no-reason return window, so you can return it. Keep the item, accessories and box intact and tap 'Return item' on the order page: pickup is free, and we'll refund ${price} to your original payment method within 1-3 business days of receiving it.`,
        `Yes, the ${model} is still inside the 7-day no-reason return window. Request a return from the order page and we'll collect it for free; once it's back, ${price} goes to your original payment method.`,
        '7-day no-reason return applies. Request it on the order page, refund to original payment method.',
        "Sorry, opened items can't be returned without a reason.",
        'Maybe think before you buy next time. The return button is on the order page.');
  } else if (variant === 'defect') {
    scenario = 'refund_defect_within_30_days';
    opener = zh
      ? rng.pick([`${model}买了才${days}天就出问题了，${symptom}，我要退货退款`, `刚买的${model}${symptom}，不想修了，直接退款吧`])
      : rng.pick([`I've only had the ${model} for ${days} days and ${symptom}. I want a refund`, `the ${model} I just bought is faulty, ${symptom}. I'd rather have my money back than a repair`]);
    answer = zh
      ? refundAnswer(rng, ['30天', '质量问题', '退款'],
        `您的${model}于${date}购买，未满30天，您反馈的问题属于质量问题，可以为您办理退货退款，也可以直接换新。我已为您提交退货申请，检测确认后全额退款${price}。`,
        `您的${model}是${date}买的，还在30天质量问题退换期内。这种情况属于质量问题，可以退款也可以换新，我这边已经帮您发起申请，寄回检测后${price}全额退款。`,
        '30天内质量问题可以退款，提交申请吧。',
        '过了7天就只能维修，不能退款了。',
        '你确定不是自己弄坏的？先寄回来检测再说。')
      : refundAnswer(rng, ['within 30 days', 'defect', 'refund'],
        `Your ${model} was purchased on ${date}, within 30 days, and the fault you describe counts as a defect, so you can have a full refund or a replacement. I've opened the return for you; once our check confirms the fault we'll refund the full ${price}.`,
        `Since you bought the ${model} on ${date}, you're within 30 days, and this is a defect, so you're entitled to a refund or a replacement. I've started the return; after the check we'll refund ${price} in full.`,
        'Defect within 30 days, so a refund is possible. Submit a return.',
        'After 7 days we can only repair it, not refund it.',
        "Are you sure you didn't break it? Send it in and we'll see.");
  } else {
    scenario = 'refund_outside_window';
    opener = defect
      ? zh ? `${when}买的${model}，${symptom}，我想退款` : `the ${model} I bought ${when} is faulty, ${symptom}. I want a refund`
      : zh
        ? rng.pick([`${when}买的${model}，现在用不上了，能退款吗？`, `我想把${when}买的${noun}退了`])
        : rng.pick([`I bought the ${model} ${when} and don't need it any more. Can I get a refund?`, `I'd like to return the ${noun} I bought ${when}`]);
    answer = zh
      ? refundAnswer(rng, ['无法办理退款', '保修期内'],
        `您的${model}于${date}购买，已经超过7天无理由退货和30天质量问题退换期限，很抱歉无法办理退款。` +
          (defect ? '不过设备仍在保修期内，这个问题可以为您免费维修。' : '如果后续使用中出现故障，在保修期内可以为您免费维修。'),
        `查了一下，${model}是${date}买的，已超过退货期限，所以无法办理退款。设备还在保修期内，有故障的话可以免费维修。`,
        '超过退货期了，无法办理退款。',
        '可以的，已经为您申请退款了，3天内到账。',
        '都用了这么久了还想退？不可能。')
      : refundAnswer(rng, ['not eligible for a refund', 'under warranty'],
        `Your ${model} was purchased on ${date}, which is past both the 7-day no-reason return window and the 30-day defect return period, so unfortunately it is not eligible for a refund. ` +
          (defect ? 'It is still under warranty, though, so we can fix this fault as a free repair.' : "If anything goes wrong with it, it is under warranty and we'll repair it for free."),
        `I checked, and the ${model} was bought on ${date}, so it's outside the return period and not eligible for a refund. It's still under warranty, so any fault will be repaired free of charge.`,
        "It's past the return period. Not eligible for a refund.",
        "Sure, I've processed a refund for you. It'll arrive within 3 days.",
        "You've had it for months. No refunds, obviously.");
  }
  return {
    scenario,
    opener,
    ask: askOrder(rng, zh),
    details: orderDetails(rng, zh, p.orderId),
    pii: 'refund',
    clarify: zh
      ? ['请问商品的包装和配件都还在吗？', rng.pick(['都在，盒子也留着', '包装盒还在，配件都没动过', '盒子扔了，配件都在'])]
      : ['Do you still have the box and all the accessories?', rng.pick(['Yes, everything is still in the box.', "I have the box, and the accessories haven't been used.", 'I threw the box away but have all the accessories.'])],
    tool: orderLookup(p, { status: 'delivered', days_since_purchase: ctx.episodeDay - p.day }),
    answer,
    resolvable: true,
    meta: { order_id: p.orderId },
  };
}

function refundAnswer(rng: Rng, facts: readonly string[], reference: string, alt: string, curt: string, wrong: string, rude: string): Answer {
  return { reference, good: rng.chance(0.5) ? reference : alt, facts, curt, wrong, rude };
}

export const refundRequest: ScenarioDef = {
  intent: 'refund_request',
  emotions: weighted([['calm', 50], ['frustrated', 35], ['angry', 15]]),
  plan(rng) {
    const r = rng.next();
    if (r < 0.4) return planOrder(rng, 'no_reason', 1, 6);
    if (r < 0.7) return planOrder(rng, 'defect', 8, 28);
    return planOrder(rng, 'outside', 35, 150);
  },
  build: refundScript,
};

// ---------- delivery_delay ----------

export const deliveryDelay: ScenarioDef = {
  intent: 'delivery_delay',
  emotions: weighted([['calm', 40], ['frustrated', 45], ['angry', 15]]),
  plan: (rng) => planOrder(rng, rng.pick(['weather', 'backlog', 'depot']), 3, 9),
  build(ctx) {
    const { rng, zh, variant } = ctx;
    const { p, model, noun } = parts(ctx);
    const days = ctx.day - p.day;
    const tracking = trackingNumber(ctx.caseRng);
    const reasonEntry = DELAY_REASONS[variant === 'weather' ? 0 : variant === 'backlog' ? 1 : 2];
    const reason = zh ? reasonEntry.zh : reasonEntry.en;
    const hubEntry = ctx.caseRng.pick(HUBS);
    const hub = zh ? hubEntry.zh : hubEntry.en;
    const etaDay = ctx.day + rng.int(1, 3);
    const eta = dateText(etaDay, zh, true);
    const opener = zh
      ? rng.pick([`我${ago(days, zh)}下的单，${model}到现在还没收到`, `订单${p.orderId}说好两天到，现在都${days}天了还没到`, `物流信息两天没更新了，${noun}到底什么时候能到？`])
      : rng.pick([`I ordered the ${model} ${ago(days, zh)} and it still hasn't arrived`, `my order ${p.orderId} was supposed to arrive in two days and it's been ${days} days`, `the tracking hasn't updated in two days. When will my ${noun} arrive?`]);
    const reference = zh
      ? `查到您的订单${p.orderId}由顺丰速运承运，运单号${tracking}，因${reason}目前滞留在${hub}转运中心，预计${eta}送达。我已为您催促加急派送，并补偿了一张20元无门槛优惠券到您的账户。`
      : `Your order ${p.orderId} is with SF Express, tracking number ${tracking}. Because of ${reason} it has been held at the ${hub} hub, and the new estimated delivery date is ${eta}. I've asked the courier to prioritise it and added a $5 voucher to your account.`;
    const answer: Answer = zh
      ? {
        reference, facts: [tracking, eta],
        good: rng.pick([reference, `您的包裹运单号是${tracking}，顺丰显示因${reason}在${hub}转运中心耽搁了，最新预计${eta}送达，我这边已经帮您催件了。`]),
        curt: `运单号${tracking}，预计${eta}到。`,
        wrong: '系统显示您的包裹已经签收了，您再找找看，可能在快递柜。',
        rude: '快递慢又不是我们的问题，你自己去问顺丰吧。',
      }
      : {
        reference, facts: [tracking, eta],
        good: rng.pick([reference, `Your parcel's tracking number is ${tracking}. SF Express shows it was delayed at the ${hub} hub by ${reason}; it should now arrive by ${eta}, and I've chased the courier for you.`]),
        curt: `Tracking ${tracking}, ETA ${eta}.`,
        wrong: 'It shows as delivered. Maybe check with your neighbours or the parcel locker.',
        rude: 'Couriers are slow, not our fault. Take it up with SF Express.',
      };
    return {
      scenario: `delivery_delay_${variant}`,
      opener,
      ask: askOrder(rng, zh),
      details: orderDetails(rng, zh, p.orderId),
      pii: 'order',
      tool: {
        name: 'lookup_tracking',
        payload: { order_id: p.orderId, tracking_no: tracking, carrier: 'SF Express', status: 'in_transit', last_scan: `${hubEntry.en} hub`, last_scan_date: isoDate(ctx.day - 2), estimated_delivery: isoDate(etaDay) },
      },
      answer,
      apologise: true,
      resolvable: true,
      meta: { order_id: p.orderId, tracking_no: tracking },
    };
  },
};

// ---------- cancel_order ----------

export const cancelOrder: ScenarioDef = {
  intent: 'cancel_order',
  emotions: weighted([['calm', 65], ['frustrated', 28], ['angry', 7]]),
  plan: (rng) => (rng.chance(0.55) ? planOrder(rng, 'unshipped', 0, 1) : planOrder(rng, 'shipped', 1, 2)),
  build(ctx) {
    const { rng, zh, variant } = ctx;
    const { p, model, price } = parts(ctx);
    const shipped = variant === 'shipped';
    const tracking = trackingNumber(ctx.caseRng);
    const opener = zh
      ? rng.pick([`订单${p.orderId}我不想要了，帮我取消一下`, `刚下单的${model}能取消吗？买错型号了`, `${model}拍重复了，帮我取消一个订单`])
      : rng.pick([`please cancel my order ${p.orderId}, I don't want it any more`, `can I cancel the ${model} I just ordered? I picked the wrong model`, `I accidentally ordered the ${model} twice, please cancel one`]);
    let answer: Answer;
    if (!shipped) {
      const reference = zh
        ? `您的订单${p.orderId}还没有发货，已为您取消订单，${price}将在1-3个工作日内原路退回。`
        : `Your order ${p.orderId} hasn't shipped yet, so I've cancelled it for you. The ${price} will go back to your original payment method within 1-3 business days.`;
      answer = zh
        ? { reference, facts: ['已为您取消', '原路退回'], good: rng.pick([reference, `查到订单${p.orderId}还在仓库未发出，我这边已为您取消，货款${price}会在1-3个工作日原路退回您的支付账户。`]), curt: '已为您取消，钱原路退回。', wrong: '订单一旦支付就不能取消了，您收到货后再申请退货吧。', rude: '下单前不看清楚？自己在订单页点取消。' }
        : { reference, facts: ['cancelled', 'original payment method'], good: rng.pick([reference, `Good news: order ${p.orderId} was still in the warehouse, so I've cancelled it. You'll get ${price} back to your original payment method in 1-3 business days.`]), curt: 'Cancelled. Refund goes to your original payment method.', wrong: "Orders can't be cancelled once paid. Return it after it arrives.", rude: 'Should have checked before ordering. Cancel it yourself on the order page.' };
    } else {
      const reference = zh
        ? `您的订单${p.orderId}已发货（顺丰运单号${tracking}），无法直接取消。您可以在快递派送时直接拒收，包裹退回仓库后1-3个工作日内为您全额退款；也可以签收后申请7天无理由退货。`
        : `Your order ${p.orderId} has already shipped (SF Express tracking ${tracking}), so it can't be cancelled directly. You can refuse the delivery when the courier arrives, and once it's back in our warehouse we'll issue a full refund within 1-3 business days; or accept it and use the 7-day return.`;
      answer = zh
        ? { reference, facts: ['已发货', '拒收'], good: rng.pick([reference, `订单${p.orderId}已发货了，系统没法直接取消。建议您在快递员派送时拒收，包裹退回后全额退款，或者收货后走7天无理由退货。`]), curt: '已发货，取消不了，到时候拒收吧。', wrong: '好的，已经为您取消成功了，钱会原路退回。', rude: '都发货了还取消什么，自己拒收去。' }
        : { reference, facts: ['already shipped', 'refuse the delivery'], good: rng.pick([reference, `Order ${p.orderId} has already shipped, so I can't cancel it in the system. The easiest way is to refuse the delivery when the courier comes; we'll refund you in full once it's returned.`]), curt: "Already shipped, can't cancel. Refuse the delivery.", wrong: "No problem, I've cancelled it and your refund is on its way.", rude: "It's already shipped. Refuse it or whatever." };
    }
    return {
      scenario: shipped ? 'cancel_after_shipping' : 'cancel_before_shipping',
      opener,
      ask: askOrder(rng, zh),
      details: orderDetails(rng, zh, p.orderId),
      pii: 'refund',
      tool: orderLookup(p, shipped ? { status: 'shipped', tracking_no: tracking } : { status: 'paid_not_shipped' }),
      answer,
      resolvable: true,
      meta: shipped ? { order_id: p.orderId, tracking_no: tracking } : { order_id: p.orderId },
    };
  },
};

// ---------- change_address ----------

export const changeAddress: ScenarioDef = {
  intent: 'change_address',
  emotions: weighted([['calm', 70], ['frustrated', 25], ['angry', 5]]),
  plan: (rng) => (rng.chance(0.55) ? planOrder(rng, 'unshipped', 0, 1) : planOrder(rng, 'shipped', 1, 2)),
  build(ctx) {
    const { rng, zh, variant } = ctx;
    const { p, model } = parts(ctx);
    const shipped = variant === 'shipped';
    const tracking = trackingNumber(ctx.caseRng);
    const place = ctx.caseRng.pick(zh ? ADDRESSES.zh : ADDRESSES.en);
    const address = place.street(ctx.caseRng.int(1, 999), ctx.caseRng.int(101, 2808));
    const district = place.district;
    const eta = dateText(ctx.day + rng.int(1, 3), zh, true);
    const opener = zh
      ? rng.pick([`订单${p.orderId}的收货地址填错了，想改一下`, '能帮我改一下收货地址吗？我搬家了', `刚买的${model}地址写成公司了，想改成家里`])
      : rng.pick([`I put the wrong delivery address on order ${p.orderId}, can I change it?`, "can you update my delivery address? I've just moved", `I sent the ${model} to my office by mistake, I need it delivered home`]);
    let answer: Answer;
    if (!shipped) {
      const reference = zh
        ? `您的订单${p.orderId}还未发货，已为您修改收货地址（${district}），收件人和电话不变，预计${eta}送达。`
        : `Your order ${p.orderId} hasn't shipped yet, so I've updated the delivery address to your new one in ${district}. The recipient and phone number stay the same, and it should arrive by ${eta}.`;
      answer = zh
        ? { reference, facts: ['已为您修改', district], good: rng.pick([reference, `好的，订单${p.orderId}还没出库，收货地址已为您修改为${district}的新地址，其他信息不变，预计${eta}送到。`]), curt: '已为您修改。', wrong: '地址提交后就改不了了，您只能取消重新下单。', rude: '下单的时候不检查一下？改好了。' }
        : { reference, facts: ['updated the delivery address', district], good: rng.pick([reference, `Done: order ${p.orderId} hadn't left the warehouse, so I've updated the delivery address to the new one in ${district}. Expected delivery is ${eta}.`]), curt: "I've updated the delivery address.", wrong: "Addresses can't be changed after ordering. Cancel and reorder.", rude: 'You should check before you order. Fine, updated.' };
    } else {
      const reference = zh
        ? `您的订单${p.orderId}已经发货了（运单号${tracking}），我已联系顺丰为您申请改派到新地址，改派一般会延迟1天左右，改派成功后会短信通知您。`
        : `Your order ${p.orderId} has already shipped (tracking ${tracking}), so I've asked SF Express to redirect it to your new address. Redirection usually adds about a day, and you'll get a text message once it's confirmed.`;
      answer = zh
        ? { reference, facts: ['已经发货', '改派'], good: rng.pick([reference, `订单${p.orderId}已经发货了，没办法在系统里直接改地址。我已经帮您向顺丰提交了改派申请，运单号${tracking}，大概会晚1天送到新地址。`]), curt: '已经发货了，系统改不了，自己联系快递改派。', wrong: '好的，已经帮您改好了，直接送到新地址。', rude: '都发货了，找快递去，别找我们。' }
        : { reference, facts: ['already shipped', 'redirect'], good: rng.pick([reference, `Order ${p.orderId} has already shipped, so the address can't be edited directly. I've asked SF Express to redirect it (tracking ${tracking}); it may take one extra day.`]), curt: 'Already shipped. Ask the courier to redirect it.', wrong: "Sure, I've changed it. It will go to the new address.", rude: "It's already shipped. Talk to the courier, not us." };
    }
    return {
      scenario: shipped ? 'address_change_after_shipping' : 'address_change_before_shipping',
      opener,
      ask: zh ? '好的，请提供一下订单号和新的收货地址。' : 'Sure, could you send me the order number and the new address?',
      details: zh ? `订单号${p.orderId}，新地址：${address}` : `Order ${p.orderId}, new address: ${address}.`,
      askRequired: true,
      pii: 'order',
      ownPii: ['address'],
      tool: orderLookup(p, shipped ? { status: 'shipped', tracking_no: tracking } : { status: 'paid_not_shipped' }),
      answer,
      resolvable: true,
      meta: { order_id: p.orderId },
    };
  },
};
