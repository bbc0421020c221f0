import { describe, expect, it } from 'vitest';
import { characterBigrams, tokenize } from './segment.ts';

describe('tokenize', () => {
  it('segments a Chinese sentence into dictionary words', () => {
    const tokens = tokenize('我刚买的手机屏幕碎了怎么办', 'zh');
    expect(tokens).toContain('手机');
    expect(tokens).toContain('屏幕');
    expect(tokens).toContain('怎么');
    expect(tokens.join('')).toBe('我刚买的手机屏幕碎了怎么办');
  });

  it('drops Chinese and ASCII punctuation, spaces and emoji', () => {
    const tokens = tokenize('您好！请问，订单什么时候到？😀 …… Thanks!!');
    expect(tokens.join('')).toBe('您好请问订单什么时候到thanks');
    for (const t of tokens) expect(t).not.toMatch(/[\s!?,.！？，。…😀]/u);
  });

  it('lower-cases English words and keeps contractions whole', () => {
    expect(tokenize("My Phone's screen CRACKED, don't know why", 'en')).toEqual(['my', "phone's", 'screen', 'cracked', "don't", 'know', 'why']);
  });

  it('treats curly and straight apostrophes alike', () => {
    expect(tokenize('It’s broken')).toEqual(tokenize("It's broken"));
  });

  it('keeps numbers, including decimals and thousands separators, as single tokens', () => {
    expect(tokenize('Order 4923227 cost 1,299.99 for 3.5 kg', 'en')).toEqual(['order', '4923227', 'cost', '1,299.99', 'for', '3.5', 'kg']);
    expect(tokenize('买了2个，共3999元')).toEqual(expect.arrayContaining(['2', '3999']));
  });

  it('splits mixed Chinese and English into words of each', () => {
    const tokens = tokenize('我的iPhone 15屏幕碎了');
    expect(tokens).toContain('iphone');
    expect(tokens).toContain('15');
    expect(tokens).toContain('屏幕');
    expect(tokens.join('')).toBe('我的iphone15屏幕碎了');
  });

  it('normalises full-width letters and digits to ASCII', () => {
    expect(tokenize('ｉＰｈｏｎｅ１５ Ｐｒｏ')).toEqual(tokenize('iPhone15 Pro'));
  });

  it('gives the same tokens whichever language is passed (ICU segments both the same)', () => {
    for (const text of ['我刚买的手机屏幕碎了怎么办', 'My screen cracked', '我的iPhone 15屏幕碎了']) {
      expect(tokenize(text, 'en')).toEqual(tokenize(text, 'zh'));
      expect(tokenize(text)).toEqual(tokenize(text, 'zh'));
    }
  });

  it('returns no tokens for empty or punctuation-only text', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' ，。!? ')).toEqual([]);
  });

  it('turns a redaction placeholder into its lower-case type word', () => {
    expect(tokenize('请拨打[PHONE]联系我')).toContain('phone');
  });
});

describe('characterBigrams', () => {
  it('yields overlapping pairs of adjacent Han characters', () => {
    expect(characterBigrams('屏幕碎了')).toEqual(['屏幕', '幕碎', '碎了']);
  });

  it('does not pair across punctuation, spaces, Latin or digits', () => {
    expect(characterBigrams('手机，屏幕 碎了iPhone15坏了')).toEqual(['手机', '屏幕', '碎了', '坏了']);
  });

  it('yields a lone Han character by itself', () => {
    expect(characterBigrams('好')).toEqual(['好']);
    expect(characterBigrams('A好B坏了')).toEqual(['好', '坏了']);
  });

  it('handles characters outside the Basic Multilingual Plane as one character', () => {
    expect(characterBigrams('𠮷野家')).toEqual(['𠮷野', '野家']);
  });

  it('yields nothing for text without Han characters', () => {
    expect(characterBigrams('')).toEqual([]);
    expect(characterBigrams('My screen cracked 123')).toEqual([]);
  });

  it('shares bigrams between phrasings that differ by an inserted particle', () => {
    const a = new Set(characterBigrams('手机屏幕碎了'));
    const b = characterBigrams('手机的屏幕碎掉了');
    expect(b.filter((g) => a.has(g))).toEqual(['手机', '屏幕', '幕碎']);
  });
});
