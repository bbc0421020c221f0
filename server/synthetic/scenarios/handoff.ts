// complaint and human_request: cases a human must take over, whatever else the answer says.
import { BOT_NAME, FAULTS, PRODUCTS, productsOf, type Product } from '../catalog.ts';
import { askOrder, money, orderDetails } from '../phrases.ts';
import { weighted, type Rng } from '../rng.ts';
import type { Answer, EpisodePlan, ScenarioDef } from '../scenario.ts';
import { orderLookup, requirePurchase, ticket } from './common.ts';

function planComplaint(rng: Rng): EpisodePlan {
  const r = rng.next();
  const [variant, products, min, max] =
    r < 0.3 ? (['repeated_fault', PRODUCTS, 40, 200] as const)
    : r < 0.5 ? (['installer_no_show', productsOf(['tv']), 1, 5] as const)
    : r < 0.75 ? (['rude_staff', PRODUCTS, 0, 30] as const)
    : (['lost_parcel', PRODUCTS, 2, 8] as const);
  const product = rng.pick(products);
  return { variant, need: { kind: 'device', product, daysBefore: rng.int(min, max), warrantyMonths: rng.pick(product.warranty) } };
}

export const complaint: ScenarioDef = {
  intent: 'complaint',
  emotions: weighted([['angry', 70], ['frustrated', 30]]),
  plan: planComplaint,
  build(ctx) {
    const { rng, zh, variant } = ctx;
    const p = requirePurchase(ctx);
    const product = p.product as Product;
    const model = product.model;
    const noun = zh ? product.zhNoun : product.enNoun;
    const fault = ctx.caseRng.pick(FAULTS[product.category]);
    const symptom = zh ? fault.zh : fault.en;
    const price = money(p.price, zh);
    let opener: string;
    let wrong: string;
    switch (variant) {
      case 'repeated_fault':
        opener = zh
          ? rng.pick([`${model}已经修了两次了，还是${symptom}，你们到底能不能修好？我要求换新`, `第三次了！${model}又坏了，${symptom}`])
          : rng.pick([`the ${model} has been repaired twice and ${symptom} again. I want a replacement, not another repair`, `third time now! My ${model} is broken again, ${symptom}`]);
        wrong = zh ? '按规定只能再寄修一次，换新是不行的。' : 'Policy says we can only repair it again. No replacements.';
        break;
      case 'installer_no_show':
        opener = zh
          ? rng.pick(['约好今天上午来装电视，等了一上午人都没来，电话也打不通', `${model}的安装师傅放了我两次鸽子`])
          : rng.pick(['the installer was supposed to come this morning to set up the TV and never showed up, and nobody answers the phone', `the ${model} installer has stood me up twice`]);
        wrong = zh ? '师傅可能路上堵车了，您再等等吧。' : "The installer is probably stuck in traffic. Just wait a bit longer.";
        break;
      case 'rude_staff':
        opener = zh
          ? rng.pick([`你们门店的店员态度太差了，我问个${noun}的问题爱答不理的`, `昨天去你们门店问${model}的问题，店员直接让我自己上网查`])
          : rng.pick([`the staff at your store were incredibly rude when I asked about my ${noun}`, `I went to your store about the ${model} yesterday and was told to just google it`]);
        wrong = zh ? '店员可能比较忙，您理解一下。' : 'Our store staff are very busy, please understand.';
        break;
      default:
        opener = zh
          ? rng.pick([`快递显示签收了，但我根本没收到，${price}的${noun}就这么丢了？`, `订单${p.orderId}显示已签收，我家里没人收过`])
          : rng.pick([`tracking says delivered but I never got it. A ${price} ${noun} just vanished?`, `order ${p.orderId} shows as delivered, but nobody here received anything`]);
        wrong = zh ? '显示签收了就是送到了，我们这边没办法处理。' : "If it says delivered, it was delivered. There's nothing we can do.";
    }
    const ticketNo = ticket('TS', ctx.day, rng.digits(4));
    const reference = zh
      ? `您反馈的情况我已经登记为投诉，投诉单号${ticketNo}，会有专人在24小时内联系您处理。`
      : `I've logged this as a formal complaint, reference ${ticketNo}, and a specialist will contact you within 24 hours.`;
    const answer: Answer = zh
      ? { reference, facts: ['投诉单号'], good: rng.pick([reference, `这件事我已经给您登记了投诉，投诉单号是${ticketNo}，专人会在24小时内跟进。`]), curt: '已记录，请等待处理。', wrong, rude: '你这样吵也没用，按规定就是这样。' }
      : { reference, facts: ['complaint'], good: rng.pick([reference, `I've raised a complaint for you, reference ${ticketNo}; a specialist will follow up within 24 hours.`]), curt: 'Noted. Please wait for an update.', wrong, rude: "Shouting won't change anything. Those are the rules." };
    return {
      scenario: `complaint_${variant}`,
      opener,
      ask: askOrder(rng, zh),
      details: orderDetails(rng, zh, p.orderId),
      pii: 'order',
      tool: orderLookup(p, { status: variant === 'lost_parcel' ? 'delivered' : 'completed', repairs: variant === 'repeated_fault' ? 2 : 0 }),
      answer,
      escalate: true,
      resolvable: false,
      meta: { order_id: p.orderId, ticket: ticketNo },
    };
  },
};

