// Fuzzy, language-agnostic text matching for the offline scorers: content terms (Han character
// bigrams and segmented words, English words with light stemming), fact coverage, clause splitting
// and lexicon look-ups with a negation check.
import { characterBigrams, normalise, tokenize } from './segment.ts';

/** English function words that carry no fact; "no", "not", "out", "under" and numbers are kept on purpose. */
const STOPWORDS = new Set(
  (
    'a an the to of and or is are was were be been being for in on at by with from as it its this that these those ' +
    'i me my we our us you your yours he she they them their his her i\'m i\'ve i\'ll we\'ll we\'re you\'re it\'s ' +
    'so do does did can could would will shall should may might just also very really please ' +
    'there here what which who whom when where how than then if but about into over up'
  ).split(' '),
);

/** A small synonym table so "apologise" counts for a required "sorry" and 对不起 for 抱歉. */
const SYNONYMS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^apolog(?:i[sz]e?|y)$/, 'sorry'],
  [/^(?:representative|person|human)$/, 'human'],
];
const HAN_SYNONYMS: ReadonlyArray<readonly [string, string]> = [
  ['对不起', '抱歉'],
  ['不好意思', '抱歉'],
  ['人工服务', '人工客服'],
];

const HAN = /\p{Script=Han}/u;

/**
 * Light English stemmer: enough that "days"/"day", "covered"/"cover", "transferring"/"transfer"
 * and "replies"/"reply" meet, without a dictionary.
 */
export function stem(word: string): string {
  let hit = stems.get(word);
  if (hit === undefined) {
    hit = stemOnce(word);
    remember(stems, word, hit);
  }
  return hit;
}

/** Words recur across replies, references and facts: each is stemmed once (stem is pure). */
const stems = new Map<string, string>();

