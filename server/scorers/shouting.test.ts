import { describe, expect, it } from 'vitest';
import { isCodeToken, shoutedWords } from './shouting.ts';

describe('shoutedWords', () => {
  it.each([
    ['I want this fixed NOW.', ['NOW']],
    ['THIS IS UNACCEPTABLE', ['THIS', 'UNACCEPTABLE']],
    ['I WANT MY MONEY BACK', ['WANT', 'MONEY', 'BACK']],
    ['Is it REALLY that hard', ['REALLY']],
  ] as const)('%s shouts %j', (text, words) => {
    expect(shoutedWords(text)).toEqual(words);
  });

  it.each([
    'My number is [PHONE], e-mail [EMAIL].',
    '身份证 [ID_CARD]，银行卡 [BANK_CARD]',
    'Booking reference HXDUBJ, please change the date',
    'The SKU-AB12 charger and order ORD-1234567',
    'Order A1B2C3 on the 4G plan',
    'My VIP order with IMEI 123 and a USB cable',
    'booking ref ABCDEF', // a word-shaped code, but labelled as one
    '订单号 KFZTQM 还没发货',
    'Write to support@example.com or see https://EXAMPLE.COM/HELP',
    'Hi {{Customer Name}}, your <NAME> slot',
  ])('%s is not shouting', (text) => {
    expect(shoutedWords(text)).toEqual([]);
  });

  it('tells codes from words', () => {
    expect(['HXDUBJ', 'SKU-AB12', '4G', 'VIP', 'KFZTQM', 'OK'].every(isCodeToken)).toBe(true);
    expect(['REFUND', 'MONEY', 'NOW', 'UNACCEPTABLE'].some(isCodeToken)).toBe(false);
  });
});
