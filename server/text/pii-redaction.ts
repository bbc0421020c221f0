// Finds and masks personal data in dialogue text: phone numbers, ID cards, bank cards, e-mails, public IPs.
//
// Runs on every turn during ingest, so a cheap character scan lets text without a long digit run or an
// '@' through untouched. Otherwise the text is normalised (NFKC per character, format characters such as
// zero-width spaces, soft hyphens and direction marks dropped, every decimal digit of any script and
// runs of Chinese numerals mapped to ASCII digits) with an index map back to the original, each pattern
// proposes candidates on the normalised copy, validators (checksums, birth dates, card prefixes, the label
// right before a number) drop implausible ones, overlaps are resolved by type priority, then length, and
// the surviving spans are replaced in the original text, which is otherwise kept as it was.

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
  const matches = findPii(text);
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

/** Non-overlapping matches in text order, as offsets into `text` itself (not its normalised copy). */
export function findPii(text: string): PiiMatch[] {
  const flags = scan(text);
  if ((flags & ANY_SIGNAL) === 0) return [];
  const view = flags & HAS_CHANGE ? normalise(text) : undefined;
  const norm = view ? view.norm : text;
  const starts = view?.starts;
  const ends = view?.ends;
  const found = resolve(collect(norm, flags, false), norm.length);
  const matches: PiiMatch[] = [];
  let floor = 0;
  for (const { type, start, end } of found) {
    // A normalised character can stand for several original ones and the reverse (⑩ -> "10"): clamp.
    const s = Math.max(floor, starts ? starts[start]! : start);
    let e = ends ? ends[end - 1]! : end;
    while (ends && e < text.length && isDroppedMark(text.charCodeAt(e))) e++; // the keycap of 8️⃣ goes with its digit
    if (e <= s) continue;
    matches.push({ type, start: s, end: e });
    floor = e;
  }
  return matches;
}

/**
 * False when no pattern can match anywhere in `text.slice(from, to)`: exactly the pre-scan containsPii
 * and findPii start with (one pass over the char codes, no allocation, no slice). True means only "look closer".
 */
export function mayContainPii(text: string, from = 0, to = text.length): boolean {
  return (scan(text, from, to) & ANY_SIGNAL) !== 0;
}

export function containsPii(text: string): boolean {
  const flags = scan(text);
  if ((flags & ANY_SIGNAL) === 0) return false;
  return collect(flags & HAS_CHANGE ? normalise(text).norm : text, flags, true).length > 0;
}

// ---------------------------------------------------------------------------------------------------
// Character classes: what each non-ASCII character becomes in the normalised copy. Built once, on first
// use, for the Basic Multilingual Plane (about 20 ms); astral characters (mathematical digits, emoji) are
// classified on demand and cached.

const C_INERT = 0; // unchanged by NFKC, not a digit: kept as is
const C_DIGIT = 1; // a decimal digit of any script, or NFKC of it is one (full-width, superscript, circled)
const C_SEP = 2; // becomes a separator the patterns know: space, '-', '.', '(', ')', '+', '/'
const C_FORMAT = 3; // format character or variation selector: dropped (zero-width space, soft hyphen, LRM, ...)
const C_AT = 4; // becomes '@'
const C_HAN = 5; // a Chinese numeral used as a digit (一..九, 〇/零, 幺, 壹..玖): a digit only inside a run of them
const C_MAPPED = 6; // NFKC turns it into other text (ｂ -> b, ⑩ -> 10, … -> ...)

interface CharTables {
  cls: Uint8Array;
  value: Uint8Array;
  mapped: Map<number, string>;
  /** What scan() does with each UTF-16 unit (S_* below, | S_CHANGED when the normalised copy differs). */
  step: Uint8Array;
}

let tables: CharTables | undefined;
const astral = new Map<number, number>(); // code point -> class | value << 4 (C_MAPPED text in tables.mapped)

