import { describe, expect, it } from 'vitest';
import { estimateTokens, recordTokens } from './token-estimate.ts';

/** The estimate as first written (a range test per character): the table-driven one must agree with it on every input. */
function referenceRaw(text: string): number {
  const isCjk = (c: number) =>
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x3040 && c <= 0x30ff) || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff);
  let cjk = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) (cjk++, (inWord = false));
    else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) {
      if (!inWord) words++;
      inWord = true;
    } else inWord = false;
  }
  return cjk + words * 1.3;
}

/** A deterministic pseudo-random generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

describe('token estimate', () => {
  it('classifies every UTF-16 code unit as the range test does (each unit alone, and between words)', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      expect(estimateTokens(ch)).toBe(Math.ceil(referenceRaw(ch)));
      const text = `a${ch}b 字${ch}${ch}x`;
      expect(estimateTokens(text)).toBe(Math.ceil(referenceRaw(text)));
    }
  });

  it('agrees with the range test on random mixes of Chinese, English, digits, Latin letters, kana, hangul, emoji and punctuation', () => {
    const pieces = ['保修', '订单号', 'DD20260113198379', 'warranty', 'é', 'Ærø', 'かな', '한국', '😀', ' ', '\n', '，', '-', '12', 'x', '\u{20000}', '\ud800', 'ｆｕｌｌ'];
    const next = random(7);
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = Math.floor(next() * 40);
      for (let i = 0; i < length; i++) text += pieces[Math.floor(next() * pieces.length)];
      expect(estimateTokens(text)).toBe(Math.ceil(referenceRaw(text)));
    }
  });

  it('sums a record over its texts (role and from are markup) and rounds once', () => {
    const record = { messages: [{ role: 'system', content: '你好 world' }, { role: 'user', content: 'one two three' }], from: 'ignored words here' };
    expect(recordTokens(record)).toBe(Math.ceil(referenceRaw('你好 world') + referenceRaw('one two three')));
  });
});
