// screen_repair and warranty_claim: the answer turns on purchase date vs warranty months.
import { FAULTS, PRODUCTS, SCREEN_PRODUCTS, type Product } from '../catalog.ts';
import { ago, askOrder, dateText, money, orderDetails } from '../phrases.ts';
import { weighted, type Rng } from '../rng.ts';
import type { Answer, BuildContext, EpisodePlan, ScenarioDef, ScenarioScript } from '../scenario.ts';
import { addMonths, isoDate } from '../time.ts';
import { orderLookup, requirePurchase } from './common.ts';

function planWarranty(rng: Rng, products: readonly Product[]): EpisodePlan {
  const product = rng.pick(products);
  const warrantyMonths = rng.pick(product.warranty);
  const span = Math.round(warrantyMonths * 30.44);
  const inWarranty = rng.chance(0.55);
  let daysBefore: number;
  // In-warranty cases end 25+ days before expiry, so a repeat contact (at most 21 days later)
  // still has the same status; some sit near the boundary on either side, the hard cases.
  if (rng.chance(0.15)) daysBefore = inWarranty ? rng.int(span - 50, span - 25) : rng.int(span + 5, span + 40);
  else if (inWarranty) daysBefore = rng.chance(0.4) ? rng.int(10, 60) : rng.int(10, span - 25);
  else daysBefore = rng.int(span + 5, span + 420);
  return { variant: inWarranty ? 'in' : 'out', need: { kind: 'device', product, daysBefore, warrantyMonths } };
}

interface WarrantyFacts {
  inWarranty: boolean;
  name: string;
  model: string;
  noun: string;
  date: string;
  until: string;
  w: number;
  quote: string;
}

function warrantyFacts(ctx: BuildContext, quoteCny: number, quoteUsd: number) {
  const p = requirePurchase(ctx);
  const product = p.product as Product;
  const lastCovered = addMonths(p.day, p.warrantyMonths) - 1;
  const inWarranty = ctx.episodeDay <= lastCovered;
  const f: WarrantyFacts = {
    inWarranty,
    name: p.name,
    model: product.model,
    noun: ctx.zh ? product.zhNoun : product.enNoun,
    date: dateText(p.day, ctx.zh),
    until: dateText(lastCovered, ctx.zh),
    w: p.warrantyMonths,
    quote: money(ctx.zh ? quoteCny : quoteUsd, ctx.zh),
  };
  return { p, lastCovered, f };
}

const STATUS_FACTS = {
  zh: { in: ['保修期内', '免费维修'], out: ['已过保修期', '维修报价'] },
  en: { in: ['under warranty', 'free repair'], out: ['out of warranty', 'repair quote'] },
} as const;

function screenAnswer(rng: Rng, zh: boolean, f: WarrantyFacts): Answer {
  const facts = STATUS_FACTS[zh ? 'zh' : 'en'][f.inWarranty ? 'in' : 'out'];
  if (zh && f.inWarranty) {
    const reference = `查询到您的${f.name}于${f.date}购买，保修期${f.w}个月，目前仍在保修期内（保修至${f.until}）。屏幕可以为您免费维修，您可以预约到店维修或申请免费寄修，一般3-5个工作日修好寄回。`;
    return {
      reference, facts,
      good: rng.pick([reference, `您的${f.model}是${f.date}购买的，还在保修期内（到${f.until}），这次屏幕为您免费维修。您可以直接到附近门店，也可以在App里申请寄修，修好后包邮寄回。`]),
      curt: '在保修期内，免费维修，寄过来就行。',
      wrong: `您这台${f.noun}已过保修期了，屏幕维修需要自费，大概${f.quote}。`,
      rude: '屏幕碎了一般都是自己摔的，这个不归我们管，你自己想办法吧。',
    };
  }
  if (zh) {
    const reference = `查询到您的${f.name}购买于${f.date}，保修期${f.w}个月，已于${f.until}到期，目前已过保修期。屏幕可以付费维修，维修报价为${f.quote}（含原厂屏幕和工时费），确认后约3个工作日完成，需要为您预约吗？`;
    return {
      reference, facts,
      good: rng.pick([reference, `您的${f.model}是${f.date}买的，${f.w}个月保修已在${f.until}到期，所以现在已过保修期。换屏需要付费，维修报价${f.quote}，用的是原厂屏幕，到店或寄修都可以。`]),
      curt: `已过保修期，只能付费修，维修报价${f.quote}。`,
      wrong: `您的${f.noun}还在保修期内，可以免费维修，直接寄过来就行。`,
      rude: '过保了就得付钱，这有什么好问的。',
    };
  }
  if (f.inWarranty) {
    const reference = `Your ${f.name} was purchased on ${f.date} with a ${f.w}-month warranty, so it is still under warranty until ${f.until}. We'll do a free repair of the screen: you can book an in-store appointment or use our free mail-in service, and it usually takes 3-5 business days.`;
    return {
      reference, facts,
      good: rng.pick([reference, `I can see you bought the ${f.model} on ${f.date}, so it's under warranty (it runs until ${f.until}). The screen is a free repair for you. Drop it at any store or request a mail-in from the app, and we'll ship it back at no cost.`]),
      curt: "It's under warranty. Free repair, just mail it in.",
      wrong: `Your ${f.noun} is out of warranty, so the screen repair is paid, about ${f.quote}.`,
      rude: 'Cracked screens are usually your own fault. Not really our problem.',
    };
  }
  const reference = `Your ${f.name} was purchased on ${f.date} with a ${f.w}-month warranty that ended on ${f.until}, so it is now out of warranty. We can replace the screen as a paid repair: the repair quote is ${f.quote} including parts and labour, and it takes about 3 business days once you confirm. Shall I book it for you?`;
  return {
    reference, facts,
    good: rng.pick([reference, `The ${f.model} was bought on ${f.date} and its ${f.w}-month warranty ran out on ${f.until}, so it's out of warranty now. A screen replacement would be paid; our repair quote is ${f.quote} with genuine parts, in store or by mail-in.`]),
    curt: `It's out of warranty. Paid repair only, repair quote is ${f.quote}.`,
    wrong: `Your ${f.noun} is still under warranty, so it's a free repair. Just send it in.`,
    rude: "It's out of warranty, so you pay. Not sure what else you expected.",
  };
}

