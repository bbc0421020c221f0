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
    expect(intentOptions(intents, '退货').some((o) => o.kind === 'new')).toBe(false);
    expect(intentOptions(intents, '9lives').some((o) => o.kind === 'new')).toBe(false);
  });
});
