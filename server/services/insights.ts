// Insights for team leads: production health over time (trends with 95% intervals), channel
// consistency, and early warning (spikes per intent and product, new topics, FCR and CSAT drops),
// stored as alerts and sent to the configured webhook.
import { AppError } from '../domain/errors.ts';
import type { Alert, AlertSettings, AlertSettingsUpdate, AlertsQuery, DeliverySummary, DetectedAlert, DetectionResult } from '../domain/alerts.ts';
import { TREND_METRICS, type ChannelsQuery, type ChannelsResponse, type ChannelStats, type Estimate, type TrendMetrics, type TrendsQuery, type TrendsResponse } from '../domain/trends.ts';
import { detectDrops, type WeeklyIntentStats } from '../insights/alerts-drop-detector.ts';
import { dateOfDay, dayNumber, detectSpikes, weekdayOf } from '../insights/spike-detector.ts';
import { benjaminiHochberg, chiSquareIndependence, isoWeekLabel, meanEstimate, rateEstimate, ratioEstimate, type Moments } from '../insights/trends.ts';
import { sendAlert } from '../insights/webhook.ts';
import { lookupPrice } from '../scorers/price-table.ts';
import { AlertRepository } from '../storage/alert-repository.ts';
import type { Database } from '../storage/database.ts';
import { InsightsRepository, MEAN_COLUMNS, RATE_COLUMNS, type AggregateRow, type ModelPriceRow } from '../storage/insights-repository.ts';
import { getAlertSettings, getSettings, putAlertSettings } from './settings.ts';

/** Metrics on a 0-1 scale (their intervals are clipped to it). */
const UNIT_SCALE = new Set(['csat', 'fcr_predicted', 'tone', 'escalation', 'accuracy', 'safety']);

export interface InsightsServiceOptions {
  /** For the webhook (tests inject one). */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

const n = (row: AggregateRow, key: string) => Number(row[key] ?? 0);
const moments = (row: AggregateRow, name: string): Moments => ({ n: n(row, `${name}_n`), sum: n(row, `${name}_s`), sumSq: n(row, `${name}_ss`) });
const mondayOf = (date: string) => dateOfDay(dayNumber(date) - weekdayOf(dayNumber(date)));

/** The metrics of one aggregate row, each with its 95% interval. */
export function metricsOf(row: AggregateRow): TrendMetrics {
  const out: Partial<Record<string, Estimate | null>> = {};
  for (const c of RATE_COLUMNS) out[c] = rateEstimate(n(row, `${c}_k`), n(row, `${c}_n`));
  for (const c of MEAN_COLUMNS) {
    if (c === 'reply_chars') continue;
    out[c] = meanEstimate(moments(row, c), { range: UNIT_SCALE.has(c) ? [0, 1] : [0, Infinity] });
  }
  const cost = moments(row, 'cost_per_contact');
  out.cost_per_resolution = ratioEstimate({ n: cost.n, c: cost.sum, cc: cost.sumSq, r: n(row, 'cres_r'), rr: n(row, 'cres_r'), cr: n(row, 'cres_cr') });
  return Object.fromEntries(TREND_METRICS.map((m) => [m, out[m] ?? null])) as TrendMetrics;
}

export class InsightsService {
  private readonly insights: InsightsRepository;
  private readonly alertRepo: AlertRepository;

  constructor(
    private readonly db: Database,
    private readonly options: InsightsServiceOptions = {},
  ) {
    this.insights = new InsightsRepository(db);
    this.alertRepo = new AlertRepository(db);
  }

  private async prices(): Promise<ModelPriceRow[]> {
    const out: ModelPriceRow[] = [];
    for (const model of await this.insights.modelsWithUsage()) {
      const found = lookupPrice(model);
      if (found) out.push({ model, input: found.price.input, output: found.price.output });
    }
    return out;
  }

  async trends(query: TrendsQuery): Promise<TrendsResponse> {
    const windowDays = (await getSettings(this.db)).fcr_window_days;
    const rows = await this.insights.trendAggregates(query.by, query.group, { windowDays, from: query.from, to: query.to, source: query.source, prices: await this.prices() });
    return {
      by: query.by,
      group: query.group,
      from: query.from ?? null,
      to: query.to ?? null,
      source: query.source ?? null,
      window_days: windowDays,
      undated: await this.insights.undatedCount(),
      points: rows.map((row) => ({
        period: String(row.period),
        label: query.by === 'week' ? isoWeekLabel(String(row.period)) : String(row.period),
        group: n(row, 'all_groups') === 1 ? null : String(row.grp),
        volume: n(row, 'volume'),
        metrics: metricsOf(row),
        service_hours: { covered: n(row, 'service_hours'), of: query.by === 'week' ? 168 : 24 },
      })),
    };
  }

