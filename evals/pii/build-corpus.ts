// Builds pii-corpus.jsonl, the labeled corpus `npm run bench:pii` scores PII redaction on:
//   node bin/run-ts.mjs evals/pii/build-corpus.ts [--seed 9]
// Each line: {"id","lang","text","spans":[{"type","start","end"}],"tags"}; spans are UTF-16 offsets of
// the personal data in `text`, end exclusive. Labels come from construction (a generated value put in a
// hand-written template at a known offset) and from hand-written lines with [[TYPE|value]] markers; a
// line with no span is a look-alike that must survive. Hand-labeled by the firstcall developers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { seed: { type: 'string', default: '9' } } });

type PiiType = 'PHONE' | 'EMAIL' | 'ID_CARD' | 'BANK_CARD' | 'IP';
interface Span {
  type: PiiType;
  start: number;
  end: number;
}
interface Row {
  id: string;
  lang: 'zh' | 'en';
  text: string;
  spans: Span[];
  tags: string[];
}

let state = Number(values.seed) >>> 0;
/** mulberry32: small, seeded, the same corpus on every machine. */
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');

// ------------------------------------------------------------------------------------------------
// Values.

const mobile = () => `1${pick(['3', '5', '7', '8', '9'])}${digits(9)}`;

function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0 && (d *= 2) > 9) d -= 9;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

function residentId(): string {
  const region = pick(['110105', '310104', '440305', '510104', '320102', '420106']);
  const y = 1950 + Math.floor(random() * 55);
  const m = 1 + Math.floor(random() * 12);
  const d = 1 + Math.floor(random() * 28);
  const body = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${digits(3)}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * weights[i]!;
  return body + '10X98765432'[sum % 11]!;
}

