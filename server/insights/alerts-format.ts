// Alerts in words: one line for the CLI, and the markdown a chat webhook shows.
import type { Alert } from '../domain/alerts.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** What the alert is about: `intent warranty_claim`, `product Vista 65" Mini LED TV`. */
export function alertSubject(alert: Pick<Alert, 'intent' | 'topic' | 'product'>): string {
  if (alert.product) return `product ${alert.product}`;
  if (alert.topic) return `topic ${alert.topic}`;
  return `intent ${alert.intent ?? '(none)'}`;
}

/** One line: kind, subject, date, observed vs expected, p-value. */
export function alertLine(alert: Pick<Alert, 'kind' | 'intent' | 'topic' | 'product' | 'date' | 'observed' | 'expected' | 'p_value' | 'details'>): string {
  const subject = alertSubject(alert);
  const q = typeof alert.details.q_value === 'number' ? `, q ${alert.details.q_value.toPrecision(2)}` : '';
  const p = `p ${alert.p_value.toPrecision(2)}${q}`;
  switch (alert.kind) {
    case 'spike':
      return `spike: ${subject} on ${alert.date}: ${alert.observed} dialogues, ${alert.expected.toFixed(1)} expected (${p})`;
    case 'new_topic':
      return `new topic: ${subject} first seen ${alert.date}: ${alert.observed} dialogues in its first 7 days, none before (${p})`;
    case 'fcr_drop':
      return `FCR drop: ${subject} in the week of ${alert.date}: ${pct(alert.observed)} vs ${pct(alert.expected)} before (${p})`;
    case 'csat_drop':
      return `CSAT drop: ${subject} in the week of ${alert.date}: ${pct(alert.observed)} vs ${pct(alert.expected)} before (${p})`;
  }
}

/** Markdown for Slack (mrkdwn) and WeCom: the line, then the example dialogues. */
export function alertMarkdown(alert: Alert, bold: '*' | '**'): string {
  const examples = alert.example_ids.slice(0, 5).map((id) => `\`${id}\``).join(', ');
  return `${bold}firstcall alert${bold} ${alertLine(alert)}${examples ? `\nexamples: ${examples}` : ''}`;
}
