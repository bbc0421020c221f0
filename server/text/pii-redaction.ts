// Finds and masks personal data in dialogue text: phone numbers, ID cards, bank cards, e-mails, public IPs.
//
// Runs on every turn during ingest, so a cheap character scan lets text without a long digit run or an
// '@' through untouched. Otherwise each pattern proposes candidates on a normalised copy of the text
// (full-width digits and punctuation mapped to ASCII, same length so offsets carry over), validators
// (checksums, birth dates, card prefixes, contexts) drop implausible ones, and overlaps are resolved by
// type priority, then length.

export const PII_TYPES = ['EMAIL', 'ID_CARD', 'BANK_CARD', 'PHONE', 'IP'] as const;
export type PiiType = (typeof PII_TYPES)[number];

export const PII_PLACEHOLDERS: Readonly<Record<PiiType, string>> = Object.freeze({
  EMAIL: '[EMAIL]',
  ID_CARD: '[ID_CARD]',
  BANK_CARD: '[BANK_CARD]',
  PHONE: '[PHONE]',
  IP: '[IP]',
});

/** A span of `text` (UTF-16 offsets, end exclusive). */
export interface PiiMatch {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
}

export interface RedactionResult {
  /** The input itself (same string) when nothing was found. */
  readonly text: string;
  readonly counts: Readonly<Partial<Record<PiiType, number>>>;
}

const NO_COUNTS: Readonly<Partial<Record<PiiType, number>>> = Object.freeze({});

export function redactPii(text: string): RedactionResult {
  const flags = scan(text);
  if ((flags & ANY_SIGNAL) === 0) return { text, counts: NO_COUNTS };
  const matches = resolve(collect(text, flags, false), text.length);
  if (matches.length === 0) return { text, counts: NO_COUNTS };
  const counts: Partial<Record<PiiType, number>> = {};
  let out = '';
  let last = 0;
  for (const m of matches) {
    out += text.slice(last, m.start) + PII_PLACEHOLDERS[m.type];
    last = m.end;
    counts[m.type] = (counts[m.type] ?? 0) + 1;
  }
  return { text: out + text.slice(last), counts };
}

/** Non-overlapping matches in text order. */
export function findPii(text: string): PiiMatch[] {
  const flags = scan(text);
  if ((flags & ANY_SIGNAL) === 0) return [];
  return resolve(collect(text, flags, false), text.length).map(({ type, start, end }) => ({ type, start, end }));
}

export function containsPii(text: string): boolean {
  const flags = scan(text);
  if ((flags & ANY_SIGNAL) === 0) return false;
  return collect(text, flags, true).length > 0;
}

// ---------------------------------------------------------------------------------------------------
// Pre-scan: one pass over the char codes, no allocation.

const HAS_AT = 1;
/**
 * A run of >= 9 digits, possibly split by spaces, dashes, dots, slashes, parens or '+'. Nothing shorter
 * is ever redacted (the shortest accepted number is a 9-digit E.164 one), and 9 lets bare dates such as
 * 2026-03-02 or 20260302 take the fast path.
 */
const MIN_DIGITS = 9;
const HAS_NUMBER = 2;
const HAS_DOTTED = 4; // a dotted run like 1.2.3.4 (too short for HAS_NUMBER)
const HAS_WIDE = 8; // full-width or typographic characters that need mapping to ASCII
const ANY_SIGNAL = HAS_AT | HAS_NUMBER | HAS_DOTTED;

/** Full-width ASCII variants, the ideographic space, NBSP and typographic dashes map to one ASCII char. */
function toAscii(c: number): number {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
  if (c === 0x3000 || c === 0xa0 || (c >= 0x2000 && c <= 0x200a)) return 32;
  if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || c === 0xfe63) return 45;
  return c;
}

function scan(text: string): number {
  let flags = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c > 127) {
      const a = toAscii(c);
      if (a !== c) {
        flags |= HAS_WIDE;
        c = a;
      }
    }
    if (c >= 48 && c <= 57) {
      if (++digits >= MIN_DIGITS) flags |= HAS_NUMBER;
      else if (dots >= 3) flags |= HAS_DOTTED;
    } else if (c === 46) {
      if (digits > 0) dots++;
    } else if (c !== 32 && c !== 45 && c !== 40 && c !== 41 && c !== 43 && c !== 47) {
      if (c === 64) flags |= HAS_AT;
      digits = 0;
      dots = 0;
    }
  }
  return flags;
}

function normalise(text: string): string {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 127) continue;
    const a = toAscii(c);
    if (a === c) continue;
    out += text.slice(last, i) + String.fromCharCode(a);
    last = i + 1;
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------------------------------------------
// Patterns. Every quantifier is bounded or split by a mandatory separator, so matching stays linear.