function faultAnswer(rng: Rng, zh: boolean, f: WarrantyFacts, days: number): Answer {
  const facts = STATUS_FACTS[zh ? 'zh' : 'en'][f.inWarranty ? 'in' : 'out'];
  if (zh && f.inWarranty) {
    const reference = `查询到您的${f.name}于${f.date}购买，保修期${f.w}个月，目前在保修期内（保修至${f.until}）。这个问题属于保修范围，可以为您免费维修，您可以到店检测或申请免费寄修，预计${days}个工作日修好寄回。`;
    return {
      reference, facts,
      good: rng.pick([reference, `您的${f.model}购买日期是${f.date}，还在保修期内。这个故障我们为您免费维修，到店或寄修都可以，${days}个工作日左右处理完。`]),
      curt: '保修期内，免费维修，去门店吧。',
      wrong: `您的${f.noun}已过保修期，只能付费维修，维修报价${f.quote}。`,
      rude: '你是不是自己用坏的？正常用不会这样。',
    };
  }
  if (zh) {
    const reference = `查询到您的${f.name}购买于${f.date}，保修期${f.w}个月，已于${f.until}到期，目前已过保修期。可以为您提供付费维修，检测不收费，这个问题的维修报价为${f.quote}（含配件和工时），确认后约${days}个工作日完成。`;
    return {
      reference, facts,
      good: rng.pick([reference, `您的${f.model}是${f.date}买的，${f.w}个月保修已经在${f.until}到期，现在已过保修期。可以付费维修，这个问题的维修报价是${f.quote}，检测不收费。`]),
      curt: `已过保修期了，维修报价${f.quote}，修不修您决定。`,
      wrong: `您的${f.noun}还在保修期内，可以免费维修，寄过来就行。`,
      rude: '过保了还想免费修？不可能的。',
    };
  }
  if (f.inWarranty) {
    const reference = `Your ${f.name} was purchased on ${f.date} with a ${f.w}-month warranty, so it's still under warranty until ${f.until}. This fault is covered, so we'll do a free repair: take it to a store for a check or use our free mail-in service, and it's usually back within ${days} business days.`;
    return {
      reference, facts,
      good: rng.pick([reference, `I checked: the ${f.model} was bought on ${f.date}, so you're under warranty until ${f.until}. We'll do a free repair for this fault, in store or mail-in, whichever suits you, in about ${days} business days.`]),
      curt: 'Under warranty, free repair. Take it to a store.',
      wrong: `Your ${f.noun} is out of warranty, so it's a paid repair. The repair quote is ${f.quote}.`,
      rude: "Did you break it yourself? They don't just fail on their own.",
    };
  }
  const reference = `Your ${f.name} was purchased on ${f.date} with a ${f.w}-month warranty that ended on ${f.until}, so it's out of warranty now. We can still fix it as a paid repair: the diagnosis costs nothing, and the repair quote for this fault is ${f.quote} including parts and labour, about ${days} business days once you confirm.`;
  return {
    reference, facts,
    good: rng.pick([reference, `The ${f.model} was bought on ${f.date}, and its ${f.w}-month warranty ended on ${f.until}, so it's out of warranty. We can repair it for a fee; the repair quote for this fault is ${f.quote}.`]),
    curt: `Out of warranty. Repair quote is ${f.quote}, up to you.`,
    wrong: `Your ${f.noun} is still under warranty, so it's a free repair. Just send it in.`,
    rude: "It's out of warranty. Expecting a free fix now is a bit much.",
  };
}