export const humanRequest: ScenarioDef = {
  intent: 'human_request',
  emotions: weighted([['calm', 40], ['frustrated', 45], ['angry', 15]]),
  botOnly: true,
  plan: (rng) => ({ variant: rng.chance(0.6) ? 'direct' : 'after_menu' }),
  build(ctx) {
    const { rng, zh, variant } = ctx;
    const queue = rng.int(1, 12);
    const minutes = queue * 2 + rng.int(0, 3);
    const reference = zh
      ? `好的，马上为您转接人工客服，当前排队${queue}人，预计等待${minutes}分钟，请稍候。`
      : `Sure, I'm transferring you to a human agent now. There are ${queue} people ahead of you, about ${minutes} minutes' wait.`;
    const answer: Answer = zh
      ? { reference, facts: ['人工客服'], good: rng.pick([reference, `没问题，正在为您转接人工客服，前面还有${queue}位，大约${minutes}分钟，请不要离开。`]), curt: `我是智能客服${BOT_NAME.zh}，请简单描述您的问题，例如“查订单”“退货”。`, wrong: '人工客服目前不在线，请明天9点后再联系。', rude: '人工客服很忙，有问题先问我。' }
      : { reference, facts: ['human agent'], good: rng.pick([reference, `No problem, transferring you to a human agent. You're number ${queue} in the queue, roughly ${minutes} minutes.`]), curt: `I'm ${BOT_NAME.en}. Please describe your issue in a few words, e.g. "track order" or "return".`, wrong: 'Human agents are not available right now. Please try again tomorrow after 9am.', rude: 'Our agents are busy. Just ask me.' };
    if (variant === 'direct') {
      return {
        scenario: 'human_request_direct',
        opener: zh ? rng.pick(['转人工', '我要人工客服', '别让机器人回答了，给我转人工', '人工！人工！', '能不能让真人来处理？']) : rng.pick(['agent', 'I want to talk to a real person', 'human please', 'can I speak to someone, not a bot?', 'representative!']),
        pii: 'none',
        answer,
        escalate: true,
        transferInAnswer: true,
        resolvable: false,
      };
    }
    return {
      scenario: 'human_request_after_menu',
      opener: zh ? rng.pick(['我的订单有问题', '我要咨询一下退款的事情', '账单有问题']) : rng.pick(['I have a problem with my order', 'question about a refund', 'my bill is wrong']),
      ask: zh ? '请问您想咨询以下哪类问题？1.查订单 2.退换货 3.话费账单 4.其他' : 'Please choose a topic: 1. Track an order 2. Returns 3. Billing 4. Other',
      details: zh ? rng.pick(['都不是，你听不懂吗？我要找真人', '转人工', '我要找人工客服，机器人解决不了']) : rng.pick(['none of those, I need a human', 'agent please', "I want to speak to a person, the bot isn't helping"]),
      askRequired: true,
      pii: 'none',
      answer,
      escalate: true,
      transferInAnswer: true,
      resolvable: false,
    };
  },
};
