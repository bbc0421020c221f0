// Telecom scenarios: plan_recommendation (usage vs plan allowance) and billing_dispute.
import { ADD_ONS, PLANS, ROAMING_PLACES, type MobilePlan } from '../catalog.ts';
import { money, monthText } from '../phrases.ts';
import { formatMobile, residentId } from '../pii.ts';
import { weighted, type Rng } from '../rng.ts';
import type { Answer, BuildContext, ScenarioDef, ScenarioScript } from '../scenario.ts';
import { civilFromDays } from '../time.ts';

function currentPlan(ctx: BuildContext): MobilePlan | undefined {
  return ctx.mobilePlan?.plan;
}

function fee(plan: MobilePlan, zh: boolean): string {
  return zh ? `${plan.cny}元/月` : `$${plan.usd}/month`;
}

/** The cheapest plan whose allowance covers `gb`, or the largest. */
function cheapestCovering(gb: number): MobilePlan {
  return PLANS.find((p) => p.gb >= gb) ?? (PLANS[PLANS.length - 1] as MobilePlan);
}

function maskedNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.slice(0, 3) + '****' + digits.slice(-4);
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** The number as the customer types or says it. */
function spokenNumber(rng: Rng, phone: string): string {
  return /^\d{11}$/.test(phone) ? formatMobile(phone, rng.pick([0, 0, 1, 2] as const)) : phone;
}

// ---------- plan_recommendation ----------

