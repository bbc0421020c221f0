// `firstcall insights --json` lists the open alerts and exits 1; 0 once none is open.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { generateCorpus } from '../../server/synthetic/generate-corpus.ts';
import { tempDir } from '../../server/test-support/temp.ts';
import { runLocal } from '../command.ts';
import { insightsCommand } from './insights.ts';

async function storeFile(plantSpike: boolean): Promise<string> {
  const dir = tempDir();
  const corpus = join(dir, 'corpus.jsonl');
  const items = [...generateCorpus({ n: 800, seed: 42, plantSpike: plantSpike ? { date: '2026-06-20' } : undefined })];
  writeFileSync(corpus, items.map((i) => JSON.stringify(i.kind === 'customer' ? i.customer : i.dialogue)).join('\n'));
  const file = join(dir, 'store.duckdb');
  const db = await openDatabase(file);
  await ingestFiles(db, { paths: [corpus] });
  db.close();
  return file;
}

function capture() {
  const out: string[] = [];
  return { io: { out: (t: string) => void out.push(t), err: () => {}, isTTY: false }, text: () => out.join('\n') };
}

describe('firstcall insights', () => {
  it('prints the alerts as JSON and exits 1 while one is open', async () => {
    const db = await storeFile(true);
    const { io, text } = capture();
    expect(await runLocal(insightsCommand, { db, json: true, notify: false }, io)).toBe(1);
    const report = JSON.parse(text());
    const spike = report.alerts.find((a: { kind: string; intent: string | null }) => a.kind === 'spike' && a.intent === 'warranty_claim');
    expect(spike).toMatchObject({ date: '2026-06-20', status: 'open' });
    expect(spike.observed).toBeGreaterThan(spike.expected);
    expect(spike.example_ids.length).toBeGreaterThan(0);
    expect(report.trends.points.length).toBeGreaterThan(20);

    const plain = capture();
    expect(await runLocal(insightsCommand, { db, alertsOnly: true, notify: false }, plain.io)).toBe(1);
    expect(plain.text()).toMatch(/spike: intent warranty_claim on 2026-06-20: \d+ dialogues/);
    expect(plain.text()).not.toMatch(/trends by week/);
  });

  it('exits 0 when no alert is open', async () => {
    const db = await storeFile(false);
    const { io, text } = capture();
    expect(await runLocal(insightsCommand, { db, json: true, alertsOnly: true, notify: false }, io)).toBe(0);
    expect(JSON.parse(text())).toMatchObject({ alerts: [], trends: null });
    const plain = capture();
    expect(await runLocal(insightsCommand, { db, notify: false }, plain.io)).toBe(0);
    expect(plain.text()).toMatch(/trends by week, all channels/);
    expect(plain.text()).toMatch(/no open alerts/);
    // one source only: nothing here came from the production endpoint
    const production = capture();
    expect(await runLocal(insightsCommand, { db, json: true, source: 'production', notify: false }, production.io)).toBe(0);
    expect(JSON.parse(production.text()).trends).toMatchObject({ source: 'production', points: [] });
  });
});
