import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { FcrEstimateRepository, fcrReasonCode } from '../storage/fcr-estimate-repository.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
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

describe('FCR estimates refreshed after each batch', () => {
  /** A small deterministic generator (mulberry32), so a failure can be replayed. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it('gives the same estimates as recomputing the whole store, with repeat contacts that span batches', async () => {
    const next = random(15);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!;
    const intents = ['screen_repair', 'refund_request', 'order_status', '退货'];
    // 360 contacts by 12 customers (and some anonymous) over 75 days, in random order: later batches
    // bring contacts both before and after the ones already stored, in the same customer-and-intent.
    const dialogues = Array.from({ length: 360 }, (_, i) => {
      const day = 1 + Math.floor(next() * (i < 90 ? 40 : i < 200 ? 55 : i < 210 ? 60 : 75)); // each batch moves the horizon on
      const started = new Date(Date.UTC(2026, 0, day, Math.floor(next() * 24), Math.floor(next() * 60))).toISOString();
      return fixtureDialogue(`d-${String(i).padStart(3, '0')}`, {
        customer_id: next() < 0.08 ? undefined : `c-${Math.floor(next() * 12)}`,
        channel: pick(['web', 'phone', 'email']),
        started_at: next() < 0.03 ? undefined : started,
        outcome: next() < 0.05 ? undefined : { resolved: next() < 0.8, escalated: next() < 0.1 },
        metadata: next() < 0.05 ? {} : { intent: pick(intents) },
      });
    });
    const { db } = await labelingStore(dialogues.slice(0, 90)); // estimated in full on the way in
    const repository = new FcrEstimateRepository(db);
    const snapshot = async () => db.all('SELECT * FROM fcr_estimates ORDER BY dialogue_id');
    const dir = tempDir();
    for (const [n, batch] of [dialogues.slice(90, 200), dialogues.slice(200, 210), dialogues.slice(210)].entries()) {
      const file = join(dir, `batch-${n}.jsonl`);
      writeFileSync(file, batch.map((d) => JSON.stringify(d)).join('\n'));
      await ingestFiles(db, { paths: [file] });

      const incremental = await repository.recompute(7, { chunk: 7 }); // many small transactions
      expect(incremental.mode).toBe('incremental');
      expect(incremental.computed).toBeLessThan(await db.all('SELECT id FROM dialogues').then((r) => r.length));
      const afterIncremental = await snapshot();

      const full = await repository.recompute(7, { full: true });
      expect(full).toMatchObject({ mode: 'full', changed: 0, removed: 0 }); // nothing left for the full recompute to change
      expect(await snapshot()).toEqual(afterIncremental);
      expect(afterIncremental).toHaveLength([200, 210, 360][n]!); // every stored dialogue has one
    }
    // The mix covers every kind of estimate, repeat contacts included.
    const reasons = new Set((await db.all<{ reason: string }>('SELECT reason FROM fcr_estimates')).map((r) => fcrReasonCode(r.reason, 7).reason_code));
    expect([...reasons].sort()).toEqual(['escalated', 'no_customer_id', 'no_intent', 'no_timestamp', 'not_resolved', 'outcome_not_logged', 'repeat_contact', 'resolved', 'window_not_over'].sort());
  });

  it('runs refreshes asked for at the same time one after the other, without conflicting writes', async () => {
    const { db } = await labelingStore([fixtureDialogue('a', { started_at: at(1) })]);
    const file = join(tempDir(), 'more.jsonl');
    writeFileSync(file, [fixtureDialogue('b', { started_at: at(3) }), fixtureDialogue('h', { started_at: at(30), customer_id: 'c-7' })].map((d) => JSON.stringify(d)).join('\n'));
    await ingestFiles(db, { paths: [file] });
    const [one, two] = await Promise.all([refreshFcrEstimates(db), refreshFcrEstimates(db)]);
    expect(one).toEqual(two);
    expect(await fcrEstimateOf(db, 'a')).toMatchObject({ value: 'no', repeat_dialogue_id: 'b' });
  });

  it('recomputes in full when the window changes, and drops nothing it should keep', async () => {
    const { db } = await labelingStore([fixtureDialogue('a', { started_at: at(1) }), fixtureDialogue('b', { started_at: at(10) }), fixtureDialogue('h', { started_at: at(30), customer_id: 'c-7' })]);
    const repository = new FcrEstimateRepository(db);
    expect(await repository.recompute(7)).toMatchObject({ mode: 'incremental', changed: 0 });
    expect(await repository.recompute(14)).toMatchObject({ mode: 'full', computed: 3, changed: 3 });
    expect(await fcrEstimateOf(db, 'a')).toMatchObject({ value: 'no', window_days: 14 });
  });
});