function planScript(ctx: BuildContext): ScenarioScript {
  const { rng, zh } = ctx;
  const cur = currentPlan(ctx);
  const curIndex = cur === undefined ? -1 : PLANS.indexOf(cur);
  let variant = cur === undefined ? 'new_line' : ctx.variant;
  if (variant === 'upgrade' && curIndex === PLANS.length - 1) variant = 'downgrade';
  if (variant === 'downgrade' && curIndex < 2) variant = 'upgrade';
  const top = PLANS[PLANS.length - 1] as MobilePlan;
  let used: number;
  let rec: MobilePlan;
  let wrongPlan: MobilePlan;
  let opener: string;
  let answer: Answer;
  if (variant === 'new_line' || cur === undefined) {
    used = ctx.caseRng.pick([5, 8, 15, 20, 25, 40, 50, 80, 120]);
    rec = cheapestCovering(used * 1.1);
    wrongPlan = used > (PLANS[0] as MobilePlan).gb ? (PLANS[0] as MobilePlan) : top;
    opener = zh
      ? rng.pick([`想办一张新的手机卡，每个月大概用${used}G流量，有什么套餐推荐？`, `给家里人办个号，流量一个月${used}G左右，推荐一下套餐`])
      : rng.pick([`I'd like a new SIM. I use about ${used} GB of data a month, what plan would you recommend?`, `I'm getting a line for my mum, she uses around ${used} GB a month. Which plan?`]);
    const reference = zh
      ? `根据您每月大约${used}GB的流量需求，推荐${rec.zh}：${fee(rec, zh)}，含${rec.gb}GB国内流量和${rec.minutes}分钟通话。办理新号码需要本人实名认证，可以在App上传身份证在线办理，也可以到门店办理。`
      : `For about ${used} GB a month I'd recommend ${rec.en}: ${fee(rec, zh)} with ${rec.gb} GB of data and ${rec.minutes} minutes of calls. A new number needs identity verification, which you can do in the app by uploading your ID, or in any store.`;
    answer = zh
      ? { reference, facts: [rec.zh, fee(rec, zh), '实名认证'], good: rng.pick([reference, `每月${used}GB左右的话，${rec.zh}最合适，${fee(rec, zh)}，${rec.gb}GB流量加${rec.minutes}分钟通话。新卡需要实名认证，App上传身份证就能办。`]), curt: `${rec.zh}，${fee(rec, zh)}，App上办。`, wrong: `推荐${wrongPlan.zh}，${fee(wrongPlan, zh)}，${wrongPlan.gb}GB完全够用。`, rude: '套餐都写在App上，自己看。' }
      : { reference, facts: [rec.en, fee(rec, zh), 'identity verification'], good: rng.pick([reference, `With around ${used} GB a month, ${rec.en} fits best: ${fee(rec, zh)}, ${rec.gb} GB and ${rec.minutes} minutes. You'll need to complete identity verification for the new SIM, which takes a few minutes in the app.`]), curt: `${rec.en}, ${fee(rec, zh)}. Sign up in the app.`, wrong: `Go with ${wrongPlan.en}, ${fee(wrongPlan, zh)}, ${wrongPlan.gb} GB is plenty.`, rude: 'The plans are listed on the website. Have a look.' };
    return {
      scenario: 'plan_new_line',
      opener,
      ask: zh ? '好的，请问您每个月通话大概多少分钟？' : 'Sure, roughly how many minutes of calls do you make a month?',
      details: zh ? rng.pick(['打电话不多，一个月一两百分钟吧', '电话挺多的，每个月五六百分钟']) : rng.pick(['Not many, maybe a hundred or two.', 'Quite a lot, around five hundred minutes.']),
      pii: 'identity',
      answer,
      resolvable: true,
      meta: { recommended_plan: rec.en, data_used_gb: used },
    };
  }
  let over = 0;
  let save = 0;
  if (variant === 'upgrade') {
    used = round1(cur.gb * (1.15 + ctx.caseRng.next() * 0.75));
    rec = cheapestCovering(used * 1.1);
    over = Math.round((used - cur.gb) * (zh ? 5 : 2));
    wrongPlan = curIndex > 0 && ctx.caseRng.chance(0.5) ? (PLANS[curIndex - 1] as MobilePlan) : cur;
  } else {
    used = round1(cur.gb * (0.08 + ctx.caseRng.next() * 0.22));
    rec = cheapestCovering(used * 1.3);
    if (PLANS.indexOf(rec) >= curIndex) rec = PLANS[curIndex - 1] as MobilePlan;
    save = zh ? cur.cny - rec.cny : cur.usd - rec.usd;
    wrongPlan = top;
  }
  const overText = money(over, zh);
  const saveText = money(save, zh);
  if (variant === 'upgrade') {
    opener = zh
      ? rng.pick(['我每个月流量都不够用，老是超出扣费，有什么合适的套餐推荐吗？', `我现在是${cur.zh}，上个月超流量多扣了${overText}，想换个套餐`, '流量总是不够用，想升级一下套餐'])
      : rng.pick(['I keep running out of data every month and paying overage. Which plan should I switch to?', `I'm on ${cur.en} and got charged ${overText} extra for data last month. I'd like a better plan`]);
    const reference = zh
      ? `查到您目前是${cur.zh}（${fee(cur, zh)}，${cur.gb}GB），近三个月平均每月用${used}GB，上个月超出流量另付了${overText}。建议您升级到${rec.zh}：${fee(rec, zh)}，含${rec.gb}GB流量和${rec.minutes}分钟通话，比现在的套餐加超额费用更划算，下个月1日生效。`
      : `You're currently on ${cur.en} (${fee(cur, zh)}, ${cur.gb} GB) and have used ${used} GB a month on average over the last three months, with ${overText} in overage charges last month. I'd recommend ${rec.en}: ${fee(rec, zh)} with ${rec.gb} GB, which works out cheaper than your current plan plus overage. The change takes effect on the 1st of next month.`;
    answer = zh
      ? { reference, facts: [rec.zh, fee(rec, zh)], good: rng.pick([reference, `根据您近三个月平均${used}GB的用量，${cur.zh}的${cur.gb}GB确实不够用。推荐您换成${rec.zh}，${fee(rec, zh)}，${rec.gb}GB流量，就不会再产生超额费用了，次月1日生效。`]), curt: `办${rec.zh}吧，${fee(rec, zh)}。`, wrong: `您的用量其实不大，建议继续用${wrongPlan.zh}（${fee(wrongPlan, zh)}，${wrongPlan.gb}GB）就够了。`, rude: '流量超了是您自己用得多，套餐都在App上，自己看吧。' }
      : { reference, facts: [rec.en, fee(rec, zh)], good: rng.pick([reference, `Over the last three months you've averaged ${used} GB, which is more than the ${cur.gb} GB in ${cur.en}. ${rec.en} at ${fee(rec, zh)} gives you ${rec.gb} GB, so no more overage charges. It starts on the 1st of next month.`]), curt: `Switch to ${rec.en}, ${fee(rec, zh)}.`, wrong: `Your usage is actually fine. Stay on ${wrongPlan.en} (${fee(wrongPlan, zh)}, ${wrongPlan.gb} GB).`, rude: 'You used the data, not us. The plans are on the website.' };
  } else {
    opener = zh
      ? rng.pick(['感觉现在的套餐太贵了，流量根本用不完，想换个便宜点的', `我是${cur.zh}，每月${cur.cny}元，根本用不了这么多，有没有更划算的？`])
      : rng.pick(['my plan feels too expensive, I never use all the data. Is there something cheaper?', `I'm on ${cur.en} at $${cur.usd} a month and barely use it. Any better deal?`]);
    const reference = zh
      ? `查到您目前是${cur.zh}（${fee(cur, zh)}，${cur.gb}GB），近三个月平均每月只用了${used}GB。建议改为${rec.zh}（${fee(rec, zh)}，${rec.gb}GB），流量足够使用，每月可以节省${saveText}，下个月1日生效。`
      : `You're on ${cur.en} (${fee(cur, zh)}, ${cur.gb} GB) but have only used ${used} GB a month on average over the last three months. I'd suggest ${rec.en} (${fee(rec, zh)}, ${rec.gb} GB), which still covers your usage and saves you ${saveText} a month. The change takes effect on the 1st of next month.`;
    answer = zh
      ? { reference, facts: [rec.zh, fee(rec, zh)], good: rng.pick([reference, `您近三个月平均每月只用${used}GB，现在的${cur.gb}GB确实浪费了。可以换成${rec.zh}，${fee(rec, zh)}，${rec.gb}GB够用，每月省${saveText}。`]), curt: `可以换${rec.zh}，${fee(rec, zh)}。`, wrong: `建议您升级到${top.zh}（${fee(top, zh)}），流量更多更划算。`, rude: '嫌贵就别用这么贵的，自己在App里改。' }
      : { reference, facts: [rec.en, fee(rec, zh)], good: rng.pick([reference, `You've averaged just ${used} GB a month, so ${cur.gb} GB is more than you need. ${rec.en} at ${fee(rec, zh)} with ${rec.gb} GB would cover you and save ${saveText} a month.`]), curt: `Try ${rec.en}, ${fee(rec, zh)}.`, wrong: `I'd recommend upgrading to ${top.en} (${fee(top, zh)}), it's better value.`, rude: "If it's too expensive, pick a cheaper one yourself on the website." };
  }
  return {
    scenario: variant === 'upgrade' ? 'plan_upgrade' : 'plan_downgrade',
    opener,
    ask: zh ? '请提供一下您的手机号码，我帮您查一下近三个月的使用情况。' : 'Could you confirm the mobile number on the account so I can check your usage for the last three months?',
    details: zh ? rng.pick(['', '号码是', '我的号码']) + spokenNumber(rng, ctx.person.phone) : rng.pick(['', 'Sure, it is ', 'My number is ']) + spokenNumber(rng, ctx.person.phone),
    pii: 'none',
    ownPii: ['phone'],
    tool: {
      name: 'lookup_usage',
      payload: { msisdn: maskedNumber(ctx.person.phone), plan: zh ? cur.zh : cur.en, monthly_fee: zh ? cur.cny : cur.usd, data_gb: cur.gb, avg_data_used_gb_3m: used, overage_fee_last_month: over },
    },
    answer,
    resolvable: true,
    meta: { recommended_plan: rec.en, current_plan: cur.en, data_used_gb: used, order_id: ctx.mobilePlan?.orderId },
  };
}

