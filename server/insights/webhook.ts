// Sends an alert to the configured webhook as plain JSON, a Slack message or a WeCom (企业微信) robot
// markdown message; retries with exponential backoff on 5xx, 429 and network errors, and reports
// every attempt so the caller can record it. `fetch` and the sleep are injectable.
import type { Alert, WebhookFormat } from '../domain/alerts.ts';
import { alertLine, alertMarkdown } from './alerts-format.ts';

export interface WebhookAttempt {
  attempt: number;
  status: number | null;
  error: string | null;
  ok: boolean;
}

export interface WebhookOptions {
  url: string;
  format: WebhookFormat;
  fetch?: typeof fetch;
  /** Attempts in all (default 4). */
  attempts?: number;
  /** First backoff; doubles each retry (default 500 ms). */
  backoffMs?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The request body for a format. */
export function webhookPayload(alert: Alert, format: WebhookFormat): unknown {
  switch (format) {
    case 'json':
      return { source: 'firstcall', alert };
    case 'slack':
      return { text: alertLine(alert), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: alertMarkdown(alert, '*') } }] };
    case 'wecom':
      return { msgtype: 'markdown', markdown: { content: alertMarkdown(alert, '**') } };
  }
}

const retryable = (status: number) => status >= 500 || status === 429;

/** Posts the alert; resolves with every attempt made (the last one tells whether it got through). */
export async function sendAlert(alert: Alert, options: WebhookOptions): Promise<WebhookAttempt[]> {
  const doFetch = options.fetch ?? fetch;
  const attempts = options.attempts ?? 4;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify(webhookPayload(alert, options.format));
  const made: WebhookAttempt[] = [];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let again: boolean;
    try {
      const response = await doFetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      made.push({ attempt, status: response.status, error: response.ok ? null : `HTTP ${response.status}`, ok: response.ok });
      again = !response.ok && retryable(response.status);
    } catch (error) {
      made.push({ attempt, status: null, error: error instanceof Error ? error.message : String(error), ok: false });
      again = true;
    }
    if (!again || attempt === attempts) break;
    await sleep((options.backoffMs ?? 500) * 2 ** (attempt - 1));
  }
  return made;
}
