import { describe, expect, it } from 'vitest';
import { isCodeLike, normaliseForFeatures, readableFeatureText, shoutedWords } from './text-normalise.ts';

describe('shoutedWords', () => {
  it('does not take placeholders or upper-case codes for shouting', () => {
    expect(shoutedWords('My number is [PHONE] and my code is HXDUBJ')).toEqual([]);
    expect(shoutedWords('[PHONE] [EMAIL] HXDUBJ SF1234567890 VIP')).toEqual([]);
    expect(shoutedWords('您好，您的验证码是HXDUBJ，请在[PHONE]上查收')).toEqual([]);
    expect(shoutedWords('Is my 4G plan OK?')).toEqual([]);
  });

  it('finds runs of capitalised words and a capitalised word before "!"', () => {
    expect(shoutedWords('This is TOTALLY UNACCEPTABLE, fix it')).toEqual(['TOTALLY', 'UNACCEPTABLE']);
    expect(shoutedWords('Answer me NOW!')).toEqual(['NOW']);
    expect(shoutedWords('WHY IS MY PHONE STILL BROKEN')).toEqual(['WHY', 'PHONE', 'STILL', 'BROKEN']);
  });
});

describe('normaliseForFeatures', () => {
  it('turns placeholders, codes and long numbers into neutral symbols and lower-cases the rest', () => {
    const n = normaliseForFeatures('Call [PHONE] or mail a@b.com, code HXDUBJ, order 20260131976589. THANKS');
    expect(readableFeatureText(n)).toBe('call [PHONE] or mail [EMAIL], code [CODE], order [NUMBER]. thanks');
  });

  it('keeps short numbers such as hotlines, and acronyms that read as words', () => {
    expect(normaliseForFeatures('请拨打10086')).toBe('请拨打10086');
    expect(normaliseForFeatures('WIFI 信号差')).toBe('wifi 信号差');
  });

  it('knows codes from words', () => {
    expect(isCodeLike('HXDUBJ')).toBe(true);
    expect(isCodeLike('A1B2')).toBe(true);
    expect(isCodeLike('REFUND')).toBe(false);
    expect(isCodeLike('STRONG')).toBe(false);
  });
});
