import { describe, expect, it } from 'vitest';
import { intentOptions, normalizeIntent } from './intent-search.ts';

const intents = [
  { key: 'screen_repair', count: 10 },
  { key: 'refund_request', count: 30 },
  { key: 'repair_status', count: 5 },
];

describe('intent search', () => {
  it('normalises what was typed into a key', () => {
    expect(normalizeIntent('  Screen Repair ')).toBe('screen_repair');
    expect(normalizeIntent('late-delivery')).toBe('late_delivery');
  });

  it('lists prefix matches before substring matches, most used first', () => {
    expect(intentOptions(intents, '').map((o) => o.key)).toEqual(['refund_request', 'screen_repair', 'repair_status']);
    expect(intentOptions(intents, 'rep').map((o) => o.key)).toEqual(['repair_status', 'screen_repair', 'rep']);
    expect(intentOptions(intents, 'repair').map((o) => `${o.kind}:${o.key}`)).toEqual(['existing:repair_status', 'existing:screen_repair', 'new:repair']);
  });

  it('offers to add a new valid key, never an invalid or existing one', () => {
    expect(intentOptions(intents, 'late delivery').at(-1)).toEqual({ kind: 'new', key: 'late_delivery' });
    expect(intentOptions(intents, 'screen_repair').some((o) => o.kind === 'new')).toBe(false);
    expect(intentOptions(intents, '9lives').some((o) => o.kind === 'new')).toBe(false);
    expect(intentOptions(intents, '退货！').some((o) => o.kind === 'new')).toBe(false);
  });

  it('takes keys in the users’ language, NFKC-normalised', () => {
    expect(intentOptions(intents, '退货').at(-1)).toEqual({ kind: 'new', key: '退货' });
    expect(intentOptions(intents, '话费 查询').at(-1)).toEqual({ kind: 'new', key: '话费_查询' });
    expect(normalizeIntent('ｒｅｆｕｎｄ')).toBe('refund');
  });

  it('shows display names in the UI language and finds intents by them', () => {
    const named = [
      { key: '话费查询', count: 3, names: { zh: '话费查询', en: 'Phone bill enquiry' } },
      { key: 'screen_repair', count: 10, names: { zh: '屏幕维修', en: 'Screen repair' } },
      { key: 'refund_request', count: 30 },
    ];
    expect(intentOptions(named, '', 50, 'en').map((o) => (o.kind === 'existing' ? o.name ?? o.key : o.key))).toEqual(['refund_request', 'Screen repair', 'Phone bill enquiry']);
    expect(intentOptions(named, '屏幕', 50, 'zh')[0]).toEqual({ kind: 'existing', key: 'screen_repair', count: 10, name: '屏幕维修' });
    expect(intentOptions(named, 'phone bill', 50, 'zh')[0]).toMatchObject({ key: '话费查询', name: '话费查询' });
  });
});