const DECIMAL = /\p{Nd}/u;
const FORMAT = /\p{Cf}/u;
const HAN_DIGITS: Readonly<Record<string, number>> = {
  〇: 0, 零: 0, 一: 1, 幺: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
  壹: 1, 贰: 2, 貳: 2, 叁: 3, 參: 3, 肆: 4, 伍: 5, 陆: 6, 陸: 6, 柒: 7, 捌: 8, 玖: 9,
};
const SEPARATORS = ' -.()+/';

function isDroppedMark(cp: number): boolean {
  // Variation selectors, the keycap mark (1️⃣) and Mongolian free variation selectors render nothing themselves.
  return (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0x20e3 || (cp >= 0x180b && cp <= 0x180d) || (cp >= 0xe0100 && cp <= 0xe01ef);
}

/** Class (low 4 bits) and digit value (high bits) of one code point; C_MAPPED text goes to `mapped`. */
function classify(cp: number, mapped: Map<number, string>, decimalRun: number): number {
  const s = String.fromCodePoint(cp);
  if ((cp >= 0x2010 && cp <= 0x2015) || cp === 0x2212 || cp === 0xfe58 || cp === 0xfe63) {
    mapped.set(cp, '-'); // typographic dashes and the minus sign, which NFKC keeps
    return C_SEP;
  }
  if (DECIMAL.test(s)) return C_DIGIT | ((decimalRun % 10) << 4); // Unicode encodes each script's 0..9 contiguously
  if (FORMAT.test(s) || isDroppedMark(cp)) return C_FORMAT;
  const han = HAN_DIGITS[s];
  if (han !== undefined) return C_HAN | (han << 4);
  const k = s.normalize('NFKC');
  if (k === s) return C_INERT;
  if (k.length === 1 && k >= '0' && k <= '9') return C_DIGIT | ((k.charCodeAt(0) - 48) << 4);
  mapped.set(cp, k);
  if (k === '@') return C_AT;
  if (k.length === 1 && SEPARATORS.includes(k)) return C_SEP;
  return C_MAPPED;
}

function charTables(): CharTables {
  if (tables) return tables;
  const cls = new Uint8Array(0x10000);
  const value = new Uint8Array(0x10000);
  const mapped = new Map<number, string>();
  let run = 0;
  for (let cp = 0x80; cp < 0x10000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const k = classify(cp, mapped, run);
    run = (k & 15) === C_DIGIT && DECIMAL.test(String.fromCharCode(cp)) ? run + 1 : 0;
    cls[cp] = k & 15;
    value[cp] = k >> 4;
  }
  const step = new Uint8Array(0x10000);
  for (let c = 0; c < 0x10000; c++) {
    const k = c < 128 ? C_INERT : cls[c]!;
    if (c >= 0xd800 && c <= 0xdbff) step[c] = S_HIGH_SURROGATE;
    else if (k === C_INERT) step[c] = c < 128 ? asciiStep(c) : S_OTHER;
    else step[c] = classStep(k, k === C_MAPPED || k === C_SEP || k === C_AT ? mapped.get(c)!.charCodeAt(0) : 48) | S_CHANGED | (k === C_MAPPED && forcesPatterns(mapped.get(c)!) ? S_FORCE : 0);
  }
  tables = { cls, value, mapped, step };
  return tables;
}

function astralClass(cp: number): number {
  let k = astral.get(cp);
  if (k === undefined) {
    let run = 0;
    while (run < 100 && DECIMAL.test(String.fromCodePoint(cp - run - 1))) run++;
    k = classify(cp, charTables().mapped, run);
    astral.set(cp, k);
  }
  return k;
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
const HAS_CHANGE = 8; // characters the normalised copy changes: it is built with an index map
const HAS_GAPPED = 16; // a long digit run has separators or invisible characters inside
const HAS_GLUED = 32; // an ASCII letter touches a digit
const ANY_SIGNAL = HAS_AT | HAS_NUMBER | HAS_DOTTED;
/** What a character whose normalised text is more than one digit sets: every pattern runs (see S_FORCE). */
const FORCED = HAS_NUMBER | HAS_GAPPED | HAS_GLUED;

// What scan() does with a character, by what it becomes in the normalised copy. The first four are
// "quiet": between runs of digits they only decide whether a letter comes right before the next digit.
const S_OTHER = 0; // anything else: ends a run of digits
const S_DOT = 1;
const S_SEPARATOR = 2; // space - ( ) + /
const S_LETTER = 3; // starts with an ASCII letter
const S_DIGIT = 4; // exactly one ASCII digit
const S_DIGIT_MORE = 5; // a digit, maybe more text too (⑩ -> 10, Chinese numerals, ...)
const S_AT = 6;
const S_FORMAT = 7; // dropped
const S_HIGH_SURROGATE = 8; // look the code point up
const S_CHANGED = 16;
/**
 * Its normalised text holds digits and more (⑩ -> 10, ⒈ -> 1., ⑴ -> (1), ㉑ -> 21, ¼ -> 1⁄4): the scan's
 * count of one digit per character would be wrong, so such a (rare) character sends the text through
 * every pattern on the normalised copy. Only with S_CHANGED.
 */
const S_FORCE = 32;

/** Whether a character's normalised text needs S_FORCE: it has a digit and is not that one digit. */
function forcesPatterns(normalised: string): boolean {
  return normalised.length > 1 && /[0-9]/.test(normalised);
}

function asciiStep(c: number): number {
  if (c >= 48 && c <= 57) return S_DIGIT;
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return S_LETTER;
  if (c === 46) return S_DOT;
  if (c === 32 || c === 45 || c === 40 || c === 41 || c === 43 || c === 47) return S_SEPARATOR;
  return c === 64 ? S_AT : S_OTHER;
}

/** The step of a non-inert character of class `k` whose normalised text starts with `first`. */
function classStep(k: number, first: number): number {
  if (k === C_FORMAT) return S_FORMAT;
  if (k === C_DIGIT) return S_DIGIT;
  if (k === C_HAN) return S_DIGIT_MORE;
  if (first > 127) return S_OTHER;
  const s = asciiStep(first);
  return s === S_DIGIT ? S_DIGIT_MORE : s;
}

function scan(text: string, from = 0, to = text.length): number {
  let flags = 0;
  let digits = 0;
  let dots = 0;
  let gaps = 0;
  let prev = 0; // 1 after a digit, 2 after an ASCII letter
  // A glued run: digits right after an ASCII letter or '_' (DD20260113198379, user13800138000). No pattern
  // but the glued mobile one can start inside it (each wants a start that touches no letter or digit), and
  // that one only on a whole run of exactly 11 digits; so its digits do not make HAS_NUMBER by themselves.
  // Any other character ends the run: after a separator or a dot, counting starts afresh; after anything
  // else it carries on as for any run (its digits included: ⑩, 一 or an invisible character may continue
  // the run in the normalised copy).
  let glued = false;
  let gluedDigits = 0;
  const step = charTables().step;
  for (let i = from; i < to; i++) {
    const at = i;
    let s = step[text.charCodeAt(i)]!;
    if (s >= S_CHANGED) {
      flags |= HAS_CHANGE;
      if (s >= S_FORCE) {
        flags |= FORCED;
        s -= S_FORCE;
      }
      s -= S_CHANGED;
    }
    if (s <= S_LETTER && digits === 0) {
      // The common case (words, Chinese text, between numbers): no run to end or extend (dots and gaps are 0 too).
      prev = s === S_LETTER ? 2 : 0;
      continue;
    }
    if (s === S_HIGH_SURROGATE) {
      if (i + 1 < to) {
        const cp = text.codePointAt(i)!;
        if (cp > 0xffff) i++;
        const a = astralClass(cp);
        const k = a & 15;
        if (k !== C_INERT) flags |= HAS_CHANGE;
        if (k === C_MAPPED && forcesPatterns(tables!.mapped.get(cp)!)) flags |= FORCED;
        s = k === C_INERT ? S_OTHER : classStep(k, k === C_MAPPED || k === C_SEP || k === C_AT ? tables!.mapped.get(cp)!.charCodeAt(0) : 48);
      } else s = S_OTHER;
    }
    if (s === S_DIGIT || s === S_DIGIT_MORE) {
      if (prev === 2) flags |= HAS_GLUED;
      prev = 1;
      if (glued) {
        if (s === S_DIGIT) {
          gluedDigits++;
          digits++;
          continue;
        }
        glued = false;
        if (gluedDigits === 11) flags |= HAS_NUMBER;
      } else if (digits === 0 && s === S_DIGIT && at > from && isWordLetter(text.charCodeAt(at - 1))) {
        glued = true;
        gluedDigits = 1;
        digits = 1;
        continue;
      }
      if (++digits >= MIN_DIGITS) flags |= gaps > 0 ? HAS_NUMBER | HAS_GAPPED : HAS_NUMBER;
      else if (dots >= 3) flags |= HAS_DOTTED;
      continue;
    }
    if (glued) {
      glued = false;
      if (gluedDigits === 11) flags |= HAS_NUMBER;
      // A match after a separator or a dot holds none of the run's digits (TS20260516-2677): count afresh.
      if (s === S_SEPARATOR || s === S_DOT) digits = 0;
    }
    if (s === S_FORMAT) {
      if (digits > 0) gaps++;
      continue; // invisible: does not break a run of digits
    }
    if (s === S_LETTER) {
      if (prev === 1) flags |= HAS_GLUED;
      prev = 2;
    } else prev = 0;
    if (s === S_DOT) {
      if (digits > 0) {
        dots++;
        gaps++;
      }
    } else if (s === S_SEPARATOR) {
      if (digits > 0) gaps++;
    } else {
      if (s === S_AT) flags |= HAS_AT;
      digits = 0;
      dots = 0;
      gaps = 0;
    }
  }
  if (glued && gluedDigits === 11) flags |= HAS_NUMBER;
  return flags;
}

/** ASCII letters and '_' (the word characters of BEFORE other than digits), as the UTF-16 unit itself. */
function isWordLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

interface NormalisedText {
  norm: string;
  /** For each UTF-16 unit of `norm`: where the original character it came from starts and ends (absent: same offsets). */
  starts?: Int32Array;
  ends?: Int32Array;
}

/** The normalised copy of `text` and its index map (see the file comment). */
function normalise(text: string): NormalisedText {
  const t = charTables();
  const same = normaliseInPlace(text, t);
  if (same !== undefined) return { norm: same };
  const units: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let han = false;
  const emit = (unit: number, from: number, to: number) => {
    units.push(unit);
    starts.push(from);
    ends.push(to);
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 127) {
      emit(c, i, i + 1);
      continue;
    }
    let cp = c;
    let next = i + 1;
    let k: number;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      cp = text.codePointAt(i)!;
      if (cp > 0xffff) next = i + 2;
      k = astralClass(cp);
    } else {
      k = t.cls[c]! | (t.value[c]! << 4);
    }
    switch (k & 15) {
      case C_INERT:
        for (let j = i; j < next; j++) emit(text.charCodeAt(j), i, next);
        break;
      case C_DIGIT:
        emit(48 + (k >> 4), i, next);
        break;
      case C_HAN:
        han = true;
        emit(c, i, next);
        break;
      case C_FORMAT:
        break;
      default: {
        const k2 = t.mapped.get(cp)!;
        for (let j = 0; j < k2.length; j++) emit(k2.charCodeAt(j), i, next);
      }
    }
    i = next - 1;
  }
  if (han) hanNumeralsToDigits(units, t);
  let norm = '';
  for (let i = 0; i < units.length; i += 4096) norm += String.fromCharCode(...units.slice(i, i + 4096));
  return { norm, starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/**
 * The common case (full-width digits and punctuation, NBSP, dashes): every change maps one UTF-16 unit
 * to one, so offsets carry over and no index map is needed. Undefined when anything else changes.
 */
function normaliseInPlace(text: string, t: CharTables): string | undefined {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 127) continue;
    const k = t.cls[c]!;
    if (k === C_INERT) {
      if (c >= 0xd800 && c <= 0xdfff) return undefined;
      continue;
    }
    let unit: number;
    if (k === C_DIGIT) unit = 48 + t.value[c]!;
    else if (k === C_FORMAT || k === C_HAN) return undefined;
    else {
      const mapped = t.mapped.get(c)!;
      if (mapped.length !== 1) return undefined;
      unit = mapped.charCodeAt(0);
    }
    out += text.slice(last, i) + String.fromCharCode(unit);
    last = i + 1;
  }
  return out + text.slice(last);
}

