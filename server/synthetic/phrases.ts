// Phrases every scenario shares: dates, money, relative time, emotional colouring, greetings,
// transfers. Each comes in Chinese and English; the first variant of a list is the canonical one.
import { AGENT_NAMES, BOT_NAME, RETAILER } from './catalog.ts';
import type { Rng } from './rng.ts';
import type { Emotion } from './scenario.ts';
import { civilFromDays } from './time.ts';

const EN_MONTHS = ['', 'January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const CN_NUM = ['零', '一', '两', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** 2026年3月2日 / March 2, 2026 (without the year when `short`). */
export function dateText(day: number, zh: boolean, short = false): string {
  const c = civilFromDays(day);
  if (zh) return short ? `${c.m}月${c.d}日` : `${c.y}年${c.m}月${c.d}日`;
  return short ? `${EN_MONTHS[c.m]} ${c.d}` : `${EN_MONTHS[c.m]} ${c.d}, ${c.y}`;
}

function thousands(n: number): string {
  const s = String(n);
  return n >= 1000 ? s.slice(0, -3) + ',' + s.slice(-3) : s;
}

/** 3月 / March: the month a day falls in (billing months). */
export function monthText(day: number, zh: boolean): string {
  const m = civilFromDays(day).m;
  return zh ? `${m}月` : (EN_MONTHS[m] as string);
}

/** 3999元 / $549 (cents only when there are some). */
export function money(amount: number, zh: boolean): string {
  if (Number.isInteger(amount)) return zh ? `${amount}元` : `$${thousands(amount)}`;
  return zh ? `${amount.toFixed(2)}元` : `$${amount.toFixed(2)}`;
}

/** How long ago, the way a customer says it: 三周前 / 3 weeks ago. */
export function ago(days: number, zh: boolean): string {
  if (days <= 0) return zh ? '今天' : 'today';
  if (days === 1) return zh ? '昨天' : 'yesterday';
  if (days < 7) return zh ? `${CN_NUM[days]}天前` : `${days} days ago`;
  if (days < 28) {
    const w = Math.round(days / 7);
    return zh ? `${CN_NUM[w]}周前` : w === 1 ? 'a week ago' : `${w} weeks ago`;
  }
  if (days < 335) {
    const m = Math.max(1, Math.round(days / 30.4));
    return zh ? `${CN_NUM[m]}个月前` : m === 1 ? 'a month ago' : `${m} months ago`;
  }
  if (days < 730) return zh ? '一年多前' : 'over a year ago';
  return zh ? '两年多前' : 'over two years ago';
}

export function cap(s: string): string {
  return s.length === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1);
}

function endsWithPunctuation(s: string): boolean {
  const c = s.charAt(s.length - 1);
  return c === '？' || c === '?' || c === '！' || c === '!' || c === '。' || c === '.';
}

const PREFIX = {
  zh: { calm: ['', '你好，', '您好，', '你好，请问一下，'], frustrated: ['', '唉，', '真的有点无语，', '你好，'], angry: ['', '你们什么破服务！', '我真的受够了，'] },
  en: { calm: ['', 'Hi, ', 'Hello, ', 'Hi there, '], frustrated: ['', 'Ugh, ', 'Honestly, ', 'Hi, '], angry: ['', 'This is ridiculous. ', "I'm fed up. "] },
} as const;
const PHONE_PREFIX = { zh: ['喂，你好，', '喂，那个，', '你好，我想问一下，'], en: ['Hi, yeah, um, ', 'Hello? Yes, hi, ', 'Hi, so, '] } as const;
const SUFFIX_AFTER_SENTENCE = {
  zh: { calm: ['', '谢谢。', '麻烦帮我看一下。'], frustrated: ['真的很影响使用。', '能不能尽快处理？', ''], angry: ['你们到底管不管！', '今天必须给我个说法！', '太离谱了！'] },
  en: { calm: ['', ' Thanks.', ' Could you help?'], frustrated: [' This is really inconvenient.', ' Can you sort this out quickly?', ''], angry: [' I want this fixed NOW.', ' This is absolutely unacceptable!', ' Sort it out!'] },
} as const;
const SUFFIX_CONTINUING = {
  zh: { calm: ['。', '，麻烦帮我看一下。', '，谢谢。'], frustrated: ['，到底怎么回事？', '，能不能尽快处理一下？', '，真的很影响使用。'], angry: ['！你们到底管不管？', '，太离谱了！今天必须给我个说法！', '！！！'] },
  en: { calm: ['.', '. Could you help?', '. Thanks.'], frustrated: [". What's going on?", '. Can you sort this out quickly?', '. This is really inconvenient.'], angry: ['! I want this fixed NOW.', '. This is absolutely unacceptable!', '!!'] },
} as const;

