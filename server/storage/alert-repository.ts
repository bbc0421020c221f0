// Early-warning alerts and their webhook deliveries. An alert is identified by (kind, intent, topic,
// product, date): a rerun of detection updates its figures and keeps its id, status and acknowledgement.
import { randomUUID } from 'node:crypto';
import type { Alert, AlertKind, AlertStatus, DetectedAlert } from '../domain/alerts.ts';
import type { Database } from './database.ts';

interface AlertRow {
  id: string;
  kind: AlertKind;
  intent: string | null;
  topic: string | null;
  product: string | null;
  date: string;
  observed: number;
  expected: number;
  p_value: number;
  details: string;
  example_ids: string;
  status: AlertStatus;
  created_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
}

export function alertFromRow(row: AlertRow): Alert {
  const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
  return {
    id: row.id,
    kind: row.kind,
    intent: row.intent ?? null,
    topic: row.topic ?? null,
    product: row.product ?? null,
    date: String(row.date),
    observed: Number(row.observed),
    expected: Number(row.expected),
    p_value: Number(row.p_value),
    details: json(row.details) as Record<string, unknown>,
    example_ids: json(row.example_ids) as string[],
    status: row.status,
    created_at: String(row.created_at),
    acknowledged_by: row.acknowledged_by ?? null,
    acknowledged_at: row.acknowledged_at === null || row.acknowledged_at === undefined ? null : String(row.acknowledged_at),
  };
}

export const alertIdentity = (a: Pick<DetectedAlert, 'kind' | 'intent' | 'topic' | 'product' | 'date'>): string =>
  [a.kind, a.intent ?? '', a.topic ?? '', a.product ?? '', a.date].join('|');

const SELECT = `SELECT id, kind, intent, topic, product, strftime(date, '%Y-%m-%d') AS date, observed, expected, p_value, details, example_ids, status,
  strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') AS created_at, acknowledged_by, strftime(acknowledged_at, '%Y-%m-%dT%H:%M:%SZ') AS acknowledged_at FROM alerts`;

export interface DeliveryRow {
  alert_id: string;
  attempt: number;
  url: string;
  format: string;
  status: number | null;
  error: string | null;
  ok: boolean;
}

export class AlertRepository {
  constructor(private readonly db: Database) {}

  /** Inserts new alerts and refreshes the figures of known ones; returns them as stored, and which were new. */
  async upsert(detected: readonly DetectedAlert[]): Promise<{ alert: Alert; created: boolean }[]> {
    const out: { alert: Alert; created: boolean }[] = [];
    await this.db.transaction(async () => {
      for (const a of detected) {
        const identity = alertIdentity(a);
        const [existing] = await this.db.all<{ id: string }>('SELECT id FROM alerts WHERE identity = $identity', { identity });
        const values = {
          observed: a.observed,
          expected: a.expected,
          p_value: a.p_value,
          details: JSON.stringify(a.details),
          example_ids: JSON.stringify(a.example_ids),
        };
        if (existing) {
          await this.db.run(
            'UPDATE alerts SET observed = $observed, expected = $expected, p_value = $p_value, details = $details, example_ids = $example_ids WHERE id = $id',
            { ...values, id: existing.id },
          );
        } else {
          await this.db.run(
            `INSERT INTO alerts (id, kind, intent, topic, product, date, observed, expected, p_value, details, example_ids, status, created_at, identity)
             VALUES ($id, $kind, $intent, $topic, $product, CAST($date AS DATE), $observed, $expected, $p_value, $details, $example_ids, 'open', now(), $identity)`,
            { ...values, id: `alert-${randomUUID().slice(0, 12)}`, kind: a.kind, intent: a.intent, topic: a.topic, product: a.product, date: a.date, identity },
          );
        }
        const [row] = await this.db.all<AlertRow>(`${SELECT} WHERE identity = $identity`, { identity });
        out.push({ alert: alertFromRow(row!), created: !existing });
      }
    });
    return out;
  }

  async list(filter: { status?: AlertStatus; kind?: AlertKind; limit?: number } = {}): Promise<Alert[]> {
    const where = [filter.status ? 'status = $status' : '', filter.kind ? 'kind = $kind' : ''].filter((s) => s !== '').join(' AND ') || 'true';
    const params: Record<string, string> = {};
    if (filter.status) params.status = filter.status;
    if (filter.kind) params.kind = filter.kind;
    const rows = await this.db.all<AlertRow>(`${SELECT} WHERE ${where} ORDER BY date DESC, kind, id LIMIT ${Math.trunc(filter.limit ?? 200)}`, params);
    return rows.map(alertFromRow);
  }

  async get(id: string): Promise<Alert | undefined> {
    const [row] = await this.db.all<AlertRow>(`${SELECT} WHERE id = $id`, { id });
    return row ? alertFromRow(row) : undefined;
  }

  /** Marks an open alert acknowledged; an acknowledged one keeps its first acknowledgement. */
  async acknowledge(id: string, by: string): Promise<Alert | undefined> {
    await this.db.run("UPDATE alerts SET status = 'acknowledged', acknowledged_by = $by, acknowledged_at = now() WHERE id = $id AND status = 'open'", { id, by });
    return this.get(id);
  }

  async recordDeliveries(rows: readonly DeliveryRow[]): Promise<void> {
    for (const r of rows) {
      await this.db.run(
        'INSERT INTO alert_deliveries (alert_id, attempt, url, format, status, error, ok, sent_at) VALUES ($alert_id, $attempt, $url, $format, $status, $error, $ok, now())',
        { ...r },
      );
    }
  }

  async deliveries(alertId: string): Promise<DeliveryRow[]> {
    const rows = await this.db.all<DeliveryRow>(
      'SELECT alert_id, attempt, url, format, status, error, ok FROM alert_deliveries WHERE alert_id = $id ORDER BY sent_at, attempt',
      { id: alertId },
    );
    return rows.map((r) => ({ ...r, attempt: Number(r.attempt), status: r.status === null ? null : Number(r.status) }));
  }

  /** Whether an alert was ever delivered successfully (so reruns do not resend it). */
  async delivered(alertId: string): Promise<boolean> {
    const [row] = await this.db.all<{ n: unknown }>('SELECT count(*) AS n FROM alert_deliveries WHERE alert_id = $id AND ok', { id: alertId });
    return Number(row?.n ?? 0) > 0;
  }
}