/**
 * A match never continues a run of ASCII letters/digits (CJK characters are fine neighbours), a decimal
 * (`3.13800138000`), or a dashed code whose neighbouring group is short (`ORD-2026-13800138000`,
 * `6222-0755-1234-5678`); a dash between two long numbers (`13800138000-13900139000`) separates them.
 */
const BEFORE = String.raw`(?<![A-Za-z0-9_]|[0-9]\.|(?<![0-9])[0-9]{1,4}-)`;
const AFTER = String.raw`(?![A-Za-z0-9_]|\.[0-9]|-[0-9]{1,4}(?![0-9]))`;
const EXTENSION = String.raw`(\s?(?:[Ee]xt\.?|[Xx]|转|分机)\s?[0-9]{1,6})?`;
const CN_AREA = String.raw`0(?:10|2[0-9]|[3-9][0-9]{2})`;
const OCTET = String.raw`(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])`;

const RANK: Readonly<Record<PiiType, number>> = { EMAIL: 0, ID_CARD: 1, BANK_CARD: 2, PHONE: 3, IP: 4 };

interface Pattern {
  readonly type: PiiType;
  readonly regex: RegExp;
  /** Needs HAS_NUMBER (most) or only HAS_DOTTED (IP). */
  readonly dotted?: boolean;
  readonly accept: (match: RegExpExecArray, norm: string) => boolean;
}

const re = (source: string) => new RegExp(BEFORE + source + AFTER, 'g');

const PATTERNS: readonly Pattern[] = [
  {
    type: 'ID_CARD', // 18 characters, optionally grouped 6-8-4
    regex: re(String.raw`[1-9][0-9]{5}[ -]?[0-9]{8}[ -]?[0-9]{3}[0-9Xx]`),
    accept: (m) => isResidentId18(stripSeparators(m[0])),
  },
  {
    type: 'ID_CARD', // pre-1999 15-digit format: region + YYMMDD + sequence, no checksum
    regex: re(String.raw`[1-9][0-9]{14}`),
    accept: (m, norm) => isResidentId15(m[0]) && !labelledAsNonPersonal(norm, m.index),
  },
  {
    type: 'BANK_CARD',
    regex: re(String.raw`[1-9][0-9]{12,18}`),
    accept: (m, norm) => isCardNumber(m[0]) && !labelledAsNonPersonal(norm, m.index),
  },
  {
    type: 'BANK_CARD', // 4-4-4-4(-3), or Amex/Diners 4-6-5 / 4-6-4
    regex: re(String.raw`[0-9]{4}(?:[ -][0-9]{4}[ -][0-9]{4}[ -][0-9]{1,4}(?:[ -][0-9]{1,3})?|[ -][0-9]{6}[ -][0-9]{4,5})`),
    accept: (m, norm) => isCardNumber(stripSeparators(m[0])) && !labelledAsNonPersonal(norm, m.index),
  },
  {
    type: 'PHONE', // mainland mobile, 11 digits (3-4-4 or 4-4-3 groups allowed), optional +86 / 0086 / 86 / (+86)
    regex: re(String.raw`(?:(?:\+|00)?86[ -]?|\(\+?86\)[ -]?)?1[3-9][0-9](?:[0-9]{8}|[ -][0-9]{4}[ -][0-9]{4}|[0-9][ -][0-9]{4}[ -][0-9]{3})`),
    accept: (m, norm) => m[0].length !== 11 || !labelledAsNonPersonal(norm, m.index),
  },
  {
    type: 'PHONE', // mainland landline: (021)12345678, 010-12345678, 0755 1234 5678, 02112345678, optional extension
    regex: re(String.raw`(?:\(${CN_AREA}\)[ -]?|${CN_AREA}[ -]?)(?:[1-9][0-9]{6,7}|[1-9][0-9]{2,3}[ -][0-9]{4})(\s?(?:[Ee]xt\.?|[Xx]|转|分机)\s?[0-9]{1,6}|-[0-9]{1,6})?`),
    accept: (m, norm) => !/^[0-9]+$/.test(m[0]) || !labelledAsNonPersonal(norm, m.index),
  },
  {
    type: 'PHONE', // international with separators: +44 20 7946 0958, +1 (415) 555-2671, +33 1 23 45 67 89, 0044 20 7946 0958
    regex: re(String.raw`(?:\+|00)[1-9][0-9]{0,2}(?:[ .-]?\([0-9]{1,4}\)[ .-]?|[ .-])[0-9]{1,8}(?:[ .-][0-9]{2,8}){0,5}${EXTENSION}`),
    accept: (m) => isInternationalNumber(withoutExtension(m)),
  },
  {
    type: 'PHONE', // E.164 without separators: +8613800138000, +442079460958
    regex: re(String.raw`\+[1-9][0-9]{7,14}`),
    accept: (m) => isInternationalNumber(m[0]),
  },
  {
    type: 'PHONE', // North American: (977) 625-2661, 415-555-2671, 415.555.2671, 1-415-555-2671
    regex: re(String.raw`(?:1[ .-]?)?(?:\([2-9][0-9]{2}\)[ .-]?|[2-9][0-9]{2}[ .-])[2-9][0-9]{2}[ .-][0-9]{4}${EXTENSION}`),
    accept: (m) => !isServiceNumber(stripNonDigits(withoutExtension(m)).replace(/^1/, '')),
  },
  {
    type: 'IP', // public IPv4 only
    regex: re(`${OCTET}(?:\\.${OCTET}){3}`),
    dotted: true,
    accept: (m, norm) => isPublicIpv4(m[0]) && !VERSION_LABEL.test(norm.slice(Math.max(0, m.index - 16), m.index)),
  },
];