/** The customer's first message: the scenario's core, coloured by emotion, channel and repetition. */
export function colourOpener(rng: Rng, zh: boolean, emotion: Emotion, core: string, phone: boolean, repeatAgo: string | undefined): string {
  const lang = zh ? 'zh' : 'en';
  let prefix: string;
  if (repeatAgo !== undefined) {
    prefix = zh
      ? rng.pick([`我${repeatAgo}已经联系过你们了，`, '这已经是我第二次找你们了，', '上次说给我处理，结果还是没解决，'])
      : rng.pick([`I already contacted you ${repeatAgo} about this. `, "This is the second time I'm contacting you. ", 'I was told this would be sorted last time, but it is not. ']);
  } else if (phone && emotion !== 'angry') {
    prefix = rng.pick(PHONE_PREFIX[lang]);
  } else {
    prefix = rng.pick(PREFIX[lang][emotion]);
  }
  const body = !zh && (prefix === '' || prefix.endsWith('. ')) ? cap(core) : core;
  const suffix = endsWithPunctuation(core) ? rng.pick(SUFFIX_AFTER_SENTENCE[lang][emotion]) : rng.pick(SUFFIX_CONTINUING[lang][emotion]);
  return prefix + body + suffix;
}

const EMPATHY = {
  zh: { calm: ['', '好的，', '感谢您的耐心等待，'], frustrated: ['非常抱歉给您带来不便，', '理解您的心情，', '抱歉让您久等了，'], angry: ['非常抱歉给您带来这么不好的体验，我完全理解您的心情。', '真的很抱歉让您这么生气，'] },
  en: { calm: ['', 'Thanks for waiting. ', 'Thanks for the details. '], frustrated: ["I'm sorry for the trouble. ", 'I understand how frustrating this is. ', "Sorry you've had to wait. "], angry: ["I'm really sorry, and I completely understand why you're upset. ", 'I sincerely apologise for this experience. '] },
} as const;
const APOLOGY = {
  zh: { calm: ['非常抱歉让您久等了。', '抱歉让您久等了，'], frustrated: ['非常抱歉让您久等了，给您添麻烦了。', '真的很抱歉让您一直等，'], angry: ['非常抱歉给您带来这么不好的体验，我完全理解您的心情。', '真的很抱歉让您这么生气，'] },
  en: { calm: ["I'm very sorry for the wait. ", 'Sorry for the delay. '], frustrated: ["I'm very sorry for the wait and the hassle. ", "I'm so sorry this has dragged on. "], angry: ["I'm really sorry, and I completely understand why you're upset. ", "I'm truly sorry about this. "] },
} as const;

/** Opening words of the agent's answer matched to the customer's emotion; `canonical` is the reference's. */
export function empathy(rng: Rng | undefined, zh: boolean, emotion: Emotion, apologise: boolean): string {
  const list = (apologise ? APOLOGY : EMPATHY)[zh ? 'zh' : 'en'][emotion];
  return rng === undefined ? list[0] : rng.pick(list);
}

export type TransferTarget = 'human' | 'supervisor' | 'vip';

const TRANSFER = {
  zh: {
    human: ['正在为您转接人工客服，请稍候。', '我这就为您转接人工客服，请不要离开。'],
    supervisor: ['我马上为您转接主管，由主管专门跟进处理。', '我现在就为您转接主管处理，请稍等。'],
    vip: ['已为您转接VIP专属客服经理，会优先为您处理。', '我这就为您转接VIP专属客服，专人优先跟进。'],
  },
  en: {
    human: ["I'm transferring you to a human agent now, please hold on.", 'Let me transfer you to a human agent right away.'],
    supervisor: ["I'm transferring you to my supervisor, who will take this over personally.", "I'll transfer you to my supervisor now so this is handled properly."],
    vip: ["I'm transferring you to our VIP support team, who will prioritise your case.", 'Let me transfer you to our VIP support team right away.'],
  },
} as const;
const TRANSFER_FACT = {
  zh: { human: '人工客服', supervisor: '主管', vip: 'VIP专属客服' },
  en: { human: 'human agent', supervisor: 'supervisor', vip: 'VIP support team' },
} as const;