function stemOnce(word: string): string {
  let w = word.replace(/'s$/, '').replace(/n't$/, '');
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('ing') && w.length > 5) w = undoubled(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undoubled(w.slice(0, -2));
  else if (/(?:sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s')) w = w.slice(0, -1);
  if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  for (const [from, to] of SYNONYMS) if (from.test(w)) return to;
  return w;
}

function undoubled(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/** Content terms of a text: Han bigrams and multi-character words, stemmed non-Han words and numbers. */
export interface Terms {
  /** Han character bigrams (a lone Han character stands for itself). */
  readonly bigrams: ReadonlySet<string>;
  /** Segmented Han words of two characters or more, and stemmed non-Han words and numbers. */
  readonly words: ReadonlySet<string>;
}

/**
 * The terms of `text`. A reply is read by matchFacts and referenceRecall, and facts and references
 * recur across a conversation's cases: each text is read once and its Terms shared (read-only).
 */
export function terms(text: string): Terms {
  let hit = termsMemo.get(text);
  if (hit === undefined) {
    hit = readTerms(text);
    remember(termsMemo, text, hit, TERMS_MEMO_SIZE);
  }
  return hit;
}

const termsMemo = new Map<string, Terms>();

/**
 * Bounded memo tables for pure functions of a text, cleared when full: 4096 entries of strings and
 * string lists (as memoByText keeps), 2048 of term sets (larger: a long text's bigrams).
 */
const MEMO_SIZE = 4096;
const TERMS_MEMO_SIZE = 2048;

function remember<V>(memo: Map<string, V>, key: string, value: V, size = MEMO_SIZE): void {
  if (memo.size >= size) memo.clear();
  memo.set(key, value);
}

function readTerms(text: string): Terms {
  const normalised = canonicalHan(text);
  const words = new Set<string>();
  for (const token of ASCII.test(normalised) ? asciiWords(normalised) : tokenize(normalised)) {
    if (HAN.test(token)) {
      if ([...token].length >= 2) words.add(token);
      continue;
    }
    addWord(words, token);
  }
  return { bigrams: new Set(characterBigrams(normalised)), words };
}

/** A non-Han token as a term: a number normalised, a word stemmed; function words left out. */
function addWord(words: Set<string>, token: string): void {
  const t = /^[\d,.]+$/.test(token) ? normaliseNumber(token) : stem(token);
  if (!STOPWORDS.has(t) && !STOPWORDS.has(token)) words.add(t);
}

/** What referenceRecall reads of a text: its Han bigrams and its non-Han words (Han words count through their bigrams). */
interface RecallTerms {
  readonly bigrams: ReadonlySet<string>;
  /** The non-Han members of terms(text).words. */
  readonly latin: ReadonlySet<string>;
}

const recallMemo = new Map<string, RecallTerms>();

/**
 * terms(text) without the Han words, which need Intl.Segmenter's dictionary (the scorers' largest
 * cost, mostly spent on reference answers that referenceRecall reads only for bigrams and non-Han
 * words). From terms(text) when that is known; otherwise, for text of ASCII, common Han characters
 * and common CJK punctuation only, the non-Han words are asciiWords of the text with the Han and
 * punctuation characters made spaces (see nonHanWords); any other text goes through terms(text).
 */
function recallTerms(text: string): RecallTerms {
  let hit = recallMemo.get(text);
  if (hit !== undefined) return hit;
  const known = termsMemo.get(text);
  const normalised = canonicalHan(text);
  const tokens = known === undefined ? nonHanWords(normalised) : null;
  if (tokens === null) {
    const full = known ?? terms(text);
    hit = { bigrams: full.bigrams, latin: new Set([...full.words].filter((w) => !HAN.test(w))) };
  } else {
    const latin = new Set<string>();
    for (const token of tokens) addWord(latin, token);
    hit = { bigrams: new Set(characterBigrams(normalised)), latin };
  }
  remember(recallMemo, text, hit, TERMS_MEMO_SIZE);
  return hit;
}

/**
 * A character outside the shortcut's alphabet (in either class): the alphabet is ASCII; CJK Unified
 * Ideographs (U+4E00–U+9FFF that are Script=Han); and CJK punctuation whose Word_Break is Other
 * (、。“”《》〈〉【】「」『』〔〕—). Every Han or punctuation character there breaks words on both sides
 * exactly as a space does, and joins nothing but other Han characters (which ICU's dictionary then
 * splits): so no token mixes Han and non-Han characters. Kana, which ICU's dictionary joins with
 * Han, and the middle dot (MidLetter) are deliberately left out.
 */
const OUTSIDE_HAN_ASCII = /[^\x00-\x7f\u3001\u3002\u201c\u201d\u300a\u300b\u3008\u3009\u3010\u3011\u300c-\u300f\u3014\u3015\u2014\p{Script=Han}]|[^\x00-\x7f\u3001\u3002\u201c\u201d\u300a\u300b\u3008\u3009\u3010\u3011\u300c-\u300f\u3014\u3015\u2014\u4e00-\u9fff]/u;
const NON_ASCII = /[^\x00-\x7f]/g;

/**
 * The non-Han tokens tokenize(text) gives, in order, without Intl.Segmenter: asciiWords of the text
 * with its Han and CJK punctuation characters made spaces; null for text with other characters.
 * Tested against the segmenter on random strings of those characters and on real texts.
 */
export function nonHanWords(text: string): string[] | null {
  const t = normalise(text);
  if (OUTSIDE_HAN_ASCII.test(t)) return null;
  return asciiWords(t.replace(NON_ASCII, ' '));
}

const ASCII = /^[\x00-\x7f]*$/;

// Word_Break classes of ASCII characters (UAX #29 as ICU has it); 0 is any other character.
const LETTER = 1;
const DIGIT = 2;
const UNDERSCORE = 3;
const MID_LETTER = 4; // :
const MID_NUM_LET = 5; // .
const QUOTE = 6; // '
const MID_NUM = 7; // , ;

const WORD_BREAK = (() => {
  const table = new Uint8Array(128);
  for (let c = 0x41; c <= 0x5a; c++) table[c] = LETTER;
  for (let c = 0x61; c <= 0x7a; c++) table[c] = LETTER;
  for (let c = 0x30; c <= 0x39; c++) table[c] = DIGIT;
  table[0x5f] = UNDERSCORE;
  table[0x3a] = MID_LETTER;
  table[0x2e] = MID_NUM_LET;
  table[0x27] = QUOTE;
  table[0x2c] = MID_NUM;
  table[0x3b] = MID_NUM;
  return table;
})();

/**
 * `tokenize(text)` for text that is all ASCII, without Intl.Segmenter (the offline scorers' largest
 * cost): lower-cased words as ICU's word segmentation finds them. Letters, digits and `_` join; `:`,
 * `.` and `'` join letters on both sides ("a.m.", "don't"), `,`, `;`, `.` and `'` digits on both
 * sides ("1,299.00"); a word is a run with a letter or digit, or two `_` or more (ICU's quirk).
 * Tested against the segmenter on real texts and on random ASCII strings.
 */
export function asciiWords(text: string): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const first = WORD_BREAK[text.charCodeAt(i)]!;
    if (first === 0 || first >= MID_LETTER) {
      i++;
      continue;
    }
    const start = i;
    let wordLike = first !== UNDERSCORE;
    let previous = first;
    i++;
    while (i < n) {
      const k = WORD_BREAK[text.charCodeAt(i)]!;
      if (k >= LETTER && k <= UNDERSCORE) {
        if (k !== UNDERSCORE) wordLike = true;
        previous = k;
        i++;
        continue;
      }
      if (k >= MID_LETTER && i + 1 < n) {
        const next = WORD_BREAK[text.charCodeAt(i + 1)];
        if (previous === LETTER && next === LETTER && k !== MID_NUM) {
          i += 2;
          continue;
        }
        if (previous === DIGIT && next === DIGIT && k !== MID_LETTER) {
          i += 2;
          continue;
        }
      }
      break;
    }
    if (wordLike || i - start >= 2) words.push(text.slice(start, i).toLowerCase());
  }
  return words;
}

function canonicalHan(text: string): string {
  let out = text;
  for (const [from, to] of HAN_SYNONYMS) if (out.includes(from)) out = out.split(from).join(to);
  return out;
}

/** "1,299.00" -> "1299"; "3.50" -> "3.5". */
export function normaliseNumber(token: string): string {
  let n = token.replace(/,/g, '');
  if (n.includes('.')) n = n.replace(/\.?0+$/, '');
  return n === '' ? '0' : n;
}

/** Text without spaces and punctuation, lower-cased and NFKC-normalised, for substring checks. */
export function compact(text: string): string {
  let hit = compactMemo.get(text);
  if (hit === undefined) {
    hit = canonicalHan(text.normalize('NFKC').toLowerCase()).replace(/[\s\p{P}\p{S}]+/gu, '');
    remember(compactMemo, text, hit);
  }
  return hit;
}

/** Facts, product names and replies are compacted again and again (facts recur across a conversation's cases). */
const compactMemo = new Map<string, string>();

/** Coverage of a fact whose number the reply does not have: below FACT_PARTLY, so it counts as missing. */
const NUMBER_MISSING_CAP = 0.3;

/**
 * Share (0–1) of `fact`'s terms found in the reply: 1 when the fact appears verbatim (ignoring
 * spaces and punctuation); otherwise the best of Han-bigram and word coverage, with non-Han words
 * counted in both.
 */
export function coverage(fact: string, reply: Terms, replyCompact: string): number {
  const f = compact(fact);
  if (f.length === 0) return 1;
  if (replyCompact.includes(f)) return 1;
  const ft = terms(fact);
  const latin = [...ft.words].filter((w) => !HAN.test(w));
  const hanWords = [...ft.words].filter((w) => HAN.test(w));
  const hits = (list: Iterable<string>, set: ReadonlySet<string>) => {
    let n = 0;
    for (const x of list) if (set.has(x)) n++;
    return n;
  };
  const latinHits = hits(latin, reply.words);
  const byBigram = ratio(latinHits + hits(ft.bigrams, reply.bigrams), latin.length + ft.bigrams.size);
  const byWord = hanWords.length === 0 ? byBigram : ratio(latinHits + hits(hanWords, reply.words), latin.length + hanWords.length);
  const best = Math.max(byBigram, byWord);
  // Numbers carry a fact's identity (59元/月, SF1234…, 3-5 days): without them it is not there.
  const numbers = latin.filter((w) => /\d/.test(w));
  return numbers.every((n) => reply.words.has(n)) ? best : Math.min(best, NUMBER_MISSING_CAP);
}

function ratio(hits: number, total: number): number {
  return total === 0 ? 0 : hits / total;
}

export interface FactMatch {
  fact: string;
  /** 0–1 share of the fact's terms found. */
  coverage: number;
  /** 1 found, 0.5 partly found, 0 missing. */
  credit: number;
}

/** A fact counts as found at 70 % term coverage and as half found at 40 %. */
export const FACT_FOUND = 0.7;
export const FACT_PARTLY = 0.4;

/** A clause that denies something: 不能取消, 不在保修期, "not refund it", "can't be returned". */
const DENIAL = /不能|不可|不会|不是|不支持|不在|不予|不行|没有|没法|无法|未|非(?!常)|\b(?:not|never|cannot|unable|no longer)\b|n't\b/iu;

const denial = quickTest(DENIAL);

export function hasDenial(text: string): boolean {
  return denial(text);
}

/**
 * Credit for each fact. A fact that states nothing negative is looked for only in the reply's
 * affirmative clauses, so "不能取消" does not count for "已为您取消" nor "not refund it" for "refund".
 */
export function matchFacts(facts: readonly string[], reply: string): FactMatch[] {
  // Each view of the reply is read only when a fact needs it (a case without facts needs neither).
  let full: { terms: Terms; compact: string } | undefined;
  let affirmative: { terms: Terms; compact: string } | undefined;
  const fullView = () => (full ??= { terms: terms(reply), compact: compact(reply) });
  const affirmativeView = () => {
    if (affirmative === undefined) {
      const text = clauseList(reply)
        .filter((c) => !hasDenial(c))
        .join('\n');
      affirmative = { terms: terms(text), compact: compact(text) };
    }
    return affirmative;
  };
  return facts
    .filter((f) => f.trim().length > 0)
    .map((fact) => {
      const view = hasDenial(fact) ? fullView() : affirmativeView();
      const c = coverage(fact, view.terms, view.compact);
      return { fact, coverage: c, credit: c >= FACT_FOUND ? 1 : c >= FACT_PARTLY ? 0.5 : 0 };
    });
}

/** Mean credit of the facts, or null when the case lists none. */
export function factScore(matches: readonly FactMatch[]): number | null {
  if (matches.length === 0) return null;
  return matches.reduce((s, m) => s + m.credit, 0) / matches.length;
}

/**
 * Recall of the reference's terms in the reply (bigrams and words pooled). References say more
 * than a good reply needs to, so callers scale this rather than expect 1.
 */
export function referenceRecall(reference: string, reply: string): number {
  // Han words are already counted through their bigrams: only the non-Han words are needed.
  const ref = recallTerms(reference);
  const rep = recallTerms(reply);
  let hits = 0;
  let total = 0;
  for (const g of ref.bigrams) {
    total++;
    if (rep.bigrams.has(g)) hits++;
  }
  for (const w of ref.latin) {
    total++;
    if (rep.latin.has(w)) hits++;
  }
  return ratio(hits, total);
}

/** Sentences: split on end punctuation and line breaks (a decimal point is not a sentence end). */
export function sentences(text: string): string[] {
  return sentenceList(text).slice();
}

/** Clauses: sentences further split on commas. */
export function clauses(text: string): string[] {
  return clauseList(text).slice();
}

// The scorers look for a dozen phrase lists in the same reply (and split the same texts for facts,
// claims and hand-offs): each text is split once, and the pieces shared read-only inside this module.
const sentenceMemo = new Map<string, readonly string[]>();
const clauseMemo = new Map<string, readonly string[]>();

function sentenceList(text: string): readonly string[] {
  let hit = sentenceMemo.get(text);
  if (hit === undefined) {
    hit = Object.freeze(
      text
        .split(/(?<=[。！？!?；;\n])|(?<=\.)(?=\s|$)/u)
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
    remember(sentenceMemo, text, hit);
  }
  return hit;
}

function clauseList(text: string): readonly string[] {
  let hit = clauseMemo.get(text);
  if (hit === undefined) {
    hit = Object.freeze(
      sentenceList(text)
        .flatMap((s) => s.split(/[，,、：:]/u))
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    );
    remember(clauseMemo, text, hit);
  }
  return hit;
}

/** Negation just before a match, in the same clause ("不在保修期内", "not under warranty", "can't transfer"). */
const NEGATION_BEFORE_EN = /(?:\b(?:not|never|no|cannot|unable to|no longer)\b|n't\b)\s*(?:\S+\s+){0,2}\S*\s*$/iu;
const NEGATION_BEFORE_ZH = /(?:不|没有?|无法|无需|不能|未|非(?!常)|别)[^，,。！？!?]{0,3}$/u;

export function negatedBefore(clausePrefix: string): boolean {
  const tail = clausePrefix.slice(-32);
  return NEGATION_BEFORE_ZH.test(tail) || NEGATION_BEFORE_EN.test(tail);
}

export interface PhraseHit {
  /** The matched text. */
  text: string;
  /** The clause it was found in. */
  clause: string;
  /** Which clause of the text that is (0, 1, …), and where in it the match starts. */
  piece: number;
  at: number;
  negated: boolean;
}

/** Every match of any of `patterns` in `text`, clause by clause, noting a negation just before it. */
export function findPhrases(text: string, patterns: readonly RegExp[], unit: 'clause' | 'sentence' = 'clause'): PhraseHit[] {
  const hits: PhraseHit[] = [];
  const pieces = unit === 'clause' ? clauseList(text) : sentenceList(text);
  const filters = prefiltersOf(patterns);
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!;
    // Most clauses match none of the patterns: one combined test (of looser patterns) skips them.
    if (!anyTest(filters.any, piece)) continue;
    for (let i = 0; i < patterns.length; i++) {
      if (!filters.each[i]!.test(piece)) continue;
      for (const m of piece.matchAll(globalOf(patterns[i]!))) {
        hits.push({ text: m[0], clause: piece, piece: p, at: m.index, negated: negatedBefore(piece.slice(0, m.index)) });
      }
    }
  }
  return hits;
}

function anyTest(patterns: readonly RegExp[], text: string): boolean {
  for (const re of patterns) if (re.test(text)) return true;
  return false;
}

interface Prefilters {
  /** One alternation of every loose pattern per flag set: no match in a clause means no pattern matches there. */
  any: RegExp[];
  /** Each pattern's loose form, in order: no match means the pattern itself has none. */
  each: RegExp[];
}

const prefilters = new WeakMap<readonly RegExp[], Prefilters>();

/**
 * Quick tests that let findPhrases skip clauses (and patterns) that cannot match. A loose pattern is
 * the pattern without its word-boundary assertions (`\b`, `\B`): taking an assertion out only lets
 * more text match, so a clause the loose form does not match cannot hold a match of the pattern,
 * and the matches reported (always those of the patterns themselves) stay the same. It is much
 * cheaper: with the `iu` flags V8 checks every \b against Unicode case folding, which made the
 * English lexicons most of the offline scorers' time.
 */
function prefiltersOf(patterns: readonly RegExp[]): Prefilters {
  let result = prefilters.get(patterns);
  if (result !== undefined) return result;
  const each = patterns.map(loose);
  let any: RegExp[];
  try {
    const byFlags = new Map<string, string[]>();
    for (const p of each) {
      const flags = p.flags.replace(/[gy]/g, '');
      byFlags.set(flags, [...(byFlags.get(flags) ?? []), `(?:${p.source})`]);
    }
    any = [...byFlags].map(([flags, sources]) => new RegExp(sources.join('|'), flags));
  } catch {
    any = [/(?:)/]; // patterns that cannot be joined (e.g. clashing named groups): test each one
  }
  result = { any, each };
  prefilters.set(patterns, result);
  return result;
}

/**
 * The pattern without \b and \B (outside character classes and negative lookarounds), without g or
 * y: it matches wherever the pattern does. The pattern itself when that cannot be done.
 */
export function loose(pattern: RegExp): RegExp {
  const flags = pattern.flags.replace(/[gy]/g, '');
  if (flags.includes('v')) return new RegExp(pattern.source, flags); // nested classes: not worth parsing
  let source = '';
  let inClass = false;
  // Groups open at this point, true for a negative lookaround: an assertion taken out inside one
  // would let it match more, and so the pattern less; there they stay.
  const groups: boolean[] = [];
  let negative = 0;
  const s = pattern.source;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const next = s[i + 1] ?? '';
      if (!inClass && negative === 0 && (next === 'b' || next === 'B')) {
        i++;
        continue;
      }
      source += c + next;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      const isNegative = s.startsWith('(?!', i) || s.startsWith('(?<!', i);
      groups.push(isNegative);
      if (isNegative) negative++;
    } else if (c === ')') {
      if (groups.pop()) negative--;
    }
    source += c;
  }
  try {
    return new RegExp(source, flags);
  } catch {
    return new RegExp(pattern.source, flags);
  }
}

