import { describe, expect, it } from 'vitest';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { fcrEstimateOf, refreshFcrEstimates } from './fcr-from-logs.ts';

const at = (day: number) => `2026-03-${String(day).padStart(2, '0')}T10:00:00+08:00`;

describe('FCR estimated from logs', () => {
  it('says no when the same customer comes back about the same intent within the window, on any channel', async () => {
    const { db } = await labelingStore([
      fixtureDialogue('first', { started_at: at(1), channel: 'web' }),
      fixtureDialogue('again', { started_at: at(4), channel: 'phone' }),
      fixtureDialogue('later', { started_at: at(28) }),
    ]);
    const first = await fcrEstimateOf(db, 'first');
    expect(first).toMatchObject({ value: 'no', repeat_dialogue_id: 'again', window_days: 7 });
    expect(first.reason).toContain('3.0 days later');
    expect(first.reason).toContain('phone');
    // the same reason as a code and values, for the UI to say in the reviewer's language
    expect(first).toMatchObject({ reason_code: 'repeat_contact', reason_params: { intent: 'screen_repair', days: '3.0', dialogue_id: 'again', channel: 'phone', window: 7 } });
    // 'again' is followed 24 days later: outside the window, so resolved on first contact.
    expect(await fcrEstimateOf(db, 'again')).toMatchObject({ value: 'yes', repeat_dialogue_id: null });
  });

  it('ignores a repeat contact about another intent or by another customer', async () => {
    const { db } = await labelingStore([
      fixtureDialogue('a', { started_at: at(1) }),
      fixtureDialogue('other-intent', { started_at: at(2), metadata: { intent: 'refund_request' } }),
      fixtureDialogue('other-customer', { started_at: at(2), customer_id: 'c-9' }),
      fixtureDialogue('horizon', { started_at: at(20), customer_id: 'c-8' }),
    ]);
    expect((await fcrEstimateOf(db, 'a')).value).toBe('yes');
  });

  it('says no for escalated or unresolved contacts and unclear when the log cannot tell', async () => {
    const { db } = await labelingStore([
      fixtureDialogue('escalated', { outcome: { resolved: true, escalated: true } }),
      fixtureDialogue('unresolved', { customer_id: 'c-2', outcome: { resolved: false } }),
      fixtureDialogue('anonymous', { customer_id: undefined }),
      fixtureDialogue('no-outcome', { customer_id: 'c-3', outcome: undefined }),
      fixtureDialogue('recent', { customer_id: 'c-4', started_at: at(30) }),
    ]);
    expect(await fcrEstimateOf(db, 'escalated')).toMatchObject({ value: 'no', reason: 'escalated to a human agent' });
    expect(await fcrEstimateOf(db, 'unresolved')).toMatchObject({ value: 'no', reason: 'not resolved in this contact' });
    expect((await fcrEstimateOf(db, 'anonymous')).value).toBe('unclear');
    expect((await fcrEstimateOf(db, 'no-outcome')).reason).toBe('the outcome was not logged');
    expect((await fcrEstimateOf(db, 'recent')).reason).toContain('fewer than 7 days of later logs');
    const codes = await Promise.all(['escalated', 'unresolved', 'anonymous', 'no-outcome', 'recent'].map(async (id) => (await fcrEstimateOf(db, id)).reason_code));
    expect(codes).toEqual(['escalated', 'not_resolved', 'no_customer_id', 'outcome_not_logged', 'window_not_over']);
    expect(await fcrEstimateOf(db, 'missing')).toMatchObject({ value: 'unclear', reason_code: 'not_estimated' });
  });

  it('applies a configurable window', async () => {
    const { db } = await labelingStore([
      fixtureDialogue('first', { started_at: at(1) }),
      fixtureDialogue('again', { started_at: at(10) }),
      fixtureDialogue('horizon', { started_at: at(30), customer_id: 'c-7' }),
    ]);
    expect((await fcrEstimateOf(db, 'first')).value).toBe('yes');
    const counts = await refreshFcrEstimates(db, 14);
    expect(counts.no).toBe(1);
    expect(await fcrEstimateOf(db, 'first')).toMatchObject({ value: 'no', window_days: 14, reason_code: 'repeat_contact', reason_params: { window: 14 } });
    expect(await fcrEstimateOf(db, 'again')).toMatchObject({ value: 'yes', reason_code: 'resolved', reason_params: { window: 14 } });
  });
});