/**
 * Chinese numerals become digits only inside a run (separators allowed) of at least 7 digits with at
 * least 3 of them written in Chinese: 一三八一二三四五六七八 is a number, "一" in 13800138000一次 is not.
 */
function hanNumeralsToDigits(units: number[], t: CharTables): void {
  const isHan = (u: number) => u > 127 && t.cls[u] === C_HAN;
  const isDigitish = (u: number) => (u >= 48 && u <= 57) || isHan(u);
  const isSep = (u: number) => u === 32 || u === 45 || u === 46;
  let i = 0;
  while (i < units.length) {
    if (!isDigitish(units[i]!)) {
      i++;
      continue;
    }
    let j = i;
    let total = 0;
    let hanCount = 0;
    for (;;) {
      const u = units[j]!;
      if (isDigitish(u)) {
        total++;
        if (isHan(u)) hanCount++;
        j++;
      } else if (isSep(u) && j + 1 < units.length && isDigitish(units[j + 1]!)) j++;
      else break;
      if (j >= units.length) break;
    }
    if (hanCount >= 3 && total >= 7) for (let x = i; x < j; x++) if (isHan(units[x]!)) units[x] = 48 + t.value[units[x]!]!;
    i = j;
  }
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

/** Words people glue to a mobile number in chat: WeChat (vx, wx, v), phone, pinyin initials of 电话/手机. */
const CONTACT_CUES = 'vx|wx|v|weixin|wechat|tel|phone|mobile|mob|cell|call|whatsapp|dh|sj';
/** Chat words glued after a number (`13812345678ok`); anything else glued (`13800138000abc`) reads as an identifier. */
const CHAT_WORDS = 'ok|okay|pls|plz|please|thx|thanks|thank|tks|ty|asap|now|sms|call|bye|yes|ya|hi';

const RANK: Readonly<Record<PiiType, number>> = { EMAIL: 0, ID_CARD: 1, BANK_CARD: 2, PHONE: 3, IP: 4 };

interface Pattern {
  readonly type: PiiType;
  readonly regex: RegExp;
  /** Needs HAS_NUMBER (most) or only HAS_DOTTED (IP). */
  readonly dotted?: boolean;
  /** Only worth running when scan() saw this (HAS_GAPPED, HAS_GLUED). */
  readonly needs?: number;
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
    type: 'PHONE', // mainland mobile in any other grouping: 138.1234.5678, 138 12 34 56 78, 1 3 8 1 2 3 4 5 6 7 8
    regex: new RegExp(
      BEFORE + String.raw`(?<![0-9][ .-]{1,2})(?:(?:\+|00)?86[ .-]{0,2}|\(\+?86\)[ .-]{0,2})?1[ .-]{0,2}[3-9](?:[ .-]{0,2}[0-9]){9}` + AFTER + String.raw`(?![ .-]{1,2}[0-9])`,
      'g',
    ),
    needs: HAS_GAPPED,
    accept: (m) => isLooselyGroupedMobile(m[0]),
  },
  {
    type: 'PHONE', // glued to a contact word: vx13812345678, tel13812345678, 13812345678ok
    regex: /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/g,
    needs: HAS_GLUED,
    accept: (m, norm) => gluedToContactWord(norm, m.index, m.index + m[0].length) && !labelledAsNonPersonal(norm, m.index),
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

function collect(norm: string, flags: number, firstOnly: boolean): Candidate[] {
  const found: Candidate[] = [];
  if (flags & HAS_AT) {
    findEmails(norm, found);
    if (firstOnly && found.length > 0) return found;
  }
  if ((flags & (HAS_NUMBER | HAS_DOTTED)) === 0) return found;
  for (const pattern of PATTERNS) {
    if (!(flags & HAS_NUMBER) && !pattern.dotted) continue;
    if (pattern.needs !== undefined && !(flags & pattern.needs)) continue;
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

function isLocalChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

function isAsciiLabelChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45;
}

/** Internationalised domain labels: letters, marks and digits of any script. */
const IDN_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
/** Han, kana, hangul: the scripts whose text usually runs on right after an address with no space. */
const CJK_CHAR = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]$/u;

/** Internationalised top-level domains in CJK scripts (a CJK label right after the address is text, not a TLD). */
const CJK_TLDS = [
  '中国', '中國', '中文网', '公司', '网络', '網絡', '网址', '网店', '网站', '在线', '商城', '商店', '香港', '台湾', '台灣', '澳门', '澳門',
  '新加坡', '移动', '集团', '企业', '信息', '娱乐', '游戏', '购物', '手机', '我爱你', '广东', '佛山', '时尚', '微博', '招聘', '八卦', '政务', '公益',
  '联通', '电讯', 'みんな', 'コム', '닷컴', '닷넷', '한국', '삼성',
].sort((a, b) => b.length - a.length);

/** Where the domain after the '@' at `at` ends, or -1 when there is no valid domain there. */
function emailDomainEnd(norm: string, at: number): number {
  const labels: { start: number; end: number; ascii: boolean; cjk: boolean }[] = [];
  let i = at + 1;
  for (;;) {
    const start = i;
    let ascii = true;
    let cjk = false;
    while (i < norm.length) {
      const c = norm.charCodeAt(i);
      if (isAsciiLabelChar(c)) {
        if (cjk) break; // CJK text glued after the address: the domain stops at the script change
      } else if (c > 127) {
        const cp = norm.codePointAt(i)!;
        const ch = String.fromCodePoint(cp);
        if (!IDN_CHAR.test(ch)) break;
        const isCjk = CJK_CHAR.test(ch);
        if (isCjk && i > start && !cjk) break;
        ascii = false;
        cjk ||= isCjk;
        if (cp > 0xffff) i++;
      } else break;
      i++;
    }
    if (i === start || i - start > 63) break;
    labels.push({ start, end: i, ascii, cjk });
    if (norm.charCodeAt(i) !== 46 || i + 1 >= norm.length) break;
    const next = norm.charCodeAt(i + 1);
    if (!isAsciiLabelChar(next) && !(next > 127 && IDN_CHAR.test(String.fromCodePoint(norm.codePointAt(i + 1)!)))) break;
    i++;
  }
  const last = labels[labels.length - 1];
  while (last && last.end > last.start && norm.charCodeAt(last.end - 1) === 45) last.end--; // "a@b.com--thanks"
  for (const l of labels) {
    if (l.end === l.start || norm.charCodeAt(l.start) === 45 || norm.charCodeAt(l.end - 1) === 45) return -1;
  }
  // The last label is the top-level domain; when it is not one, the label before it may be.
  for (let k = labels.length - 1; k >= 1; k--) {
    const end = tldEnd(norm, labels[k]!);
    if (end !== -1) return end;
    if (k < labels.length - 1) break;
  }
  return -1;
}

function tldEnd(norm: string, label: { start: number; end: number; ascii: boolean; cjk: boolean }): number {
  const text = norm.slice(label.start, label.end);
  if (label.ascii) return /^(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})$/.test(text) ? label.end : -1;
  if (label.cjk) {
    const tld = CJK_TLDS.find((t) => text.startsWith(t));
    return tld ? label.start + tld.length : -1;
  }
  return /^\p{L}[\p{L}\p{M}]+$/u.test(text) ? label.end : -1; // e.g. .рф
}

/** Local parts may hold letters of other scripts (müller@…), but Chinese text runs on into them: not CJK. */
function isNonCjkLetter(ch: string): boolean {
  return ch.charCodeAt(0) > 127 && IDN_CHAR.test(ch) && !CJK_CHAR.test(ch);
}

function findEmails(norm: string, found: Candidate[]): void {
  let at = norm.indexOf('@');
  while (at !== -1) {
    let start = at;
    while (start > 0 && (isLocalChar(norm.charCodeAt(start - 1)) || isNonCjkLetter(norm[start - 1]!))) start--;
    while (start < at && norm.charCodeAt(start) === 46) start++; // a local part cannot start with '.'
    if (start < at) {
      const end = emailDomainEnd(norm, at);
      if (end !== -1 && end - at - 1 <= 253) found.push({ type: 'EMAIL', start, end, rank: RANK.EMAIL });
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

/** A mobile written with separators other than the 3-4-4 / 4-4-3 spaces or dashes the strict pattern takes. */
function isLooselyGroupedMobile(match: string): boolean {
  const national = match.replace(/^(?:\(\+?86\)|(?:\+|00)?86)[ .-]*/, '');
  if (/^[0-9]+$/.test(national)) return false; // 11 digits in a row: the strict pattern and its label check
  const groups = national.split(/[ .-]+/).map((g) => g.length);
  if (groups.join() === '1,3,3,4') return false; // North American 1-800-555-0199
  // Dots also write decimals, dates and versions: only the usual phone grouping counts.
  if (national.includes('.')) return groups.join() === '3,4,4' || groups.join() === '4,4,3';
  return true;
}

const CUE_BEFORE = new RegExp(`(?<![A-Za-z0-9_])(?:${CONTACT_CUES})[:#]?$`, 'i');
const WORD_AFTER = new RegExp(`^(?:${CHAT_WORDS})(?![A-Za-z0-9_])`, 'i');

/**
 * A mobile with a letter glued to it is a contact when the letters are a contact word before it or a
 * chat word after it (the other side free); other glued letters make an identifier (user13800138000abc).
 */
function gluedToContactWord(norm: string, start: number, end: number): boolean {
  const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const before = norm.charCodeAt(start - 1);
  const after = norm.charCodeAt(end);
  const cueBefore = isLetter(before) || ((before === 58 || before === 35) && isLetter(norm.charCodeAt(start - 2)));
  if (!cueBefore && !isLetter(after)) return false; // not glued: the other phone patterns decide
  if (cueBefore ? !CUE_BEFORE.test(norm.slice(Math.max(0, start - 10), start)) : before === 95 || (before === 46 && norm.charCodeAt(start - 2) >= 48 && norm.charCodeAt(start - 2) <= 57)) return false;
  if (isLetter(after)) return WORD_AFTER.test(norm.slice(end, end + 8));
  return !(after === 95 || (after === 46 && norm.charCodeAt(end + 1) >= 48 && norm.charCodeAt(end + 1) <= 57));
}

/**
 * Numbers labelled as something else ("订单号：", "商品ID:", "tracking no.", "IMEI:") right before them.
 * Only used for weak patterns (Luhn passes one random number in ten, any 11 digits starting 13-19 look
 * like a mobile); the label must touch the number, so "the order I paid with 4111 1111 1111 1111" is
 * still redacted. English nouns that also run through prose (order, item, ...) label a number only
 * with no./number/id/# or a colon: "my order, call me at 13812345678" and "order 13812345678" are
 * redacted, "order no. 13812345678" is not.
 */
const NON_PERSONAL_LABEL = new RegExp(
  '(?:' +
    String.raw`(?:订单|单号|运单|快递|物流|包裹|工单|发票|序列号|串号|条码|条形码|商品|产品|货号|款号|型号|交易|流水|退款单|售后单|服务单)\s*(?:号码|号|编号|id|no\.?)?` +
    String.raw`|(?:imei|meid|\btracking|waybill|invoice|\bserial|\bsn|\bs/n|\bsku|\basin|\bupc|\bean)\s*(?:no\.?|number|num|id|code)?` +
    String.raw`|\b(?:order|item|product|ticket|case|transaction|reference|ref|booking|parcel|shipment|package)\s*(?:no\.?|number|num|id|code|(?=[:：#]))` +
    ')' +
    String.raw`\s*[:：#]?\s*(?:是|为|is)?\s*$`,
  'i',
);

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
