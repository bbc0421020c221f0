import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.ts';

describe('detectLanguage', () => {
  it.each([
    ['我刚买的手机屏幕碎了怎么办'],
    ['在吗'],
    ['好'],
    ['好的 OK'],
    ['您好，请问有什么可以帮您？'],
    ['我的iPhone 15屏幕碎了'],
    ['请问AirPods Pro 2代支持无线充电吗'],
    ['我的Apple ID登不上了'],
    ['我想退货 Apple MacBook Pro 14-inch M3 Max'],
    ['Nintendo Switch OLED 能退吗'],
    ['iPhone 15 Pro Max 退货'],
    ['Please help, 我的订单没到'],
    ['这个 order 的 refund 什么时候到账'],
    ['订单号W4923227查一下'],
    ['𠮷野家'],
    ['繁體中文的訂單查詢'],
  ])('detects %s as zh', (text) => {
    expect(detectLanguage(text)).toBe('zh');
  });

  it.each([
    ['My phone screen cracked, what should I do?'],
    ['Hello, my name is 李娜 and I want to return my order.'],
    ["Hi, this is 王伟, my order #123 hasn't arrived."],
    ["My order from 京东 hasn't arrived"],
    ['Please ask 王小明 to call me back'],
    ['I bought it at the 王府井 store last week'],
    ['The 小米 phone screen cracked'],
    ['Ça coûte combien? Très cher.'],
    ['ＰＬＥＡＳＥ ＨＥＬＰ'],
  ])('detects %s as en', (text) => {
    expect(detectLanguage(text)).toBe('en');
  });

  it('returns en when there is no Han character and no letter at all', () => {
    for (const text of ['', '   ', '13800138000', '😀👍', '？！。，', '¥3,999.00']) expect(detectLanguage(text)).toBe('en');
  });

  it('decides over all texts together, so a long Chinese turn outweighs a short English one', () => {
    expect(detectLanguage(['Hi', 'OK thanks', '我刚买的手机屏幕碎了怎么办，能免费修吗？'])).toBe('zh');
    expect(detectLanguage(['我叫王伟', 'My order has not arrived yet and the tracking page shows no update since Monday'])).toBe('en');
  });

  it('treats a single string like a one-element array', () => {
    for (const text of ['我的iPhone 15屏幕碎了', 'The 小米 phone screen cracked']) {
      expect(detectLanguage(text)).toBe(detectLanguage([text]));
    }
  });

  it('returns en for an empty array', () => {
    expect(detectLanguage([])).toBe('en');
  });

  it('leans zh for a bare Chinese name with one English word (too short to tell; the dialogue decides)', () => {
    expect(detectLanguage('Thanks 王伟')).toBe('zh');
  });

  it('counts Latin words rather than letters, so long product names do not outvote Chinese', () => {
    expect(detectLanguage('退货 Supercalifragilisticexpialidocious')).toBe('zh');
    expect(detectLanguage('退货 a b c d')).toBe('en');
  });
});
