// Early-warning alerts (spikes per intent and product, new topics, FCR and CSAT drops) and their
// webhook: the HTTP contract of /api/insights/alerts and `firstcall insights --json`. No I/O.
import { z } from 'zod';
import { TrendsResponse } from './trends.ts';

export const ALERT_KINDS = ['spike', 'new_topic', 'fcr_drop', 'csat_drop'] as const;
export const AlertKind = z.enum(ALERT_KINDS);
export type AlertKind = z.infer<typeof AlertKind>;

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;
export const AlertStatus = z.enum(ALERT_STATUSES);
export type AlertStatus = z.infer<typeof AlertStatus>;

export const WEBHOOK_FORMATS = ['json', 'slack', 'wecom'] as const;
export const WebhookFormat = z.enum(WEBHOOK_FORMATS);
export type WebhookFormat = z.infer<typeof WebhookFormat>;

const IsoDate = z.iso.date();

export const Alert = z.object({
  id: z.string(),
  kind: AlertKind,
  intent: z.string().nullable(),
  topic: z.string().nullable(),
  product: z.string().nullable(),
  /** The day of a spike or new topic; the Monday of the week of a drop. */
  date: IsoDate,
  /** Spikes and new topics: dialogues that day; drops: the week's FCR or mean CSAT (0-1). */
  observed: z.number(),
  /** What the baseline expects (a count or a rate). */
  expected: z.number(),
  p_value: z.number(),
  /** Test, baseline, adjusted p-value and the like. */
  details: z.record(z.string(), z.unknown()),
  example_ids: z.array(z.string()),
  status: AlertStatus,
  created_at: z.string(),
  acknowledged_by: z.string().nullable(),
  acknowledged_at: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

/** An alert as a detector finds it, before it is stored. */
export type DetectedAlert = Pick<Alert, 'kind' | 'intent' | 'topic' | 'product' | 'date' | 'observed' | 'expected' | 'p_value' | 'details' | 'example_ids'>;

export const AlertsQuery = z.object({ status: AlertStatus.optional(), kind: AlertKind.optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });
export type AlertsQuery = z.infer<typeof AlertsQuery>;

export const AlertsResponse = z.object({ alerts: z.array(Alert) });
export type AlertsResponse = z.infer<typeof AlertsResponse>;

export const AlertParams = z.object({ id: z.string().min(1).max(100) });

/**
 * Detection settings. Counts are tested against a weekday-aware baseline and every family of tests
 * (spikes, FCR drops, CSAT drops) is corrected with Benjamini–Hochberg at `alert_q`: on a store with
 * no real change, the chance of any alert in a family is at most `alert_q`, and among alerts the
 * expected share of false ones is at most `alert_q`.
 */
export const AlertSettings = z.object({
  alert_q: z.number().gt(0).max(0.5),
  /** Weeks of history a day is compared with. */
  alert_baseline_weeks: z.number().int().min(2).max(26),
  /** Days evaluated when `--since` is not given, ending at the newest day in the store. */
  alert_lookback_days: z.number().int().min(1).max(366),
  /** A spike needs at least this many dialogues on the day. */
  alert_min_count: z.number().int().min(1).max(100_000),
  /** A new topic (an intent with no history) needs at least this many dialogues in its first 7 days. */
  alert_new_topic_min: z.number().int().min(1).max(100_000),
  /** An FCR or CSAT drop must be at least this large (0-1 scale), and the week hold at least alert_min_week dialogues. */
  alert_min_drop: z.number().min(0).max(1),
  alert_min_week: z.number().int().min(1).max(100_000),
  alert_webhook_url: z.url().nullable(),
  alert_webhook_format: WebhookFormat,
});
export type AlertSettings = z.infer<typeof AlertSettings>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = Object.freeze({
  alert_q: 0.05,
  alert_baseline_weeks: 8,
  alert_lookback_days: 28,
  alert_min_count: 5,
  alert_new_topic_min: 5,
  alert_min_drop: 0.1,
  alert_min_week: 10,
  alert_webhook_url: null,
  alert_webhook_format: 'json',
});

/** PUT /api/insights/settings (admin): any of the fields; the others keep their value. */
export const AlertSettingsUpdate = z.strictObject(AlertSettings.partial().shape);
export type AlertSettingsUpdate = z.infer<typeof AlertSettingsUpdate>;

export const DeliverySummary = z.object({ alert_id: z.string(), ok: z.boolean(), attempts: z.number().int(), status: z.number().int().nullable(), error: z.string().nullable() });
export type DeliverySummary = z.infer<typeof DeliverySummary>;

/** POST /api/insights/run body and `firstcall insights` options. */
export const DetectBody = z.object({ since: IsoDate.optional(), notify: z.boolean().default(true) });
export type DetectBody = z.infer<typeof DetectBody>;

/** What one detection run did: the days it looked at, how many tests, the stated false-alarm control, the alerts. */
export const DetectionResult = z.object({
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  tests: z.object({ spike: z.number().int(), fcr_drop: z.number().int(), csat_drop: z.number().int() }),
  false_alarm_control: z.string(),
  /** Alerts found by this run (new or updated). */
  found: z.array(Alert),
  /** Every open alert after the run. */
  open: z.array(Alert),
  deliveries: z.array(DeliverySummary),
});
export type DetectionResult = z.infer<typeof DetectionResult>;

/** `firstcall insights --json`. */
export const InsightsReport = z.object({
  detection: DetectionResult,
  alerts: z.array(Alert),
  trends: TrendsResponse.nullable(),
});
export type InsightsReport = z.infer<typeof InsightsReport>;
