// Text clean-up before n-grams: redaction placeholders ([PHONE]) and upper-case codes (HXDUBJ,
// SF1234567890) become one neutral symbol each, long digit runs collapse, and only capitals that read
// as words in a run (or before "!") count as shouting.

/** One private-use character per placeholder kind, so a character n-gram sees it as one symbol. */
const PLACEHOLDER_CHAR: Readonly<Record<string, string>> = {
  PHONE: '\uE000',
  EMAIL: '\uE001',
  URL: '\uE002',
  NAME: '\uE003',
  ADDRESS: '\uE004',
  CODE: '\uE005',
  NUMBER: '\uE006',
  OTHER: '\uE007',
};
const PLACEHOLDER_KINDS = Object.keys(PLACEHOLDER_CHAR);
const CHAR_TO_KIND = new Map(Object.entries(PLACEHOLDER_CHAR).map(([kind, ch]) => [ch, kind]));

/** `[PHONE]`, `[EMAIL]`, `{{Order Number}}`, `<NAME>`: redaction and template slots. */
const PLACEHOLDER = /\[([A-Z][A-Z_ ]{1,30})\]|\{\{\s*([^{}]{1,40}?)\s*\}\}|<([A-Z][A-Z_]{1,30})>/g;
const URL_RE = /\bhttps?:\/\/\S+|\bwww\.\S+/gi;
const EMAIL_RE = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g;
/** Upper-case letters and digits with at least one letter, not inside a longer Latin word (Han text around it is fine). */
const CAPS_TOKEN = /(?<![A-Za-z0-9])[A-Z0-9]*[A-Z][A-Z0-9]*(?![A-Za-z0-9])/g;
const LONG_DIGITS = /\d{6,}/g;

function kindOf(name: string): string {
  const upper = name.toUpperCase().replace(/\s+/g, '_');
  if (PLACEHOLDER_KINDS.includes(upper)) return upper;
  if (/PHONE|MOBILE|TEL/.test(upper)) return 'PHONE';
  if (/MAIL/.test(upper)) return 'EMAIL';
  if (/URL|LINK|WEBSITE/.test(upper)) return 'URL';
  if (/NAME/.test(upper)) return 'NAME';
  if (/ADDRESS|CITY|STREET/.test(upper)) return 'ADDRESS';
  if (/NUMBER|ID|CODE|ORDER|ACCOUNT|CARD|TRACKING/.test(upper)) return 'CODE';
  return 'OTHER';
}

/** Letters that read as an English word: a vowel, no unpronounceable opening cluster (HXD…) or long consonant run. */
export function isWordShaped(token: string): boolean {
  if (!/^[A-Z]+$/.test(token) || token.length < 2) return false;
  if (!/[AEIOUY]/.test(token)) return false;
  const opening = /^[^AEIOUY]+/.exec(token)?.[0] ?? '';
  if (opening.length >= 3 && !/^(?:STR|SCR|SPR|SPL|THR|CHR|SCH|SHR|PHR)$/.test(opening)) return false;
  if (/[^AEIOUY]{5,}/.test(token)) return false;
  return true;
}

/** An upper-case token that is a code or an acronym (HXDUBJ, 4G, SF1234567890, VIP), not a shouted word. */
export function isCodeLike(token: string): boolean {
  return /\d/.test(token) || !isWordShaped(token);
}

/**
 * Shouted words: upper-case words of 3+ letters that read as words and stand in a run of two or
 * more such words, or right before "!". A lone capitalised token (HXDUBJ, VIP, OK) is not shouting.
 */
export function shoutedWords(text: string): string[] {
  const clean = text.replace(PLACEHOLDER, ' ').replace(URL_RE, ' ').replace(EMAIL_RE, ' ');
  const tokens = [...clean.matchAll(CAPS_TOKEN)];
  const shouted: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = t[0];
    if (word.length < 3 || isCodeLike(word)) continue;
    const end = t.index + word.length;
    const next = tokens[i + 1];
    const prev = tokens[i - 1];
    const joinedToNext = next !== undefined && /^[\s,.]*$/.test(clean.slice(end, next.index)) && !isCodeLike(next[0]) && next[0].length >= 2;
    const joinedToPrev = prev !== undefined && /^[\s,.]*$/.test(clean.slice(prev.index + prev[0].length, t.index)) && !isCodeLike(prev[0]) && prev[0].length >= 2;
    const exclaimed = /^\s*[!！]/.test(clean.slice(end));
    if (joinedToNext || joinedToPrev || exclaimed) shouted.push(word);
  }
  return shouted;
}

/**
 * Text for n-grams: NFKC, lower case, placeholders / URLs / e-mails / codes as one private-use
 * character each, digit runs of 6+ (phone, order and card numbers) as the NUMBER symbol. Short
 * numbers stay: a hotline like 10086 says which company it is.
 */
export function normaliseForFeatures(text: string): string {
  let t = text.normalize('NFKC');
  t = t.replace(PLACEHOLDER, (_m, a?: string, b?: string, c?: string) => PLACEHOLDER_CHAR[kindOf(a ?? b ?? c ?? '')]!);
  t = t.replace(URL_RE, PLACEHOLDER_CHAR.URL!).replace(EMAIL_RE, PLACEHOLDER_CHAR.EMAIL!);
  t = t.replace(CAPS_TOKEN, (token) => (token.length >= 4 && isCodeLike(token) && /[A-Z]/.test(token) ? PLACEHOLDER_CHAR.CODE! : token));
  t = t.replace(LONG_DIGITS, PLACEHOLDER_CHAR.NUMBER!);
  return t.toLowerCase();
}

/** For word tokenisers that drop private-use characters: each symbol as a word (`xxphone`). */
export function placeholdersAsWords(normalised: string): string {
  return normalised.replace(/[\uE000-\uE007]/g, (ch) => ` xx${CHAR_TO_KIND.get(ch)!.toLowerCase()} `);
}

/** For feature names shown to people: private-use symbols back as [PHONE], [CODE]. */
export function readableFeatureText(text: string): string {
  return text.replace(/[\uE000-\uE007]/g, (ch) => `[${CHAR_TO_KIND.get(ch)!}]`).replace(/\bxx(phone|email|url|name|address|code|number|other)\b/g, (_m, k: string) => `[${k.toUpperCase()}]`);
}