function screenOpener(rng: Rng, zh: boolean, f: WarrantyFacts, when: string): string {
  return zh
    ? rng.pick([`我${when}买的${f.model}屏幕碎了`, `${f.model}不小心摔了一下，屏幕裂了`, `我的${f.noun}屏幕摔碎了，${when}在你们这买的，能修吗？`, `${f.noun}屏幕裂了好几道，触摸也有点不灵`])
    : rng.pick([`the screen on the ${f.model} I bought ${when} is cracked`, `I dropped my ${f.model} and the screen cracked`, `my ${f.noun}'s screen is smashed, I bought it from you ${when}. Can it be fixed?`, `my ${f.model} screen has several cracks and the touch is glitchy`]);
}

function script(ctx: BuildContext, kind: 'screen' | 'fault'): ScenarioScript {
  const { rng, zh } = ctx;
  const p = requirePurchase(ctx);
  const product = p.product as Product;
  const fault = kind === 'fault' ? ctx.caseRng.pick(FAULTS[product.category]) : undefined;
  const quote = fault ?? product.screen ?? { cny: 699, usd: 99 };
  const { lastCovered, f } = warrantyFacts(ctx, quote.cny, quote.usd);
  const when = ago(ctx.day - p.day, zh);
  let opener: string;
  let answer: Answer;
  let clarify: readonly [string, string];
  if (fault === undefined) {
    opener = screenOpener(rng, zh, f, when);
    answer = screenAnswer(rng, zh, f);
    clarify = zh
      ? ['请问屏幕是摔碎的还是自己出现的裂纹？除了屏幕，其他功能正常吗？', rng.pick(['不小心掉地上摔的，其他都正常', '没摔过，放口袋里拿出来就裂了', '摔了一下，现在触摸有点失灵'])]
      : ['Was the screen damaged in a drop, or did the crack appear on its own? Does everything else work?', rng.pick(['I dropped it, everything else works fine.', 'I never dropped it, it just cracked in my pocket.', 'It fell once, and now touch is a bit unresponsive.'])];
  } else {
    const symptom = zh ? fault.zh : fault.en;
    opener = zh
      ? rng.pick([`${when}买的${f.model}，${symptom}`, `我的${f.noun}${symptom}，怎么办？`, `${f.model}${symptom}，能保修吗？`])
      : rng.pick([`I bought a ${f.model} ${when} and ${symptom}`, `my ${f.noun} has a problem: ${symptom}`, `the ${f.model} I got from you ${when} is faulty, ${symptom}. Is that covered?`]);
    answer = faultAnswer(rng, zh, f, ctx.caseRng.int(3, 7));
    clarify = zh
      ? ['请问您尝试过重启或者恢复出厂设置吗？设备有没有进水或摔过？', rng.pick(['重启过好几次了，没用，也没摔过', '都试过了，没进水也没摔', '重启了还是一样'])]
      : ['Have you tried restarting or resetting it? Has it been dropped or exposed to water?', rng.pick(["I've restarted it several times, no luck, and it's never been dropped.", 'Tried everything. No water, no drops.', "Restarting doesn't help."])];
  }
  const status = f.inWarranty ? 'in_warranty' : 'out_of_warranty';
  return {
    scenario: `${kind}_${status}`,
    opener,
    ask: askOrder(rng, zh),
    details: orderDetails(rng, zh, p.orderId),
    pii: 'order',
    clarify,
    tool: orderLookup(p, { warranty_months: p.warrantyMonths, warranty_until: isoDate(lastCovered), status: 'delivered' }),
    answer,
    resolvable: true,
    meta: { order_id: p.orderId, warranty_status: f.inWarranty ? 'in' : 'out' },
  };
}

export const screenRepair: ScenarioDef = {
  intent: 'screen_repair',
  emotions: weighted([['calm', 50], ['frustrated', 38], ['angry', 12]]),
  plan: (rng) => planWarranty(rng, SCREEN_PRODUCTS),
  build: (ctx) => script(ctx, 'screen'),
};

export const warrantyClaim: ScenarioDef = {
  intent: 'warranty_claim',
  emotions: weighted([['calm', 50], ['frustrated', 38], ['angry', 12]]),
  plan: (rng) => planWarranty(rng, PRODUCTS),
  build: (ctx) => script(ctx, 'fault'),
};