const bankCard = () => pick([() => luhnComplete(`6222${digits(11)}`), () => luhnComplete(`4${digits(14)}`), () => luhnComplete(`6217${digits(14)}`)])();
const group = (s: string, sizes: number[], sep = ' ') => {
  const parts: string[] = [];
  let at = 0;
  for (const n of sizes) {
    parts.push(s.slice(at, at + n));
    at += n;
  }
  if (at < s.length) parts.push(s.slice(at));
  return parts.join(sep);
};
const publicIp = () => `${pick([8, 23, 45, 61, 101, 114, 180, 203, 211])}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;

const LOCALS = ['li.na', 'zhang.san', 'wang_wei', 'chen88', 'jane.doe', 'mike.r', 'xiaoming2024', 'support.user', 'amy+orders'];
const DOMAINS = ['qq.com', '163.com', 'gmail.com', 'example.com', 'outlook.com', 'sina.cn', 'company.com.cn'];

// Spellings of a mobile number: [tag, spell]. Each keeps the number's identity; the span is the whole spelling.
const HAN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
const mapDigits = (s: string, zero: number) => s.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
const MOBILE_SPELLINGS: [string, (m: string) => string][] = [
  ['plain', (m) => m],
  ['3-4-4 spaces', (m) => group(m, [3, 4, 4])],
  ['3-4-4 dashes', (m) => group(m, [3, 4, 4], '-')],
  ['dots', (m) => group(m, [3, 4, 4], '.')],
  ['3-2-2-2-2', (m) => group(m, [3, 2, 2, 2, 2])],
  ['digit by digit', (m) => m.split('').join(' ')],
  ['zero-width space', (m) => group(m, [3, 4, 4], '\u200b')],
  ['zero-width joiner', (m) => group(m, [7, 4], '\u200d')],
  ['soft hyphen', (m) => group(m, [3, 4, 4], '\u00ad')],
  ['direction marks', (m) => `${m.slice(0, 3)}\u200f${m.slice(3, 7)}\u202a${m.slice(7)}`],
  ['full-width', (m) => mapDigits(m, 0xff10)],
  ['arabic-indic', (m) => mapDigits(m, 0x0660)],
  ['extended arabic-indic', (m) => mapDigits(m, 0x06f0)],
  ['mathematical bold', (m) => mapDigits(m, 0x1d7ce)],
  ['chinese numerals', (m) => m.replace(/[0-9]/g, (d) => HAN[Number(d)]!)],
  ['chinese numerals 幺 零', (m) => m.replace(/[0-9]/g, (d) => (d === '1' ? '幺' : d === '0' ? '零' : HAN[Number(d)]!))],
  ['+86', (m) => `+86 ${group(m, [3, 4, 4])}`],
  ['(+86)', (m) => `(+86)${m}`],
];

// ------------------------------------------------------------------------------------------------
// Templates: `{}` is where the value goes.

const MOBILE_TEMPLATES: [Row['lang'], string][] = [
  ['zh', '我的手机号是{}，麻烦尽快联系我。'],
  ['zh', '电话：{}，下午都在。'],
  ['zh', '快递员打{}就能找到我'],
  ['zh', '收件人李娜 {} 北京市朝阳区'],
  ['zh', '有问题请联系我{}谢谢'],
  ['en', 'my number is {}, call me after 6pm'],
  ['en', 'You can reach me at {} anytime.'],
  ['en', 'Please text {} when the courier arrives'],
  ['en', 'my order, call me at {}'],
  ['en', 'Contact: {} (mobile)'],
];
const EMAIL_TEMPLATES: [Row['lang'], string][] = [
  ['zh', '发票请发到我的邮箱{}，谢谢'],
  ['zh', '邮箱：{}'],
  ['en', 'Send the invoice to {} please.'],
  ['en', 'my email is {}'],
];
const GENERIC_TEMPLATES: Record<'ID_CARD' | 'BANK_CARD' | 'IP' | 'LANDLINE' | 'INTL', [Row['lang'], string][]> = {
  ID_CARD: [
    ['zh', '身份证号{}，请帮我核实'],
    ['zh', '实名信息：{}'],
    ['en', 'My ID number is {}.'],
  ],
  BANK_CARD: [
    ['zh', '退款到这张卡{}吧'],
    ['zh', '卡号 {}，户名李娜'],
    ['en', 'Refund to card {} please'],
  ],
  IP: [
    ['zh', '我的IP是{}，一直连不上'],
    ['en', 'Login blocked from {} again'],
  ],
  LANDLINE: [
    ['zh', '座机{}，工作日可以打'],
    ['en', 'office line {} ext. 12'],
  ],
  INTL: [
    ['en', 'call me on {} tomorrow'],
    ['zh', '我在国外，号码{}'],
  ],
};

// Look-alikes: order numbers, ids, dates, prices, tracking numbers, versions, hotlines. No spans.
const LOOKALIKE_TEMPLATES: [Row['lang'], string, () => string][] = [
  ['zh', '订单号：{}，还没发货', mobile],
  ['zh', '订单号{}的物流到哪了', mobile],
  ['zh', '商品ID:{}', () => `14${digits(9)}`],
  ['zh', '商品ID：{} 有货吗', mobile],
  ['zh', '运单号 {}', () => `77${digits(13)}`],
  ['zh', '快递单号{}', () => `SF${digits(13)}`],
  ['zh', '货号：{}', mobile],
  ['en', 'order no. {} has not shipped', mobile],
  ['en', 'Order #{} was refunded', mobile],
  ['en', 'order id: {}', mobile],
  ['en', 'tracking {} shows delivered', mobile],
  ['en', 'Tracking number: 1Z{}', () => `999AA1${digits(10)}`],
  ['en', 'SKU {} is out of stock', mobile],
  ['zh', '{}下单的', () => `2026-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 10)}`],
  ['zh', '订单是{}下的', () => `20260${1 + Math.floor(random() * 9)}1${Math.floor(random() * 10)}`],
  ['zh', '花了¥{}', () => `${1 + Math.floor(random() * 9)},${digits(3)}.${digits(2)}`],
  ['en', 'it cost ${}', () => `1,${digits(3)}.${digits(2)}`],
  ['en', 'firmware version {}', () => `13.${digits(1)}.${digits(4)}.${digits(4)}`],
  ['zh', '时间戳 {}', () => `17${digits(11)}`],
  ['en', 'router admin page is {}', () => pick(['192.168.1.1', '10.0.0.1', '172.16.0.254'])],
  ['zh', '客服热线 {}', () => pick(['400-820-8820', '800-820-8820', '95588'])],
  ['en', 'call our hotline {}', () => pick(['1-800-555-0199', '(888) 555-0199'])],
  ['zh', '用户名user_{}', mobile],
  ['en', 'my username is u{}abc', mobile],
  ['zh', '{}', () => `第${pick(['一二三四五六七八九十', '一二三'])}名`],
  ['zh', '订单号 ORD-2026-{}', () => digits(6)],
  ['zh', '买了 {} 件', () => `${1 + Math.floor(random() * 3)}`],
  ['en', 'iPhone {} Pro Max 256GB', () => `1${Math.floor(random() * 6)}`],
  ['zh', '日期{}', () => pick(['二〇二六年三月二日', '二〇二五年十二月一日'])],
  ['en', 'the {} invoice', () => `INV-${digits(8)}`],
];

// Hand-written lines; [[TYPE|value]] marks personal data.
const HAND_WRITTEN: [Row['lang'], string, string[]][] = [
  ['zh', '加vx[[PHONE|13812345678]]详聊', ['glued cue']],
  ['zh', '微信wx[[PHONE|15912345678]]', ['glued cue']],
  ['en', 'tel[[PHONE|13712345678]] thanks', ['glued cue']],
  ['en', 'ring [[PHONE|13612345678]]ok', ['glued chat word']],
  ['en', 'my order 12345 arrived broken, call me at [[PHONE|138 1234 5678]]', ['order in prose']],
  ['en', 'about my order: reach me on [[PHONE|18912345678]]', ['order in prose']],
  ['zh', '订单号 20260302123456789，电话[[PHONE|13912345678]]', ['mixed']],
  ['zh', '我的号码是[[PHONE|一三八 一二三四 五六七八]]', ['chinese numerals grouped']],
  ['zh', '电话[[PHONE|幺三八〇〇幺三八〇〇〇]]找我', ['chinese numerals 幺 〇']],
  ['zh', '邮箱[[EMAIL|li.na@例子.中国]]', ['idn email']],
  ['zh', '发到[[EMAIL|li.na@例子.中国]]谢谢', ['idn email']],
  ['en', 'mail [[EMAIL|müller@bücher.de]] please', ['idn email']],
  ['en', 'email [[EMAIL|li\u200b.na@example.com]]', ['zero-width email']],
  ['zh', '邮箱[[EMAIL|zhang＠163．com]]', ['full-width email']],
  ['zh', '[[EMAIL|a@b.com]]和[[EMAIL|c@d.cn]]都可以', ['two emails']],
  ['en', 'phone [[PHONE|１３８-１２３４-５６７８]] email [[EMAIL|amy@example.com]]', ['mixed']],
  ['zh', '身份证[[ID_CARD|11010519491231002X]]，银行卡[[BANK_CARD|6217 0012 3456 7890 122]]', ['mixed']],
  ['zh', '手机[[PHONE|1️⃣3️⃣8️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣]]', ['keycap emoji']],
  ['en', 'my cell is [[PHONE|𝟙𝟛𝟠𝟙𝟚𝟛𝟜𝟝𝟞𝟟𝟠]]', ['mathematical double-struck']],
  ['zh', '我打了[[PHONE|13800138000]]一次没人接', ['han numeral after a number']],
  ['zh', '请在[[PHONE|13800138000]]一下午都可以打', ['han numeral after a number']],
  ['en', '1 3 8 1 2 3 4 5 6 7 8 9 are the seat numbers', []],
  ['en', 'dates 13.08.2024 12:30 and 14.08.2024', []],
  ['zh', '价格 ¥138.12，数量 1 3 件', []],
  ['zh', '用户ID user_13800138000abc', []],
  ['en', 'case id 13812345678 escalated', []],
  ['en', 'invoice 13812345678 attached', []],
  ['zh', '工单号13812345678已关闭', []],
  ['zh', '版本号：1.2.3.4', []],
  ['en', 'my IP is [[IP|203.0.113.7]] and the router is 192.168.1.1', ['ip']],
];

// ------------------------------------------------------------------------------------------------

const rows: Row[] = [];
const add = (lang: Row['lang'], text: string, spans: Span[], tags: string[]) => rows.push({ id: `pii-${String(rows.length + 1).padStart(4, '0')}`, lang, text, spans, tags });

function fill(template: string, value: string, type?: PiiType): { text: string; spans: Span[] } {
  const at = template.indexOf('{}');
  return { text: template.replace('{}', value), spans: type ? [{ type, start: at, end: at + value.length }] : [] };
}

for (const [tag, spell] of MOBILE_SPELLINGS) {
  for (let i = 0; i < 8; i++) {
    const [lang, template] = MOBILE_TEMPLATES[(i + rows.length) % MOBILE_TEMPLATES.length]!;
    const { text, spans } = fill(template, spell(mobile()), 'PHONE');
    add(lang, text, spans, ['PHONE', tag]);
  }
}
for (let i = 0; i < 36; i++) {
  const [lang, template] = pick(EMAIL_TEMPLATES);
  const local = pick(LOCALS);
  const domain = pick(DOMAINS);
  const variant = i % 4;
  const email = variant === 1 ? `${local}\u200b@${domain}` : variant === 2 ? `${local}＠${domain}` : `${local}@${domain}`;
  const { text, spans } = fill(template, email, 'EMAIL');
  add(lang, text, spans, ['EMAIL', ['plain', 'zero-width', 'full-width at', 'plain'][variant]!]);
}
const generic: [keyof typeof GENERIC_TEMPLATES, PiiType, () => string, number][] = [
  ['ID_CARD', 'ID_CARD', () => (random() < 0.3 ? group(residentId(), [6, 8, 4]) : residentId()), 24],
  ['BANK_CARD', 'BANK_CARD', () => (random() < 0.5 ? group(bankCard(), [4, 4, 4, 4, 4]) : bankCard()), 24],
  ['IP', 'IP', publicIp, 14],
  ['LANDLINE', 'PHONE', () => pick([`010-${digits(1).replace('0', '6')}${digits(7)}`, `0755-${digits(1).replace('0', '8')}${digits(7)}`, `(021)6${digits(7)}`]), 14],
  ['INTL', 'PHONE', () => pick([`+44 20 7${digits(3)} ${digits(4)}`, `+1 (415) 5${digits(2)}-${digits(4)}`, `+852 2${digits(3)} ${digits(4)}`]), 14],
];
for (const [kind, type, value, n] of generic) {
  for (let i = 0; i < n; i++) {
    const [lang, template] = pick(GENERIC_TEMPLATES[kind]);
    const { text, spans } = fill(template, value(), type);
    add(lang, text, spans, [type, kind.toLowerCase()]);
  }
}
for (let round = 0; round < 4; round++) {
  for (const [lang, template, value] of LOOKALIKE_TEMPLATES) add(lang, fill(template, value()).text, [], ['look-alike']);
}
for (const [lang, marked, tags] of HAND_WRITTEN) {
  const spans: Span[] = [];
  let text = '';
  let last = 0;
  for (const m of marked.matchAll(/\[\[(PHONE|EMAIL|ID_CARD|BANK_CARD|IP)\|(.+?)\]\]/g)) {
    text += marked.slice(last, m.index);
    spans.push({ type: m[1] as PiiType, start: text.length, end: text.length + m[2]!.length });
    text += m[2];
    last = m.index + m[0].length;
  }
  text += marked.slice(last);
  add(lang, text, spans, ['hand-written', ...(spans.length === 0 ? ['look-alike'] : []), ...tags]);
}

const out = join(import.meta.dirname, 'pii-corpus.jsonl');
writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
const counts: Record<string, number> = {};
for (const r of rows) for (const s of r.spans) counts[s.type] = (counts[s.type] ?? 0) + 1;
console.log(`wrote ${rows.length} lines to ${out}: spans ${JSON.stringify(counts)}, ${rows.filter((r) => r.spans.length === 0).length} look-alike lines`);