export function transfer(rng: Rng | undefined, zh: boolean, target: TransferTarget): string {
  const list = TRANSFER[zh ? 'zh' : 'en'][target];
  return rng === undefined ? list[0] : rng.pick(list);
}
export function transferFact(zh: boolean, target: TransferTarget): string {
  return TRANSFER_FACT[zh ? 'zh' : 'en'][target];
}

export function vipGreeting(zh: boolean, address: string): string {
  return zh ? `${address}您好，您是我们的VIP会员，已为您优先处理。` : `${address}, as a VIP member your request has been prioritised. `;
}

export function piiCaution(zh: boolean): string {
  return zh
    ? '温馨提示：为了您的信息安全，请不要在对话中发送完整的银行卡号或身份证号。'
    : "Just a note: for your security, please don't share full card or ID numbers in chat. ";
}

export function phoneGreeting(rng: Rng, zh: boolean): string {
  return zh
    ? `您好，${RETAILER.zh}客服中心，工号${rng.int(1001, 9899)}，很高兴为您服务，请问有什么可以帮您？`
    : `Thank you for calling ${RETAILER.en}, this is ${rng.pick(AGENT_NAMES.en)}. How can I help you today?`;
}

export function chatGreeting(rng: Rng, zh: boolean, bot: boolean): string {
  if (zh) return bot ? `您好，我是${BOT_NAME.zh}，` : `您好，我是客服${rng.pick(AGENT_NAMES.zh)}，`;
  return bot ? `Hi, I'm ${BOT_NAME.en}. ` : `Hi, this is ${rng.pick(AGENT_NAMES.en)}. `;
}

export const HELLO = {
  zh: { customer: ['在吗', '在吗？', '你好，在吗'], agent: ['在的，请问有什么可以帮您？', '您好，在的，请讲。'] },
  en: { customer: ['hello?', 'hi, anyone there?', 'hi'], agent: ['Hi! How can I help?', 'Hello, yes, how can I help you today?'] },
} as const;

const FILLERS = { zh: ['嗯，', '呃，', '那个，', '对，'], en: ['Uh, ', 'Yeah, ', 'Um, ', 'So, '] } as const;
const ACKS = { zh: ['好的好的，', '嗯，明白，', '好的，'], en: ['Okay, ', 'Right, ', 'Got it. '] } as const;

/** A phone-call turn as a transcript shows it: hesitations from the caller, acknowledgements from the agent. */
export function spoken(rng: Rng, zh: boolean, text: string, caller: boolean): string {
  if (!caller && /^(好的|收到|Sure|Happy|Okay|Right)/.test(text)) return text; // already acknowledges
  const filler = rng.pick((caller ? FILLERS : ACKS)[zh ? 'zh' : 'en']);
  if (zh) return filler + text;
  const keepCapital = /^I[ ']/.test(text) || filler.endsWith('. ');
  return filler + (keepCapital ? text : text.charAt(0).toLowerCase() + text.slice(1));
}

/** The agent's holding reply while checking, and an impatient customer pushing. */
export const HURRY = {
  zh: { agent: ['好的，正在为您查询，请稍等。', '收到，我这边核实一下您的信息。'], customer: ['能不能快点？我赶时间', '怎么这么慢，查到了吗？', '我已经等了很久了'] },
  en: { agent: ["Thanks, I'm checking that for you now.", 'One moment while I verify your details.'], customer: ["Can you hurry up? I don't have all day.", 'Is this going to take long?', "I've been waiting ages."] },
} as const;

export function askOrder(rng: Rng, zh: boolean): string {
  return zh
    ? rng.pick(['麻烦提供一下订单号或者下单手机号，我帮您查询一下。', '请问您的订单号是多少呢？', '好的，请您提供一下订单号，我这边为您核实。'])
    : rng.pick(['Could you give me your order number or the phone number on the order?', "Sure, what's the order number?", 'Happy to help. Can you share your order number so I can look it up?']);
}

export function orderDetails(rng: Rng, zh: boolean, orderId: string): string {
  return zh
    ? rng.pick([`订单号${orderId}`, `订单号是${orderId}`, orderId, `我看了下订单号是${orderId}`])
    : rng.pick([`It's ${orderId}.`, `Order number ${orderId}.`, `Sure, ${orderId}.`, `The order number is ${orderId}.`]);
}

/** Masked phone number the way agents repeat it back: 尾号5678 / ending 5678. */
export function maskedTail(digits: string, zh: boolean): string {
  return zh ? `尾号${digits.slice(-4)}` : `ending ${digits.slice(-4)}`;
}