interface Candidate extends PiiMatch {
  readonly rank: number;
}

function collect(text: string, flags: number, firstOnly: boolean): Candidate[] {
  const norm = flags & HAS_WIDE ? normalise(text) : text;
  const found: Candidate[] = [];
  if (flags & HAS_AT) {
    findEmails(norm, found);
    if (firstOnly && found.length > 0) return found;
  }
  if ((flags & (HAS_NUMBER | HAS_DOTTED)) === 0) return found;
  for (const pattern of PATTERNS) {
    if (!(flags & HAS_NUMBER) && !pattern.dotted) continue;
    const { regex } = pattern;
    regex.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = regex.exec(norm)) !== null) {
      if (pattern.accept(m, norm)) {
        found.push({ type: pattern.type, start: m.index, end: m.index + m[0].length, rank: RANK[pattern.type] });
        if (firstOnly) return found;
      } else {
        // A rejected candidate may hide a valid one starting inside it (after a separator).
        regex.lastIndex = m.index + 1;
      }
    }
  }
  return found;
}

const byStart = (a: Candidate, b: Candidate) => a.start - b.start || b.end - a.end;

/**
 * Overlaps (an e-mail holding a phone number, an ID card that also passes Luhn, two phone patterns on
 * one number) go to the type with the strongest evidence, then the longest span, then the earliest.
 */
function resolve(candidates: Candidate[], length: number): Candidate[] {
  if (candidates.length <= 1) return candidates;
  candidates.sort(byStart);
  let overlapping = false;
  for (let i = 1; i < candidates.length && !overlapping; i++) overlapping = candidates[i]!.start < candidates[i - 1]!.end;
  if (!overlapping) return candidates;
  candidates.sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken = new Uint8Array(length); // linear in the text, however many candidates overlap
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (taken.subarray(c.start, c.end).includes(1)) continue;
    taken.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort(byStart);
}

// ---------------------------------------------------------------------------------------------------
// E-mail: expand around each '@' instead of a regex, which would retry the local part at every offset.

const EMAIL_DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

function isLocalChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

function findEmails(norm: string, found: Candidate[]): void {
  let at = norm.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && isLocalChar(norm.charCodeAt(start - 1))) start--;
    while (start < at && norm.charCodeAt(start) === 46) start++; // a local part cannot start with '.'
    let end = at + 1;
    while (end < norm.length && isDomainChar(norm.charCodeAt(end))) end++;
    while (end > at + 1 && (norm.charCodeAt(end - 1) === 46 || norm.charCodeAt(end - 1) === 45)) end--; // sentence-final '.'
    const domain = norm.slice(at + 1, end);
    if (start < at && domain.length <= 253 && EMAIL_DOMAIN.test(domain)) {
      found.push({ type: 'EMAIL', start, end, rank: RANK.EMAIL });
    }
    at = norm.indexOf('@', at + 1);
  }
}

// ---------------------------------------------------------------------------------------------------
// Validators.

function stripSeparators(s: string): string {
  return s.replace(/[ -]/g, '');
}