  /** For each intent: do channels differ in FCR? Chi-square per intent, BH across intents, and what differs. */
  async channels(query: ChannelsQuery, q = 0.05): Promise<ChannelsResponse> {
    const windowDays = (await getSettings(this.db)).fcr_window_days;
    const rows = await this.insights.channelAggregates({ windowDays, from: query.from, to: query.to, source: query.source });
    const byIntent = new Map<string, AggregateRow[]>();
    for (const row of rows) {
      const intent = n(row, 'all_intents') === 1 ? '(all intents)' : String(row.intent);
      if (!byIntent.has(intent)) byIntent.set(intent, []);
      byIntent.get(intent)!.push(row);
    }
    const tested = [...byIntent.entries()].map(([intent, group]) => {
      const channels: ChannelStats[] = group.map((r) => ({
        channel: String(r.channel),
        fcr: rateEstimate(n(r, 'fcr_k'), n(r, 'fcr_n')),
        handoff_rate: rateEstimate(n(r, 'handoff_rate_k'), n(r, 'handoff_rate_n')),
        reply_chars: meanEstimate(moments(r, 'reply_chars'), { range: [0, Infinity] }),
      }));
      const test = chiSquareIndependence(group.map((r) => ({ successes: n(r, 'fcr_k'), n: n(r, 'fcr_n') })));
      return { intent, channels, test };
    });
    // BH over the intents (the all-intents row is a summary, not one of the family).
    const family = tested.filter((t) => t.test !== null && t.intent !== '(all intents)');
    const qValues = benjaminiHochberg(family.map((t) => t.test!.p));
    const qOf = new Map(family.map((t, i) => [t.intent, qValues[i]!]));
    return {
      from: query.from ?? null,
      to: query.to ?? null,
      source: query.source ?? null,
      q,
      intents: tested.map(({ intent, channels, test }) => {
        const qValue = intent === '(all intents)' ? (test?.p ?? null) : (qOf.get(intent) ?? null);
        return {
          intent,
          channels,
          chi_square: test?.statistic ?? null,
          df: test?.df ?? 0,
          p_value: test?.p ?? null,
          q_value: qValue,
          significant: qValue !== null && qValue <= q,
          small_counts: test?.smallCounts ?? false,
          explanation: explainChannels(channels),
        };
      }),
    };
  }

  alerts(query: Partial<AlertsQuery> = {}): Promise<Alert[]> {
    return this.alertRepo.list(query);
  }

  async acknowledge(id: string, by: string): Promise<Alert> {
    const alert = await this.alertRepo.acknowledge(id, by);
    if (!alert) throw new AppError('not_found', `no alert ${id}`);
    return alert;
  }

  settings(): Promise<AlertSettings> {
    return getAlertSettings(this.db);
  }

  updateSettings(update: AlertSettingsUpdate, by: string): Promise<AlertSettings> {
    return putAlertSettings(this.db, update, by);
  }

