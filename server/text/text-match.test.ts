import { describe, expect, it } from 'vitest';
import { compact, coverage, matchFacts, negatedBefore, referenceRecall, stem, terms } from './text-match.ts';

describe('stem', () => {
  it.each([
    ['days', 'day'],
    ['covered', 'cover'],
    ['transferring', 'transfer'],
    ['transferred', 'transfer'],
    ['replies', 'reply'],
    ['business', 'business'],
    ['boxes', 'box'],
    ['apologise', 'sorry'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('fact coverage', () => {
  const cov = (fact: string, reply: string) => coverage(fact, terms(reply), compact(reply));

  it('is 1 for a verbatim fact, ignoring spaces, case and punctuation', () => {
    expect(cov('7天无理由退货', '支持 7 天无理由退货。')).toBe(1);
    expect(cov('Out of warranty', "it's out-of-warranty now")).toBe(1);
  });

  it('finds reworded Chinese through bigrams and English through stems', () => {
    expect(cov('已过保修期', '保修期已过，现在已经过保修期了')).toBeGreaterThanOrEqual(0.7);
    expect(cov('within 30 days', 'you are still within the 30 day window')).toBe(1);
  });

  it('treats a fact without its number as missing', () => {
    expect(cov('59元/月', '畅享套餐39元/月')).toBeLessThan(0.4);
    expect(cov('SF1234567890123', 'tracking SF1234567890999')).toBeLessThan(0.4);
  });

  it('does not credit a fact the reply denies', () => {
    const [cancelled] = matchFacts(['已为您取消'], '订单一旦支付就不能取消了，为您查询到物流。');
    expect(cancelled!.credit).toBe(0);
    const [refund] = matchFacts(['refund'], 'After 7 days we can only repair it, not refund it.');
    expect(refund!.credit).toBe(0);
    const [denial] = matchFacts(['无法办理退款'], '很抱歉，无法办理退款。');
    expect(denial!.credit).toBe(1);
  });
});

describe('referenceRecall', () => {
  it('is higher for a paraphrase than for an unrelated reply', () => {
    const ref = '您的订单已发货，运单号SF1234567890123，预计3月14日送达。';
    expect(referenceRecall(ref, '订单已经发货了，运单号SF1234567890123，3月14日能到。')).toBeGreaterThan(referenceRecall(ref, '请问还有什么可以帮您？'));
  });
});

describe('negatedBefore', () => {
  it.each([
    ['不', true],
    ['我无法为您', true],
    ["I can't ", true],
    ['it is not ', true],
    ["I'm now ", false],
    ['非常高兴为您', false],
    ['', false],
  ])('%j -> %s', (prefix, expected) => {
    expect(negatedBefore(prefix)).toBe(expected);
  });
});