function stripNonDigits(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

/** The match without a trailing extension (capture group 1 of the phone patterns). */
function withoutExtension(m: RegExpExecArray): string {
  return m[1] === undefined ? m[0] : m[0].slice(0, m[0].length - m[1].length);
}

/**
 * Numbers labelled as something else ("订单号：", "tracking no.", "IMEI:") right before them. Only used
 * for weak patterns (Luhn passes one random number in ten); the label must touch the number, so
 * "the order I paid with 4111 1111 1111 1111" is still redacted.
 */
const NON_PERSONAL_LABEL =
  /(?:订单|单号|运单|工单|发票|序列号|串号|条码|条形码|imei|meid|\border|\btracking|waybill|invoice|\bticket|\bserial|\bsn|\bs\/n|\bsku)\s*(?:号码|号|编号|no\.?|number|num|id|#)?\s*[:：#]?\s*(?:是|为|is)?\s*$/i;

function labelledAsNonPersonal(norm: string, start: number): boolean {
  return NON_PERSONAL_LABEL.test(norm.slice(Math.max(0, start - 24), start));
}

const VERSION_LABEL = /(?:版本|固件|version|firmware|build|\bver\.?)\s*(?:号)?\s*[:：]?\s*(?:是|为|is)?\s*$/i;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** GB 11643: region, birth date and the mod-11 check character. */
function isResidentId18(id: string): boolean {
  if (!isRegion(id) || !isBirthDate(Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14)))) {
    return false;
  }
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === id[17]!.toUpperCase();
}

/** Issued before 1999 to people born in the 1900s: region + YYMMDD + 3-digit sequence. */
function isResidentId15(id: string): boolean {
  return isRegion(id) && isBirthDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
}

/** Province codes (11-82), Taiwan residence permits (83), foreigners' permanent residence IDs (91-98). */
function isRegion(id: string): boolean {
  const p = Number(id.slice(0, 2));
  return (
    (p >= 11 && p <= 15) ||
    (p >= 21 && p <= 23) ||
    (p >= 31 && p <= 37) ||
    (p >= 41 && p <= 46) ||
    (p >= 50 && p <= 54) ||
    (p >= 61 && p <= 65) ||
    p === 71 ||
    p === 81 ||
    p === 82 ||
    p === 83 ||
    (p >= 91 && p <= 98)
  );
}

/** A real calendar date between 1900 and 2099 (fixed bounds keep the function pure). */
function isBirthDate(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
  const days = m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= days;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double && (d *= 2) > 9) d -= 9;
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer prefix and length must fit a real scheme, then Luhn. Order numbers starting 2026... never fit. */
function isCardNumber(d: string): boolean {
  const n = d.length;
  const p2 = Number(d.slice(0, 2));
  const p4 = Number(d.slice(0, 4));
  let plausible: boolean;
  switch (d[0]) {
    case '4': // Visa
      plausible = n === 13 || n === 16 || n === 19;
      break;
    case '5': // Mastercard 51-55 (16), Maestro (16-19)
      plausible = p2 >= 51 && p2 <= 55 ? n === 16 : n >= 16;
      break;
    case '2': // Mastercard 2-series
      plausible = p4 >= 2221 && p4 <= 2720 && n === 16;
      break;
    case '3': // Amex 34/37 (15), JCB 3528-3589, Diners 300-305/3095/36/38/39
      if (p2 === 34 || p2 === 37) plausible = n === 15;
      else if (p4 >= 3528 && p4 <= 3589) plausible = n >= 16;
      else plausible = (p2 === 36 || p2 === 38 || p2 === 39 || (p4 >= 3000 && p4 <= 3059) || p4 === 3095) && n >= 14;
      break;
    case '6': // UnionPay 62, Discover 6011/64/65, Maestro
      plausible = n >= 16;
      break;
    case '9': // older domestic-only Chinese debit cards (9558..., 95599...)
      plausible = p2 === 95 && n === 19;
      break;
    default:
      plausible = false;
  }
  return plausible && luhn(d);
}

/** 9-15 digits after the '+' or '00' (E.164 allows 8, used by a few microstates only), not a service line. */
function isInternationalNumber(s: string): boolean {
  let d = stripNonDigits(s);
  if (s.startsWith('00')) d = d.slice(2);
  if (d.length < MIN_DIGITS || d.length > 15) return false;
  if (d.startsWith('1')) return !isServiceNumber(d.slice(1));
  if (d.startsWith('86')) return !/^(?:400|800)/.test(d.slice(2));
  return true;
}

/** Businesses, not people: North American toll-free codes and Chinese 400/800 hotlines written 3-3-4. */
function isServiceNumber(tenDigits: string): boolean {
  return /^(?:400|800|833|844|855|866|877|888)/.test(tenDigits);
}

/** Private, loopback, link-local, CGNAT, multicast and reserved addresses identify no one (and 192.168.1.1 is in router FAQs). */
function isPublicIpv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.', 2).map(Number);
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  return true;
}