  /**
   * Runs every detector over the days from `since` (default: the last `alert_lookback_days` days of
   * the store) to the newest day, stores what it finds, and sends new alerts to the webhook.
   */
  async detect(options: { since?: string; notify?: boolean } = {}): Promise<DetectionResult> {
    const settings = await getAlertSettings(this.db);
    const windowDays = (await getSettings(this.db)).fcr_window_days;
    const intentRows = await this.insights.dailyIntentCounts();
    const totals = new Map<string, number>();
    const byKey = new Map<string, Map<string, number>>();
    const put = (key: string, day: string, count: number) => {
      if (!byKey.has(key)) byKey.set(key, new Map());
      byKey.get(key)!.set(day, count);
    };
    for (const r of intentRows) {
      if (r.key === null) totals.set(r.day, r.n);
      else put(`intent\u0000${r.key}`, r.day, r.n);
    }
    for (const r of await this.insights.dailyProductCounts()) put(`product\u0000${r.key}`, r.day, r.n);
    const control = `Benjamini–Hochberg at q = ${settings.alert_q} within each family (spikes over intents and products × days; FCR drops; CSAT drops over intents × weeks): on a store with no real change the chance of any alert in a family is at most ${settings.alert_q}`;
    const days = [...totals.keys()].sort();
    if (days.length === 0) {
      return { from: null, to: null, tests: { spike: 0, fcr_drop: 0, csat_drop: 0 }, false_alarm_control: control, found: [], open: await this.alertRepo.list({ status: 'open' }), deliveries: [] };
    }
    const to = days.at(-1)!;
    const from = options.since ?? dateOfDay(dayNumber(to) - settings.alert_lookback_days + 1);

    const spikes = detectSpikes({ totals, byKey }, { from, to, baselineWeeks: settings.alert_baseline_weeks, minCount: settings.alert_min_count, newTopicMin: settings.alert_new_topic_min, q: settings.alert_q });
    const detected: DetectedAlert[] = [];
    for (const f of spikes.findings) {
      const [kind, key] = f.key.split('\u0000') as ['intent' | 'product', string];
      const example_ids = await this.insights.exampleIds(kind === 'product' ? { day: f.date, product: key } : { day: f.date, intent: key });
      detected.push({
        kind: f.kind,
        intent: kind === 'intent' ? key : null,
        topic: null,
        product: kind === 'product' ? key : null,
        date: f.date,
        observed: f.observed,
        expected: Math.round(f.expected * 1000) / 1000,
        p_value: f.p,
        details: {
          test:
            f.kind === 'spike'
              ? 'conditional binomial test of the day against the same key over the baseline weeks, weekday-weighted'
              : 'no dialogue in the baseline weeks; count in the first 7 days vs the baseline traffic',
          q_value: f.q,
          baseline_days: f.baseline.days,
          baseline_count: f.baseline.key_count,
          baseline_total: f.baseline.total_count,
          weekday_mean_total: Math.round(f.baseline.weekday_mean_total * 100) / 100,
        },
        example_ids,
      });
    }

    const fromWeek = mondayOf(from);
    const toWeek = mondayOf(to);
    const weekly = await this.insights.trendAggregates('week', 'intent', { windowDays, from: dateOfDay(dayNumber(fromWeek) - settings.alert_baseline_weeks * 7), to });
    const stats: WeeklyIntentStats[] = weekly
      .filter((r) => n(r, 'all_groups') !== 1)
      .map((r) => ({ key: String(r.grp), week: String(r.period), fcr: { successes: n(r, 'fcr_k'), n: n(r, 'fcr_n') }, csat: moments(r, 'csat') }));
    const drops = detectDrops(stats, { fromWeek, toWeek, baselineWeeks: settings.alert_baseline_weeks, minDrop: settings.alert_min_drop, minWeek: settings.alert_min_week, q: settings.alert_q });
    for (const f of drops.findings) {
      detected.push({
        kind: f.kind,
        intent: f.key,
        topic: null,
        product: null,
        date: f.week,
        observed: Math.round(f.observed * 10_000) / 10_000,
        expected: Math.round(f.expected * 10_000) / 10_000,
        p_value: f.p,
        details: {
          test: f.kind === 'fcr_drop' ? 'one-sided two-proportion z-test against the pooled baseline weeks' : 'one-sided Welch t-test of predicted CSAT (0-1) against the pooled baseline weeks',
          q_value: f.q,
          week: isoWeekLabel(f.week),
          n: f.n,
          baseline_n: f.baseline_n,
          baseline_weeks: settings.alert_baseline_weeks,
        },
        example_ids: await this.insights.weekExampleIds(f.key, f.week, windowDays),
      });
    }

    const stored = await this.alertRepo.upsert(detected);
    const deliveries: DeliverySummary[] = [];
    if (options.notify !== false && settings.alert_webhook_url) {
      for (const { alert } of stored) {
        if (alert.status !== 'open' || (await this.alertRepo.delivered(alert.id))) continue;
        deliveries.push(await this.deliver(alert, settings.alert_webhook_url, settings.alert_webhook_format));
      }
    }
    return {
      from,
      to,
      tests: { spike: spikes.tests, ...drops.tests },
      false_alarm_control: control,
      found: stored.map((s) => s.alert),
      open: await this.alertRepo.list({ status: 'open' }),
      deliveries,
    };
  }

  /** Sends one alert to the webhook (with retries) and records every attempt. */
  async deliver(alert: Alert, url: string, format: AlertSettings['alert_webhook_format']): Promise<DeliverySummary> {
    const attempts = await sendAlert(alert, { url, format, fetch: this.options.fetch, sleep: this.options.sleep });
    await this.alertRepo.recordDeliveries(attempts.map((a) => ({ alert_id: alert.id, attempt: a.attempt, url, format, status: a.status, error: a.error, ok: a.ok })));
    const last = attempts.at(-1)!;
    return { alert_id: alert.id, ok: last.ok, attempts: attempts.length, status: last.status, error: last.error };
  }
}

/** The best and worst channel by FCR, with their hand-off share and reply length. */
function explainChannels(channels: readonly ChannelStats[]): string {
  const rated = channels.filter((c) => c.fcr !== null && c.fcr.n > 0).sort((a, b) => b.fcr!.value - a.fcr!.value);
  if (rated.length < 2) return 'fewer than two channels with decided FCR';
  const pct = (e: Estimate | null) => (e === null ? '–' : `${Math.round(e.value * 100)}%`);
  const chars = (e: Estimate | null) => (e === null ? '–' : `${Math.round(e.value)} chars`);
  const best = rated[0]!;
  const worst = rated.at(-1)!;
  return `${best.channel} resolves ${pct(best.fcr)} (hand-off ${pct(best.handoff_rate)}, replies ${chars(best.reply_chars)}); ${worst.channel} ${pct(worst.fcr)} (hand-off ${pct(worst.handoff_rate)}, replies ${chars(worst.reply_chars)})`;
}
