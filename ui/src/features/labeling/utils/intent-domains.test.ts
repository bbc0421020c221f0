import { describe, expect, it } from 'vitest';
import { groupIntentOptions, intentDomain } from './intent-domains.ts';
import { intentOptions, intentWords } from './intent-search.ts';

describe('intent domains', () => {
  it('splits CamelCase keys from imported datasets into words', () => {
    expect(intentWords('CheckCreditCardBalance')).toBe('check_credit_card_balance');
    expect(intentWords('AskConsumerPriceIndex')).toBe('ask_consumer_price_index');
    expect(intentWords('screen_repair')).toBe('screen_repair');
  });

  it('tells retail, telecom, banking and general intents apart', () => {
    const domains = (keys: string[]) => keys.map(intentDomain);
    expect(domains(['cancel_order', 'track_refund', 'check_invoice', 'change_payment_method', 'exchange', 'delivery_delay', '退货'])).toEqual(Array(7).fill('retail'));
    expect(domains(['plan_recommendation', 'billing_dispute', 'device_setup', 'screen_repair', '话费查询'])).toEqual(Array(5).fill('telecom'));
    expect(domains(['CheckCreditCardBalance', 'GetExchangeRate', 'PayLoan', 'CancelCheck', 'FindBranch', 'MakeTransfer', 'SetAutoPayment'])).toEqual(Array(7).fill('banking'));
    expect(domains(['transfer_to_human', 'contact_customer_service', 'complaint', 'recover_password'])).toEqual(Array(4).fill('general'));
  });

  it('groups the options by domain, groups ordered by their best option, a new key last', () => {
    const intents = [
      { key: 'PayLoan', count: 40 },
      { key: 'cancel_order', count: 30 },
      { key: 'MakeCreditCardPayment', count: 5 },
      { key: 'track_order', count: 20 },
    ];
    const groups = groupIntentOptions(intentOptions(intents, ''));
    expect(groups.map((g) => [g.domain, g.options.map((o) => o.key)])).toEqual([
      ['banking', ['PayLoan', 'MakeCreditCardPayment']],
      ['retail', ['cancel_order', 'track_order']],
    ]);
    // found by the words of a CamelCase key
    expect(groupIntentOptions(intentOptions(intents, 'pay')).map((g) => [g.domain, g.options.map((o) => o.key)])).toEqual([
      ['banking', ['PayLoan', 'MakeCreditCardPayment']],
      [null, ['pay']],
    ]);
    expect(intentOptions(intents, 'credit card')[0]?.key).toBe('MakeCreditCardPayment');
  });
});
