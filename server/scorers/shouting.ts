// Capitals that shout ("I want this fixed NOW", "THIS IS UNACCEPTABLE") versus capitals that are
// just codes: firstcall's own redaction placeholders ([PHONE], [ID_CARD]), booking references
// (HXDUBJ), product and order codes (SKU-AB12, A1B2C3, 4G) and acronyms (VIP, IMEI, USB). On real
// logs the old rule ("any all-caps word of five letters or more") read 24 of 25 customers of one
// agent set as angry because of their placeholders and booking codes.
import { isWordShaped } from '../text/text-normalise.ts';

/** Capitalised words that shout on their own, whatever their length. */
const SHOUT_WORDS = new Set(['NOW', 'NEVER', 'NOT', 'STILL', 'WHY', 'HELP', 'STOP', 'TODAY', 'AGAIN', 'SERIOUSLY', 'IMMEDIATELY', 'REFUND', 'WORST']);

/** Upper-case names that are neither shouting nor codes. */
export const ACRONYMS = new Set([
  'IMEI', 'OLED', 'HDMI', 'WIFI', 'ASAP', 'NVIDIA', 'SAMSUNG', 'HUAWEI', 'XIAOMI', 'LENOVO', 'APPLE', 'SONY', 'DYSON', 'VIP', 'USB', 'SIM', 'ESIM', 'NFC',
  'GPS', 'LCD', 'LED', 'SSD', 'RAM', 'CPU', 'GPU', 'APP', 'IOS', 'SMS', 'OTP', 'PIN', 'PDF', 'FAQ', 'CEO', 'USA', 'UK', 'EU', 'OK', 'TV', 'PC', 'ID',
  'CRM', 'SKU', 'UPS', 'DHL', 'FEDEX', 'USPS', 'EMS', 'PAYPAL', 'VISA', 'AMEX', 'IBAN', 'SWIFT', 'BLUETOOTH', 'ANDROID', 'WECHAT', 'ALIPAY', 'TAOBAO',
  'JD', 'AM', 'PM', 'GMT', 'UTC', 'CST', 'EST', 'PST', 'ETA', 'RMA', 'QR', 'URL', 'HTTP', 'HTTPS', 'WWW', 'DIY', 'AC', 'DC', 'HD', 'UHD', 'HDR', 'NBA',
]);

/** Redaction placeholders and template slots: `[PHONE]`, `[ID_CARD]`, `{{Order Number}}`, `<NAME>`. */
const PLACEHOLDER = /\[[A-Z][A-Z0-9_ ]{1,30}\]|\{\{[^{}]{1,40}\}\}|<[A-Z][A-Z_]{1,30}>/g;
const URL_OR_EMAIL = /\bhttps?:\/\/\S+|\bwww\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gi;
/** Letters, digits and inner hyphens or slashes, as one token: SKU-AB12 is one code, not SKU and AB12. */
const TOKEN = /(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*(?![A-Za-z0-9])/g;

/** The longest all-caps token that can still be a code when it does not read as a word (booking references are 6). */
const MAX_CODE_LETTERS = 8;

/**
 * A token that names something rather than shouts: a placeholder, anything with a digit or joined
 * by a hyphen (SKU-AB12, 4G, A1B2), a known acronym, a one- or two-letter token, or a capitalised
 * token of up to eight letters that does not read as an English word (HXDUBJ, KFZTQM).
 */
export function isCodeToken(token: string): boolean {
  if (/[\d\-/]/.test(token)) return true;
  if (ACRONYMS.has(token) || token.length <= 2) return true;
  return token.length <= MAX_CODE_LETTERS && !isWordShaped(token) && !SHOUT_WORDS.has(token);
}

/** A label right before a token says it is a code: "booking ref ABCDEF", "订单号 ABCDEF", "PNR: ABCDEF". */
const CODE_LABEL = /(?:booking|reference|ref|code|order|confirmation|pnr|voucher|coupon|ticket|tracking|编号|单号|订单|预订|确认码|取件码|验证码|优惠码|兑换码)(?:\s*(?:no\.?|number|#))?\s*(?:[:：#]|is|是|为)?\s*$/i;

/**
 * The shouted words of a message: a capitalised shout word (NOW, NEVER…), a capitalised word of five
 * letters or more that is not a code, or capitalised words in a row ("I WANT MY MONEY BACK").
 * Placeholders, URLs and e-mail addresses are removed first.
 */
export function shoutedWords(text: string): string[] {
  const clean = text.replace(PLACEHOLDER, ' ').replace(URL_OR_EMAIL, ' ');
  const tokens = [...clean.matchAll(TOKEN)];
  // Capitalised words (two-letter ones like MY and IS too, so they join a run) that are not codes.
  const caps = tokens.map((t) => {
    const w = t[0];
    if (!/^[A-Z]{2,}$/.test(w) || ACRONYMS.has(w)) return false;
    if (w.length > 2 && isCodeToken(w)) return false;
    return !CODE_LABEL.test(clean.slice(Math.max(0, t.index - 24), t.index));
  });
  const adjacent = (i: number, j: number) => j >= 0 && j < tokens.length && caps[j] === true && /^[\s,.!?！？]*$/.test(clean.slice(Math.min(tokens[i]!.index + tokens[i]![0].length, tokens[j]!.index + tokens[j]![0].length), Math.max(tokens[i]!.index, tokens[j]!.index)));
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!caps[i]) continue;
    const word = tokens[i]![0];
    if (SHOUT_WORDS.has(word) || word.length >= 5) out.push(word);
    else if (word.length >= 3 && (adjacent(i, i - 1) || adjacent(i, i + 1))) out.push(word);
  }
  return [...new Set(out)];
}
