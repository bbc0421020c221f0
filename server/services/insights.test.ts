// Insights on real stores: weekly trends with intervals on a generated store, automation and
// repeat-contact rates on hand-made dialogues, the spike detector on stores with and without a
// planted spike, FCR drops, idempotent alerts and acknowledgement.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DialogueInput } from '../domain/dialogue.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import type { Database } from '../storage/database.ts';
import { generateCorpus } from '../synthetic/generate-corpus.ts';
import type { PlantedSpike } from '../synthetic/planted-spike.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { InsightsService } from './insights.ts';
import { putAlertSettings } from './settings.ts';

async function storeOf(lines: readonly unknown[]): Promise<Database> {
  const dir = tempDir();
  const file = join(dir, 'logs.jsonl');
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
  const db = await tempStore(dir);
  await ingestFiles(db, { paths: [file] });
  return db;
}

async function generatedStore(seed: number, plantSpike?: PlantedSpike, n = 800): Promise<Database> {
  return storeOf([...generateCorpus({ n, seed, plantSpike })].map((item) => (item.kind === 'customer' ? item.customer : item.dialogue)));
}

const SPIKE = { intent: 'warranty_claim', model: 'Vista 65 Mini LED', date: '2026-06-20', count: 14 } as const;

describe('production health over time', () => {
  it('reports trends per ISO week with 95% intervals on a generated store, per channel and for all', async () => {
    const db = await generatedStore(7);
    const trends = await new InsightsService(db).trends({ by: 'week', group: 'channel' });
    const overall = trends.points.filter((p) => p.group === null);
    expect(overall.length).toBeGreaterThanOrEqual(20); // six months of contacts
    expect(overall.every((p) => p.label.match(/^\d{4}-W\d{2}$/) && new Date(`${p.period}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(overall.reduce((a, p) => a + p.volume, 0)).toBe(800);
    // Per channel points add up to the week's volume.
    for (const week of overall) expect(trends.points.filter((p) => p.period === week.period && p.group !== null).reduce((a, p) => a + p.volume, 0)).toBe(week.volume);
    const busy = overall.find((p) => p.volume >= 30)!;
    for (const name of ['fcr', 'automation_rate', 'handoff_rate', 'repeat_contact_rate', 'csat', 'turns_to_resolution', 'seconds_to_resolution'] as const) {
      const e = busy.metrics[name]!;
      expect(e, name).not.toBeNull();
      expect(e.low!, name).toBeLessThanOrEqual(e.value);
      expect(e.high!, name).toBeGreaterThanOrEqual(e.value);
      expect(e.n, name).toBeGreaterThan(1);
    }
    expect(busy.metrics.fcr!.value).toBeGreaterThan(0.3);
    expect(busy.metrics.fcr!.value).toBeLessThan(0.95);
    expect(busy.service_hours.of).toBe(168);
    expect(busy.service_hours.covered).toBeGreaterThan(10);
    // No token usage logged: no cost, rather than a made-up one.
    expect(busy.metrics.cost_per_contact).toBeNull();
    // The last week's FCR counts only dialogues whose 7-day window has passed.
    expect(overall.at(-1)!.metrics.fcr?.n ?? 0).toBeLessThan(overall.at(-1)!.volume);
  });

  it('computes automation and repeat-contact rates, hand-offs and cost on hand-made dialogues', async () => {
    const at = (day: string, hh = '10') => `2026-05-${day}T${hh}:00:00+08:00`;
    const d = (id: string, customer: string, day: string, agents: ('bot' | 'human')[], outcome: DialogueInput['outcome'], intent = 'delivery_delay', extra: Partial<DialogueInput> = {}): DialogueInput => ({
      id, channel: 'web', customer_id: customer, language: 'en', started_at: at(day),
      turns: [{ role: 'customer', text: 'Where is my parcel?', at: at(day) }, ...agents.map((k, i) => ({ role: 'agent' as const, text: `reply ${i}`, agent_kind: k, at: `2026-05-${day}T10:0${i + 1}:00+08:00` }))],
      outcome, metadata: { intent }, ...extra,
    });
    const db = await storeOf([
      d('a1', 'c1', '04', ['bot'], { resolved: true, escalated: false }), // automated; repeated on 06
      d('a2', 'c1', '06', ['bot', 'human'], { resolved: true, escalated: false }), // a human took over: not automated, a hand-off
      d('a3', 'c2', '04', ['bot'], { resolved: true, escalated: false }, 'refund_request', { metadata: { intent: 'refund_request', model: 'openai:gpt-4o-mini', usage: { input_tokens: 1_000_000, output_tokens: 0 } } }),
      d('a4', 'c3', '05', ['bot'], { resolved: false, escalated: true }, 'refund_request', { metadata: { intent: 'refund_request', model: 'openai:gpt-4o-mini', usage: { prompt_tokens: 0, completion_tokens: 1_000_000 } } }),
      d('a5', 'c4', '05', ['human'], { resolved: true, escalated: false }),
      d('a6', 'c5', '25', ['bot'], { resolved: true, escalated: false }), // the newest: its window has not passed
    ]);
    const trends = await new InsightsService(db).trends({ by: 'week', group: 'channel', from: '2026-05-01', to: '2026-05-31' });
    const week = trends.points.find((p) => p.group === null && p.period === '2026-05-04')!;
    expect(week.volume).toBe(5);
    const m = week.metrics;
    expect(m.automation_rate).toMatchObject({ value: 2 / 5, n: 5 }); // a1, a3
    expect(m.handoff_rate).toMatchObject({ value: 2 / 5, n: 5 }); // a2 (human took over), a4 (escalated)
    expect(m.repeat_contact_rate).toMatchObject({ value: 1 / 5, n: 5 }); // a1 followed by a2 within 7 days
    expect(m.fcr).toMatchObject({ value: 3 / 5, n: 5 }); // a2, a3, a5 (a1 was repeated, a4 escalated)
    expect(m.turns_to_resolution).toMatchObject({ n: 4 });
    expect(m.seconds_to_resolution!.value).toBeCloseTo((60 + 120 + 60 + 60) / 4, 6);
    // gpt-4o-mini: $0.15 per 1M input tokens, $0.60 per 1M output tokens.
    expect(m.cost_per_contact!.value).toBeCloseTo((0.15 + 0.6) / 2, 9);
    expect(m.cost_per_resolution!.value).toBeCloseTo(0.75 / 1, 9);
    const last = trends.points.find((p) => p.group === null && p.period === '2026-05-25')!;
    expect(last.metrics.fcr).toBeNull();
    expect(last.metrics.repeat_contact_rate).toBeNull();
    expect(last.metrics.automation_rate).toMatchObject({ value: 1, n: 1 });
  });

  it('tests channel consistency per intent with a p-value and says what differs', async () => {
    const db = await generatedStore(7);
    const channels = await new InsightsService(db).channels({});
    const intent = channels.intents.find((i) => i.intent === 'delivery_delay')!;
    expect(intent.channels.map((c) => c.channel).sort()).toEqual(['app', 'phone', 'web', 'wechat']);
    expect(intent.p_value).toBeGreaterThanOrEqual(0);
    expect(intent.p_value).toBeLessThanOrEqual(1);
    expect(intent.df).toBe(3);
    expect(intent.explanation).toMatch(/resolves \d+% \(hand-off \d+%, replies \d+ chars\)/);
  });
});

describe('early warning', () => {
  it('finds a planted spike with its example dialogues, and nothing on the weeks without one', async () => {
    const db = await generatedStore(42, SPIKE);
    const service = new InsightsService(db);
    const result = await service.detect({ notify: false });
    expect(result.to).toBe('2026-06-29');
    const spikes = result.found.filter((a) => a.kind === 'spike');
    const byIntent = spikes.find((a) => a.intent === 'warranty_claim')!;
    expect(byIntent).toMatchObject({ date: '2026-06-20', status: 'open' });
    expect(byIntent.observed).toBeGreaterThanOrEqual(12);
    expect(byIntent.expected).toBeLessThan(2);
    expect(byIntent.example_ids.length).toBe(5);
    // The planted dialogues come after the 800 ordinary ones.
    expect(byIntent.example_ids.filter((id) => Number(id.slice(-7)) > 800).length).toBeGreaterThanOrEqual(4);
    expect(spikes.some((a) => a.product?.includes('Vista 65') && a.date === '2026-06-20')).toBe(true);
    // Every alert is about the planted day.
    expect(result.found.map((a) => a.date)).toEqual(result.found.map(() => '2026-06-20'));
    // Idempotent: a rerun updates the same alerts.
    const again = await service.detect({ notify: false });
    expect(again.found.map((a) => a.id).sort()).toEqual(result.found.map((a) => a.id).sort());
    expect((await service.alerts({ status: 'open' })).length).toBe(result.found.length);
  });

  it('stays quiet on stores with no spike (Benjamini–Hochberg at q = 0.05, several seeds)', async () => {
    let alerts = 0;
    let tests = 0;
    for (const seed of [1, 2, 3]) {
      const result = await new InsightsService(await generatedStore(seed)).detect({ notify: false });
      alerts += result.found.length;
      tests += result.tests.spike;
      expect(result.false_alarm_control).toMatch(/q = 0.05/);
    }
    expect(tests).toBeGreaterThan(1000);
    expect(alerts).toBe(0);
  });

  it('flags a drop in FCR for an intent against its baseline weeks', async () => {
    const lines: DialogueInput[] = [];
    // Ten weeks of billing questions, 30 a week, 80% resolved; then a week at 30%.
    for (let week = 0; week < 11; week++) {
      for (let i = 0; i < 30; i++) {
        const day = new Date(Date.UTC(2026, 2, 2 + week * 7 + (i % 5)));
        const date = day.toISOString().slice(0, 10);
        const resolved = week < 10 ? i % 10 < 8 : i % 10 < 3;
        lines.push({
          id: `b-${week}-${i}`, channel: 'web', customer_id: `c-${week}-${i}`, language: 'en', started_at: `${date}T09:00:00+08:00`,
          turns: [{ role: 'customer', text: 'My bill is wrong' }, { role: 'agent', text: 'Let me check.', agent_kind: 'bot' }],
          outcome: { resolved, escalated: false }, metadata: { intent: 'billing_dispute' },
        });
      }
    }
    // Later traffic so the last week's repeat-contact window has passed.
    lines.push({ id: 'later', channel: 'web', customer_id: 'z', language: 'en', started_at: '2026-05-30T09:00:00+08:00', turns: [{ role: 'customer', text: 'hi' }], metadata: { intent: 'other' } });
    const db = await storeOf(lines);
    await putAlertSettings(db, { alert_lookback_days: 21 }, 'test');
    const result = await new InsightsService(db).detect({ notify: false });
    const drop = result.found.find((a) => a.kind === 'fcr_drop')!;
    expect(drop).toMatchObject({ intent: 'billing_dispute', date: '2026-05-11' });
    expect(drop.observed).toBeCloseTo(0.3, 6);
    expect(drop.expected).toBeCloseTo(0.8, 6);
    expect(drop.p_value).toBeLessThan(1e-4);
    expect(drop.example_ids).toHaveLength(5);
    expect(result.found.filter((a) => a.kind === 'fcr_drop')).toHaveLength(1);
  });

  it('lets an admin acknowledge an alert, once', async () => {
    const db = await generatedStore(42, SPIKE);
    const service = new InsightsService(db);
    const [first] = (await service.detect({ notify: false })).found;
    const acknowledged = await service.acknowledge(first!.id, 'ada');
    expect(acknowledged).toMatchObject({ status: 'acknowledged', acknowledged_by: 'ada' });
    expect((await service.acknowledge(first!.id, 'bob')).acknowledged_by).toBe('ada');
    expect((await service.alerts({ status: 'open' })).map((a) => a.id)).not.toContain(first!.id);
    // A rerun keeps the acknowledgement.
    await service.detect({ notify: false });
    expect((await service.alerts({ status: 'acknowledged' })).map((a) => a.id)).toEqual([first!.id]);
    await expect(service.acknowledge('alert-nope', 'ada')).rejects.toMatchObject({ code: 'not_found' });
  });
});
