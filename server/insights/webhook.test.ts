// The webhook against a real HTTP server on 127.0.0.1: the JSON, Slack and WeCom payloads, and a
// 503 retried with backoff.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../domain/alerts.ts';
import { sendAlert } from './webhook.ts';

const ALERT: Alert = {
  id: 'alert-1', kind: 'spike', intent: 'warranty_claim', topic: null, product: null, date: '2026-06-20', observed: 14, expected: 0.7,
  p_value: 3e-13, details: { q_value: 3.5e-10 }, example_ids: ['syn-42-0000801', 'syn-42-0000802'], status: 'open',
  created_at: '2026-06-30T00:00:00Z', acknowledged_by: null, acknowledged_at: null,
};

let server: Server;
let url: string;
let received: { body: unknown; contentType: string | undefined }[] = [];
/** Statuses to answer with, in order; then 200. */
let script: number[] = [];

const read = (req: IncomingMessage) => new Promise<string>((resolve) => {
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (c: string) => (text += c));
  req.on('end', () => resolve(text));
});

beforeAll(async () => {
  server = createServer((req, res) => {
    void read(req).then((text) => {
      received.push({ body: JSON.parse(text), contentType: req.headers['content-type'] });
      res.statusCode = script.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  script = [];
});

const noWait = async () => {};

describe('the alert webhook', () => {
  it('posts the alert as JSON', async () => {
    const attempts = await sendAlert(ALERT, { url, format: 'json', sleep: noWait });
    expect(attempts).toEqual([{ attempt: 1, status: 200, error: null, ok: true }]);
    expect(received[0]!.contentType).toMatch(/application\/json/);
    expect(received[0]!.body).toEqual({ source: 'firstcall', alert: ALERT });
  });

  it('posts a Slack message with text and a mrkdwn block', async () => {
    await sendAlert(ALERT, { url, format: 'slack', sleep: noWait });
    const body = received[0]!.body as { text: string; blocks: { type: string; text: { type: string; text: string } }[] };
    expect(body.text).toBe('spike: intent warranty_claim on 2026-06-20: 14 dialogues, 0.7 expected (p 3.0e-13, q 3.5e-10)');
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(body.blocks[0]!.text.text).toContain('`syn-42-0000801`');
  });

  it('posts a WeCom robot markdown message', async () => {
    await sendAlert(ALERT, { url, format: 'wecom', sleep: noWait });
    const body = received[0]!.body as { msgtype: string; markdown: { content: string } };
    expect(body.msgtype).toBe('markdown');
    expect(body.markdown.content).toMatch(/^\*\*firstcall alert\*\* spike: intent warranty_claim on 2026-06-20/);
  });

  it('retries a 503 with growing backoff and records every attempt', async () => {
    script = [503, 503];
    const waits: number[] = [];
    const attempts = await sendAlert(ALERT, { url, format: 'json', backoffMs: 10, sleep: async (ms) => void waits.push(ms) });
    expect(attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(attempts.at(-1)!.ok).toBe(true);
    expect(waits).toEqual([10, 20]);
    expect(received).toHaveLength(3);
  });

  it('does not retry a 4xx, and gives up after the last attempt on network errors', async () => {
    script = [400];
    expect((await sendAlert(ALERT, { url, format: 'json', sleep: noWait })).map((a) => a.status)).toEqual([400]);
    const down = await sendAlert(ALERT, { url: 'http://127.0.0.1:1/hook', format: 'json', attempts: 3, sleep: noWait });
    expect(down.map((a) => a.ok)).toEqual([false, false, false]);
    expect(down[0]!.status).toBeNull();
  });
});
