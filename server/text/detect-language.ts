// Tells Chinese from English dialogue text by weighing Han characters against Latin words.
import type { Language } from '../domain/dialogue.ts';

/**
 * zh when there are more than 0.6 Han characters per Latin word. Words, not letters: Latin inside
 * Chinese text is mostly brand and product names ("iPhone 15 Pro Max 退货" has 12 letters but only
 * 3 words against 2 Han characters), while Han inside English text is mostly a 2-3 character name in
 * a sentence of many words. Text without Han (only digits, emoji, or nothing) is 'en'.
 */
const HAN_WEIGHT = 5;
const WORD_WEIGHT = 3;

export function detectLanguage(texts: readonly string[] | string): Language {
  let score = 0;
  if (typeof texts === 'string') score = chineseScore(texts);
  else for (const text of texts) score += chineseScore(text);
  return score > 0 ? 'zh' : 'en';
}

/** HAN_WEIGHT per Han character minus WORD_WEIGHT per run of Latin letters. */
function chineseScore(text: string): number {
  let han = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let letter: boolean;
    if (c < 0x80) {
      const lower = c | 0x20;
      letter = lower >= 0x61 && lower <= 0x7a;
    } else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd840 && c <= 0xd8bf)) {
      // Unified ideographs, extension A, compatibility ideographs, and the high surrogates of
      // U+20000-U+3FFFF (extensions B-H), whose low surrogate then counts as a non-letter.
      han++;
      letter = false;
    } else {
      // Accented Latin (Latin-1 and Extended-A/B, without × and ÷) and full-width Latin letters.
      letter = (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
    }
    if (letter && !inWord) words++;
    inWord = letter;
  }
  return HAN_WEIGHT * han - WORD_WEIGHT * words;
}
