// Synthetic personal data for customer turns (so ingest redaction has work to do), with the
// checksums real validators use: mainland ID numbers (ISO 7064 MOD 11-2) and card numbers (Luhn).
import type { Rng } from './rng.ts';
import { civilFromDays } from './time.ts';

export const PII_KINDS = ['phone', 'email', 'resident_id', 'bank_card', 'address'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

const MOBILE_PREFIXES = [
  '130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '156',
  '157', '158', '159', '166', '173', '175', '176', '177', '178', '180', '181', '182', '183', '185',
  '186', '187', '188', '189', '191', '193', '195', '198', '199',
] as const;

/** An 11-digit mainland mobile number such as 13812345678. */
export function mainlandMobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + rng.digits(8);
}

/** Mobile number as written or read out: 13812345678, 138 1234 5678 or 138-1234-5678. */
export function formatMobile(mobile: string, style: 0 | 1 | 2): string {
  if (style === 0) return mobile;
  const sep = style === 1 ? ' ' : '-';
  return mobile.slice(0, 3) + sep + mobile.slice(3, 7) + sep + mobile.slice(7);
}

/** Foreign numbers in ranges reserved for fiction or documentation where one exists. */
export function internationalMobile(rng: Rng, offsetMin: number): string {
  if (offsetMin <= -240) return '+1 202-555-01' + rng.digits(2);
  if (offsetMin === 0 || offsetMin === 60) return '+44 7700 900' + rng.digits(3);
  if (offsetMin === 330) return '+91 98' + rng.digits(3) + ' ' + rng.digits(5);
  if (offsetMin === 600) return '+61 491 570 ' + rng.int(156, 159);
  return '+65 9' + rng.digits(3) + ' ' + rng.digits(4);
}

const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.cn', 'inbox.example.com'] as const;

export function email(rng: Rng, handle: string): string {
  const sep = rng.pick(['', '.', '_'] as const);
  const tail = rng.chance(0.6) ? String(rng.int(1, 9999)) : '';
  return handle.replace(' ', sep) + tail + '@' + rng.pick(EMAIL_DOMAINS);
}

const AREA_CODES = [
  '110101', '110105', '110108', '310104', '310115', '440106', '440305', '330106', '510107',
  '420106', '320102', '370102', '610113', '500103', '120101', '350203',
] as const;
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

function residentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return ID_CHECK[sum % 11] as string;
}

/** An 18-digit resident ID number with a valid check character, born on `birthDay` (a day number). */
export function residentId(rng: Rng, birthDay: number): string {
  const c = civilFromDays(birthDay);
  const first17 =
    rng.pick(AREA_CODES) + c.y + String(c.m).padStart(2, '0') + String(c.d).padStart(2, '0') + rng.digits(3);
  return first17 + residentIdCheck(first17);
}

export function isValidResidentId(id: string): boolean {
  return /^\d{17}[\dX]$/.test(id) && residentIdCheck(id.slice(0, 17)) === id[17];
}

function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function luhnValid(digits: string): boolean {
  return /^\d{12,19}$/.test(digits) && luhnCheckDigit(digits.slice(0, -1)) === digits[digits.length - 1];
}

const UNIONPAY_BINS = ['622202', '622848', '621700', '622588', '620522', '621226'] as const;
const INTL_BINS = ['4539', '4716', '4929', '5425', '5312', '5598'] as const;

/** A Luhn-valid card number: UnionPay (16 or 19 digits) for zh, Visa/Mastercard (16) for en. */
export function bankCard(rng: Rng, zh: boolean): string {
  const bin = zh ? rng.pick(UNIONPAY_BINS) : rng.pick(INTL_BINS);
  const length = zh && rng.chance(0.4) ? 19 : 16;
  const payload = bin + rng.digits(length - 1 - bin.length);
  return payload + luhnCheckDigit(payload);
}

/** Card number as typed: run together or in groups of four. */
export function formatCard(card: string, grouped: boolean): string {
  return grouped ? card.replace(/(\d{4})(?=\d)/g, '$1 ') : card;
}
