// Word tokens for matching and retrieval, with ICU's dictionary segmentation for Chinese.
import type { Language } from '../domain/dialogue.ts';

const segmenters = new Map<Language, Intl.Segmenter>();

function segmenter(language: Language): Intl.Segmenter {
  let s = segmenters.get(language);
  if (s === undefined) {
    s = new Intl.Segmenter(language, { granularity: 'word' });
    segmenters.set(language, s);
  }
  return s;
}

/**
 * Lower-cased word tokens: Chinese split into dictionary words, English words, numbers kept whole
 * ("3.5", "1,000"), punctuation, spaces and emoji dropped. Text is NFKC-normalised first so full-width
 * "ｉＰｈｏｎｅ１５" matches "iphone15", and curly apostrophes become straight ones.
 *
 * `language` only picks the segmenter's locale. Node's ICU segments Chinese and English the same way
 * under either locale (checked on Node 20, ICU 78), so it is optional and never detected here.
 */
export function tokenize(text: string, language: Language = 'zh'): string[] {
  // Intl.Segmenter is slow (~20 µs a sentence) and scorers tokenize the same reply and reference
  // several times: remember recent results.
  const key = `${language}\u0000${text}`;
  const hit = memo.get(key);
  if (hit) return [...hit];
  const tokens: string[] = [];
  for (const { segment, isWordLike } of segmenter(language).segment(normalise(text))) {
    if (isWordLike) tokens.push(segment.toLowerCase());
  }
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, tokens);
  return [...tokens];
}

const MEMO_SIZE = 20_000;
const memo = new Map<string, readonly string[]>();

/** What tokenize segments: NFKC, with curly apostrophes made straight. */
export function normalise(text: string): string {
  return text.normalize('NFKC').replace(/[\u2018\u2019]/g, "'");
}

/**
 * Overlapping pairs of adjacent Han characters, for fuzzy matching of Chinese that does not depend on
 * word segmentation ("屏幕碎了" -> 屏幕, 幕碎, 碎了). Pairs never cross a non-Han character; a lone Han
 * character yields itself. Non-Han text yields nothing (use tokenize for it).
 */
export function characterBigrams(text: string): string[] {
  const grams: string[] = [];
  let prev = ''; // the previous Han character of the current run
  let runLength = 0;
  for (const ch of text.normalize('NFKC')) {
    if (isHan(ch.codePointAt(0)!)) {
      if (prev !== '') grams.push(prev + ch);
      prev = ch;
      runLength++;
    } else {
      if (runLength === 1) grams.push(prev);
      prev = '';
      runLength = 0;
    }
  }
  if (runLength === 1) grams.push(prev);
  return grams;
}

function isHan(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x3ffff)
  );
}