export const planRecommendation: ScenarioDef = {
  intent: 'plan_recommendation',
  emotions: weighted([['calm', 75], ['frustrated', 22], ['angry', 3]]),
  plan(rng) {
    const r = rng.next();
    if (r < 0.3) return { variant: 'new_line' };
    return { variant: r < 0.75 ? 'upgrade' : 'downgrade', need: { kind: 'plan' } };
  },
  build: planScript,
};

// ---------- billing_dispute ----------

function billingScript(ctx: BuildContext): ScenarioScript {
  const { rng, zh, variant } = ctx;
  const cur = currentPlan(ctx) ?? (PLANS[1] as MobilePlan);
  const billDay = ctx.episodeDay - ctx.caseRng.int(5, 25);
  const month = monthText(billDay, zh);
  const billMonth = civilFromDays(billDay);
  let opener: string;
  let answer: Answer;
  let scenario: string;
  let items: { item: string; amount: number }[];
  if (variant === 'add_on') {
    scenario = 'billing_unrequested_add_on';
    const addOn = ctx.caseRng.pick(ADD_ONS);
    const months = ctx.caseRng.int(1, 3);
    const unit = zh ? addOn.cny : addOn.usd;
    const total = Math.round(unit * months * 100) / 100;
    const totalText = money(total, zh);
    const startMonth = monthText(billDay - (months - 1) * 30, zh);
    items = [{ item: cur.en, amount: zh ? cur.cny : cur.usd }, { item: addOn.en, amount: unit }];
    opener = zh
      ? rng.pick([`我话费怎么多扣了${totalText}？我没订过什么${addOn.zh}`, `账单里有个${addOn.zh}，我从来没开通过，为什么扣我钱？`, `话费莫名其妙多了一笔${money(unit, zh)}的扣费，这是乱扣费吧`])
      : rng.pick([`why was I charged ${totalText} extra? I never signed up for any ${addOn.en}`, `there's a ${addOn.en} on my bill that I never added. Why am I paying for it?`]);
    const reference = zh
      ? `核实到您的号码从${startMonth}起开通了${addOn.zh}（${money(unit, zh)}/月），共扣费${totalText}，系统中没有您本人的订购确认记录。已为您退订该业务，并退还${totalText}，3-5个工作日内返还到您的话费账户。`
      : `I can see the ${addOn.en} (${money(unit, zh)}/month) was added to your number in ${startMonth} and you've been charged ${totalText} in total, with no confirmation from you on record. I've cancelled the add-on and refunded the ${totalText} to your account; it will show within 3-5 business days.`;
    answer = zh
      ? { reference, facts: ['退订', totalText], good: rng.pick([reference, `查到${addOn.zh}是${startMonth}开通的，但没有您的确认记录，属于异常订购。我已经帮您退订了，之前扣的${totalText}全部退还，3-5个工作日到账。`]), curt: '已退订，钱会退。', wrong: '这个业务是您自己订购的，扣费没有问题，不能退。', rude: '肯定是你自己点开通的，这钱退不了。' }
      : { reference, facts: ['cancelled the add-on', totalText], good: rng.pick([reference, `The ${addOn.en} was switched on in ${startMonth} without any confirmation from you, so I've cancelled the add-on and refunded all ${totalText}. You'll see it in 3-5 business days.`]), curt: "I've cancelled the add-on. Refund coming.", wrong: 'You subscribed to that add-on yourself, so the charge stands.', rude: "You must have clicked it. We don't refund that." };
  } else if (variant === 'roaming') {
    scenario = 'billing_roaming_charge';
    const place = ctx.caseRng.pick(ROAMING_PLACES);
    const mb = ctx.caseRng.int(120, 1500);
    const amount = zh ? Math.round(mb * 0.5) : Math.round(mb * 0.2 * 100) / 100;
    const amountText = money(amount, zh);
    items = [{ item: cur.en, amount: zh ? cur.cny : cur.usd }, { item: 'international roaming data', amount }];
    opener = zh
      ? rng.pick([`上个月账单怎么有${amountText}的流量费？太离谱了`, `我去${place.zh}玩了几天，回来话费扣了${amountText}，这是怎么算的？`])
      : rng.pick([`my last bill has ${amountText} in data charges, that can't be right`, `I spent a few days in ${place.en} and came back to a ${amountText} charge. How was that calculated?`]);
    const reference = zh
      ? `核实到您在${place.zh}期间使用了国际漫游流量${mb}MB，按标准资费0.5元/MB计费，共${amountText}，属于正常计费。下次出境前可以开通国际漫游日包（25元/天，不限量），就不会产生高额费用了。`
      : `I've checked: while you were in ${place.en} you used ${mb} MB of roaming data, charged at the standard rate of $0.20/MB, which comes to ${amountText}, so the charge is correct. Next time, add the Travel Day Pass before you go ($10/day, unlimited data) to avoid high charges.`;
    answer = zh
      ? { reference, facts: ['正常计费', amountText], good: rng.pick([reference, `查了一下，这笔${amountText}是您在${place.zh}用的${mb}MB漫游流量，按标准资费计算，属于正常计费。以后出境前开个漫游日包，25元一天不限量，会划算很多。`]), curt: '漫游流量，正常计费，没错。', wrong: '这个应该是系统扣错了，我给您全部退掉。', rude: '出国自己不开漫游包，扣费怪谁？' }
      : { reference, facts: ['charge is correct', amountText], good: rng.pick([reference, `That ${amountText} is ${mb} MB of roaming data used in ${place.en} at the standard rate, so the charge is correct. A Travel Day Pass ($10/day, unlimited) would make your next trip much cheaper.`]), curt: 'Roaming data. The charge is correct.', wrong: "That looks like a system error; I'll refund the whole amount.", rude: "You didn't buy a roaming pass. That's on you." };
  } else {
    scenario = 'billing_double_charge';
    const amount = zh ? cur.cny : cur.usd;
    const feeText = money(amount, zh);
    items = [{ item: cur.en, amount }, { item: cur.en, amount }];
    opener = zh
      ? rng.pick([`${month}的月租扣了两次，麻烦查一下`, `我发现这个月套餐费被扣了两遍，一共扣了${money(amount * 2, zh)}`])
      : rng.pick([`my ${month} monthly fee was charged twice, can you check?`, `I was billed twice for my plan this month, ${money(amount * 2, zh)} in total`]);
    const reference = zh
      ? `核实到您${month}的月租${feeText}被重复扣取了一次，是系统问题，非常抱歉。已为您退还多扣的${feeText}，3-5个工作日内返还到原支付账户。`
      : `I can see your ${month} monthly fee of ${feeText} was charged twice because of a system error, sorry about that. I've refunded the duplicate ${feeText}; it will be back on your original payment method within 3-5 business days.`;
    answer = zh
      ? { reference, facts: ['重复', feeText], good: rng.pick([reference, `确实，${month}的套餐费${feeText}扣了两次，是我们系统的重复扣款。多扣的${feeText}已经给您退回，3-5个工作日到账。`]), curt: `重复扣了，退您${feeText}。`, wrong: '账单没有问题，系统显示只扣了一次。', rude: '系统不会错的，你自己再看看。' }
      : { reference, facts: ['charged twice', feeText], good: rng.pick([reference, `You're right, the ${feeText} monthly fee for ${month} was charged twice. I've refunded the duplicate ${feeText}, which should appear in 3-5 business days.`]), curt: `Charged twice, yes. Refunded ${feeText}.`, wrong: 'The bill is correct. You were only charged once.', rude: "Our system doesn't make mistakes. Check again." };
  }
  // Identity check: some customers paste a full ID number where four digits were asked for.
  const fullId = zh ? rng.chance(0.25) : rng.chance(0.04);
  const id = residentId(rng, ctx.person.birthDay);
  const details = zh
    ? fullId ? `${ctx.person.fullName}，身份证号${id}` : `${ctx.person.fullName}，身份证后四位${id.slice(-4)}`
    : fullId ? `${ctx.person.fullName}, my ID number is ${id}.` : `${ctx.person.fullName}, and the number is ${spokenNumber(rng, ctx.person.phone)}.`;
  return {
    scenario,
    opener,
    ask: zh ? '为了保护您的账户安全，请提供一下机主姓名和身份证号后四位。' : "For security, could you confirm the account holder's name and the mobile number on the account?",
    details,
    pii: 'billing',
    ownPii: fullId ? ['resident_id'] : zh ? [] : ['phone'],
    tool: {
      name: 'lookup_bill',
      payload: { msisdn: maskedNumber(ctx.person.phone), month: `${billMonth.y}-${String(billMonth.m).padStart(2, '0')}`, items, currency: zh ? 'CNY' : 'USD' },
    },
    answer,
    resolvable: true,
    meta: { order_id: ctx.mobilePlan?.orderId },
  };
}

export const billingDispute: ScenarioDef = {
  intent: 'billing_dispute',
  emotions: weighted([['calm', 35], ['frustrated', 45], ['angry', 20]]),
  plan(rng) {
    const r = rng.next();
    return { variant: r < 0.4 ? 'add_on' : r < 0.7 ? 'roaming' : 'double', need: { kind: 'plan' } };
  },
  build: billingScript,
};
