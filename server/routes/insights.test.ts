// The insights API on the real app: trends and channel consistency for the team, alerts listed and
// acknowledged (admin only), detection sending new alerts to a real webhook server once.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { createApiKey } from '../services/api-keys.ts';
import { AlertRepository } from '../storage/alert-repository.ts';
import type { Database } from '../storage/database.ts';
import { generateCorpus } from '../synthetic/generate-corpus.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';

let app: FastifyInstance;
let db: Database;
let hook: Server;
const hookBodies: unknown[] = [];
const keys: Record<'engineer' | 'admin' | 'reviewer', string> = { engineer: '', admin: '', reviewer: '' };
const as = (role: keyof typeof keys) => ({ authorization: `Bearer ${keys[role]}` });

beforeAll(async () => {
  const dir = tempDir();
  const file = join(dir, 'corpus.jsonl');
  const items = [...generateCorpus({ n: 800, seed: 42, plantSpike: { date: '2026-06-20' } })];
  writeFileSync(file, items.map((i) => JSON.stringify(i.kind === 'customer' ? i.customer : i.dialogue)).join('\n'));
  db = await tempStore(dir);
  await ingestFiles(db, { paths: [file] });
  for (const role of ['engineer', 'admin', 'reviewer'] as const) keys[role] = (await createApiKey(db, role, role)).key;
  hook = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      hookBodies.push(JSON.parse(text));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  app = await buildApp({ db });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((resolve) => hook.close(() => resolve()));
});

describe('/api/insights', () => {
  it('serves weekly trends by intent with intervals, and daily ones', async () => {
    const week = await app.inject({ url: '/api/insights/trends?by=week&group=intent&from=2026-05-01&to=2026-06-30', headers: as('engineer') });
    expect(week.statusCode).toBe(200);
    const body = week.json();
    expect(body).toMatchObject({ by: 'week', group: 'intent', window_days: 7 });
    const point = body.points.find((p: { group: string | null; label: string }) => p.group === 'warranty_claim' && p.label === '2026-W25');
    expect(point.volume).toBeGreaterThanOrEqual(14);
    expect(point.metrics.handoff_rate).toMatchObject({ n: point.volume });
    const day = (await app.inject({ url: '/api/insights/trends?by=day&group=language', headers: as('admin') })).json();
    expect(day.points.find((p: { period: string; group: string | null }) => p.period === '2026-06-20' && p.group === null).service_hours.of).toBe(24);
    expect((await app.inject({ url: '/api/insights/trends?by=month', headers: as('admin') })).statusCode).toBe(400);
  });

  it('keeps trends and channel consistency to one source when asked, and groups trends by source', async () => {
    // a slice of the store as the production bot's own traffic
    await db.run("UPDATE dialogues SET source = 'production' WHERE id IN (SELECT id FROM dialogues ORDER BY id LIMIT 200)");
    type Point = { group: string | null; volume: number };
    const volume = async (query: string) => {
      const body = (await app.inject({ url: `/api/insights/trends?by=week${query}`, headers: as('engineer') })).json();
      return { body, total: body.points.filter((p: Point) => p.group === null).reduce((sum: number, p: Point) => sum + p.volume, 0) as number };
    };
    const all = await volume('');
    const production = await volume('&source=production');
    const logs = await volume('&source=jsonl');
    expect(production.body.source).toBe('production');
    expect(production.total).toBeGreaterThan(0);
    expect(production.total).toBeLessThanOrEqual(200);
    expect(production.total + logs.total).toBe(all.total);
    const bySource = await volume('&group=source');
    const groups = new Set(bySource.body.points.map((p: Point) => p.group));
    expect(groups).toEqual(new Set([null, 'production', 'jsonl']));
    const channels = (await app.inject({ url: '/api/insights/channels?source=production', headers: as('engineer') })).json();
    expect(channels.source).toBe('production');
    const counted = channels.intents.find((i: { intent: string }) => i.intent === '(all intents)');
    expect(counted.channels.reduce((sum: number, c: { handoff_rate: { n: number } | null }) => sum + (c.handoff_rate?.n ?? 0), 0)).toBeLessThanOrEqual(200);
    const bad = await app.inject({ url: '/api/insights/trends?source=twitter', headers: as('engineer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/source/);
    await db.run("UPDATE dialogues SET source = 'jsonl' WHERE source = 'production'");
  });

  it('answers channel consistency per intent', async () => {
    const response = await app.inject({ url: '/api/insights/channels', headers: as('engineer') });
    expect(response.statusCode).toBe(200);
    expect(response.json().intents.length).toBeGreaterThan(5);
  });

  it('runs detection, sends each new alert to the webhook once, lists and acknowledges (admin only)', async () => {
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    expect((await app.inject({ method: 'PUT', url: '/api/insights/settings', headers: as('engineer'), payload: { alert_webhook_url: url } })).statusCode).toBe(403);
    const put = await app.inject({ method: 'PUT', url: '/api/insights/settings', headers: as('admin'), payload: { alert_webhook_url: url, alert_webhook_format: 'wecom' } });
    expect(put.json()).toMatchObject({ alert_webhook_url: url, alert_webhook_format: 'wecom', alert_q: 0.05 });

    const run = await app.inject({ method: 'POST', url: '/api/insights/detect', headers: as('engineer'), payload: {} });
    expect(run.statusCode).toBe(200);
    const found = run.json().found as { id: string; kind: string; intent: string | null }[];
    expect(found.some((a) => a.kind === 'spike' && a.intent === 'warranty_claim')).toBe(true);
    expect(hookBodies).toHaveLength(found.length);
    expect(hookBodies[0]).toMatchObject({ msgtype: 'markdown' });
    expect((await new AlertRepository(db).deliveries(found[0]!.id))).toMatchObject([{ attempt: 1, status: 200, ok: true, format: 'wecom' }]);
    await app.inject({ method: 'POST', url: '/api/insights/detect', headers: as('engineer'), payload: {} });
    expect(hookBodies).toHaveLength(found.length); // already delivered: not resent

    const open = (await app.inject({ url: '/api/insights/alerts?status=open', headers: as('engineer') })).json().alerts as { id: string }[];
    expect(open.map((a) => a.id).sort()).toEqual(found.map((a) => a.id).sort());
    const id = found[0]!.id;
    expect((await app.inject({ method: 'POST', url: `/api/insights/alerts/${id}/acknowledge`, headers: as('engineer') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/insights/alerts/${id}/acknowledge`, headers: as('reviewer') })).statusCode).toBe(403);
    const ack = await app.inject({ method: 'POST', url: `/api/insights/alerts/${id}/acknowledge`, headers: as('admin') });
    expect(ack.json()).toMatchObject({ id, status: 'acknowledged', acknowledged_by: 'admin' });
    expect((await app.inject({ url: '/api/insights/alerts?status=open', headers: as('admin') })).json().alerts.map((a: { id: string }) => a.id)).not.toContain(id);
    expect((await app.inject({ method: 'POST', url: '/api/insights/alerts/alert-none/acknowledge', headers: as('admin') })).statusCode).toBe(404);
  });
});