const globals = new WeakMap<RegExp, RegExp>();

/** The pattern with the g flag, compiled once (matchAll needs it; lexicon patterns lack it). */
function globalOf(pattern: RegExp): RegExp {
  let g = globals.get(pattern);
  if (g === undefined) {
    g = pattern.flags.includes('g') ? pattern : new RegExp(pattern.source, pattern.flags + 'g');
    globals.set(pattern, g);
  }
  return g;
}

const looseForms = new WeakMap<RegExp, RegExp>();

/**
 * `text.matchAll(pattern)` (with the g flag added if it lacks it), skipping the search when the
 * loose form (see `loose`) finds nothing, which is cheaper for patterns with \b under `iu`.
 */
export function quickMatchAll(text: string, pattern: RegExp): Iterable<RegExpMatchArray> {
  let quick = looseForms.get(pattern);
  if (quick === undefined) {
    quick = loose(pattern);
    looseForms.set(pattern, quick);
  }
  return quick.test(text) ? text.matchAll(globalOf(pattern)) : [];
}

/**
 * `pattern.test` with the loose form (see `loose`) tried first: text the loose form does not match
 * cannot match the pattern, and most texts match neither, so the slow \b checks under `iu` run only
 * where the loose form matched. For patterns without g or y (whose test() is stateless).
 */
export function quickTest(pattern: RegExp): (text: string) => boolean {
  if (pattern.global || pattern.sticky) return (text) => pattern.test(text);
  const quick = loose(pattern);
  if (quick.source === pattern.source) return (text) => pattern.test(text);
  return (text) => quick.test(text) && pattern.test(text);
}

/** Distinct matched texts, for reasons. */
export function distinct(hits: readonly PhraseHit[], limit = 4): string[] {
  return [...new Set(hits.map((h) => h.text.trim()))].slice(0, limit);
}

/** A quoted, comma-separated list for reasons: “a”, “b”. */
export function quoteList(items: readonly string[]): string {
  return items.map((s) => `“${s}”`).join(', ');
}
