// Aggregates for production health over time, channel consistency and early warning. One SQL
// definition of a dialogue's facts (FCR from the logs, automation, hand-off, repeat contact,
// predicted CSAT, cost), aggregated to counts and moments; the intervals and tests are computed
// from them in server/insights/. A dialogue's intent: the assigned one (dialogue_intents), else the
// gold label's, else the logged one. Its day and hour: the local ones of started_at as logged.
import type { TrendGroup, TrendPeriod } from '../domain/trends.ts';
import type { Database } from './database.ts';

export interface ModelPriceRow {
  model: string;
  /** USD per 1M tokens. */
  input: number;
  output: number;
}

export interface FactsOptions {
  windowDays: number;
  from?: string;
  to?: string;
  /** Only dialogues of this source (repeat contacts are still looked for across every source). */
  source?: string;
  prices?: readonly ModelPriceRow[];
}

/** Means aggregated by SQL: `<name>_n`, `<name>_s`, `<name>_ss`. */
export const MEAN_COLUMNS = ['csat', 'fcr_predicted', 'tone', 'escalation', 'accuracy', 'safety', 'turns_to_resolution', 'seconds_to_resolution', 'cost_per_contact', 'reply_chars'] as const;
/** Shares aggregated by SQL: `<name>_k` of `<name>_n`. */
export const RATE_COLUMNS = ['fcr', 'automation_rate', 'handoff_rate', 'repeat_contact_rate'] as const;

export type AggregateRow = Record<string, number | string | null>;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Every numeric column of a row as a number (DuckDB hands big sums over as text). */
function numeric(row: Record<string, unknown>, keep: readonly string[]): AggregateRow {
  const out: AggregateRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = keep.includes(k) ? (v === null || v === undefined ? null : String(v)) : num(v);
  return out;
}

const PRICES_TYPE = `'[{"model":"VARCHAR","input":"DOUBLE","output":"DOUBLE"}]'`;
const tokens = (a: string, b: string) =>
  `coalesce(TRY_CAST(json_extract_string(d.metadata, '$.usage.${a}') AS DOUBLE), TRY_CAST(json_extract_string(d.metadata, '$.usage.${b}') AS DOUBLE))`;

/** Per dialogue with a timestamp: the facts every aggregate reads (CTE `facts`). */
function factsSql(windowDays: number): string {
  const w = Math.max(1, Math.trunc(windowDays));
  return `
    WITH base AS (
      SELECT d.id, d.channel, d.language, d.source, d.customer_id, d.started_ts,
             coalesce(di.intent, g.intent, d.intent) AS intent,
             coalesce(TRY_CAST(substr(d.started_at, 1, 10) AS DATE), CAST(d.started_ts AS DATE)) AS day,
             coalesce(TRY_CAST(substr(d.started_at, 12, 2) AS INTEGER), hour(d.started_ts)) AS local_hour,
             d.resolved, d.escalated, d.csat, d.turn_count, g.fcr AS gold_fcr,
             json_extract_string(d.metadata, '$.model') AS model,
             ${tokens('input_tokens', 'prompt_tokens')} AS in_tok,
             ${tokens('output_tokens', 'completion_tokens')} AS out_tok
      FROM dialogues d
      LEFT JOIN gold_labels g ON g.dialogue_id = d.id
      LEFT JOIN dialogue_intents di ON di.dialogue_id = d.id
      WHERE d.started_ts IS NOT NULL
    ), seq AS (
      SELECT *, lead(started_ts) OVER (PARTITION BY customer_id, intent ORDER BY started_ts, id) AS next_ts FROM base
    ), horizon AS (SELECT max(started_ts) AS latest FROM dialogues),
    tt AS (
      SELECT dialogue_id,
             count(*) FILTER (WHERE role = 'agent') AS agent_turns,
             count(*) FILTER (WHERE role = 'agent' AND agent_kind = 'bot') AS bot_turns,
             sum(length(text)) FILTER (WHERE role = 'agent') AS reply_chars,
             count(TRY_CAST(sent_at AS TIMESTAMPTZ)) AS stamped,
             epoch(max(TRY_CAST(sent_at AS TIMESTAMPTZ)) - min(TRY_CAST(sent_at AS TIMESTAMPTZ))) AS seconds
      FROM turns GROUP BY dialogue_id
    ), latest_scores AS (
      SELECT dialogue_id, scorer, score FROM dialogue_scores
      QUALIFY row_number() OVER (PARTITION BY dialogue_id, scorer ORDER BY scored_at DESC) = 1
    ), sc AS (
      SELECT dialogue_id,
             max(score) FILTER (WHERE scorer = 'fcr') AS fcr, max(score) FILTER (WHERE scorer = 'csat') AS csat,
             max(score) FILTER (WHERE scorer = 'tone') AS tone, max(score) FILTER (WHERE scorer = 'escalation') AS escalation,
             max(score) FILTER (WHERE scorer = 'accuracy') AS accuracy, max(score) FILTER (WHERE scorer = 'safety') AS safety
      FROM latest_scores GROUP BY dialogue_id
    ), prices AS (
      SELECT p.model, p.input, p.output FROM (SELECT unnest(from_json($prices, ${PRICES_TYPE})) AS p)
    ), flags AS (
      SELECT s.*,
             coalesce(tt.agent_turns, 0) AS agent_turns, coalesce(tt.bot_turns, 0) AS bot_turns, tt.reply_chars, tt.stamped, tt.seconds,
             (s.customer_id IS NOT NULL AND s.intent IS NOT NULL AND s.next_ts IS NOT NULL AND s.next_ts <= s.started_ts + INTERVAL (${w}) DAY) AS repeated,
             (s.customer_id IS NOT NULL AND s.intent IS NOT NULL AND s.started_ts + INTERVAL (${w}) DAY <= h.latest) AS window_passed,
             sc.fcr AS s_fcr, sc.csat AS s_csat, sc.tone AS s_tone, sc.escalation AS s_escalation, sc.accuracy AS s_accuracy, sc.safety AS s_safety,
             CASE WHEN s.in_tok IS NOT NULL OR s.out_tok IS NOT NULL THEN (coalesce(s.in_tok, 0) * pr.input + coalesce(s.out_tok, 0) * pr.output) / 1e6 END AS cost
      FROM seq s CROSS JOIN horizon h
      LEFT JOIN tt ON tt.dialogue_id = s.id
      LEFT JOIN sc ON sc.dialogue_id = s.id
      LEFT JOIN prices pr ON pr.model = s.model
    ), facts AS (
      SELECT id, channel, language, source, coalesce(intent, 'unknown') AS intent, day, local_hour, agent_turns,
             -- FCR from the logs, counted only once the repeat-contact window has passed (else recent
             -- periods would hold only the failures); a reviewer's label decides whatever the window.
             CASE WHEN gold_fcr IN ('yes', 'no') THEN gold_fcr = 'yes'
                  WHEN NOT window_passed OR resolved IS NULL THEN NULL
                  ELSE resolved AND NOT coalesce(escalated, false) AND NOT repeated END AS fcr,
             CASE WHEN resolved IS NULL THEN NULL
                  ELSE agent_turns > 0 AND bot_turns = agent_turns AND resolved AND NOT coalesce(escalated, false) END AS automation_rate,
             coalesce(escalated, false) OR (bot_turns > 0 AND bot_turns < agent_turns) AS handoff_rate,
             CASE WHEN window_passed THEN repeated END AS repeat_contact_rate,
             coalesce((csat - 1) / 4.0, s_csat) AS csat,
             s_fcr AS fcr_predicted, s_tone AS tone, s_escalation AS escalation, s_accuracy AS accuracy, s_safety AS safety,
             CASE WHEN resolved THEN turn_count END AS turns_to_resolution,
             CASE WHEN resolved AND stamped >= 2 THEN seconds END AS seconds_to_resolution,
             cost AS cost_per_contact,
             CASE WHEN cost IS NOT NULL THEN CASE WHEN resolved THEN 1.0 ELSE 0.0 END END AS cost_resolved,
             CASE WHEN agent_turns > 0 THEN reply_chars / agent_turns END AS reply_chars
      FROM flags
    )`;
}

/** The dialogues an aggregate reads: its dates (both ends included) and source. */
const range = ({ from, to, source }: Pick<FactsOptions, 'from' | 'to' | 'source'>) =>
  [from ? 'day >= CAST($from AS DATE)' : '', to ? 'day <= CAST($to AS DATE)' : '', source ? 'source = $source' : ''].filter((s) => s !== '').join(' AND ') || 'true';

const aggregates = () =>
  [
    'count(*) AS volume',
    ...RATE_COLUMNS.map((c) => `count(${c}) AS ${c}_n, count(*) FILTER (WHERE ${c}) AS ${c}_k`),
    ...MEAN_COLUMNS.map((c) => `count(${c}) AS ${c}_n, sum(${c}) AS ${c}_s, sum(${c} * ${c}) AS ${c}_ss`),
    // Cost per resolution: Σcost / Σresolved over dialogues with a cost (delta-method interval).
    'sum(cost_resolved) AS cres_r, sum(cost_resolved * cost_per_contact) AS cres_cr',
  ].join(',\n');

export class InsightsRepository {
  constructor(private readonly db: Database) {}

  /** Models named in dialogue metadata next to logged token usage (to look their prices up). */
  async modelsWithUsage(): Promise<string[]> {
    const rows = await this.db.all<{ model: string }>(
      `SELECT DISTINCT json_extract_string(metadata, '$.model') AS model FROM dialogues
       WHERE json_extract(metadata, '$.usage') IS NOT NULL AND json_extract_string(metadata, '$.model') IS NOT NULL`,
    );
    return rows.map((r) => r.model);
  }

  async undatedCount(): Promise<number> {
    const [row] = await this.db.all<{ n: unknown }>('SELECT count(*) AS n FROM dialogues WHERE started_ts IS NULL');
    return num(row?.n);
  }

  /**
   * Counts and moments per period (`period`, a date) and group value (`grp`), plus one row per period
   * for all dialogues together (`all_groups` = 1).
   */
  async trendAggregates(by: TrendPeriod, group: TrendGroup, options: FactsOptions): Promise<AggregateRow[]> {
    const period = by === 'week' ? "CAST(date_trunc('week', day) AS DATE)" : 'day';
    const rows = await this.db.all<Record<string, unknown>>(
      `${factsSql(options.windowDays)}
       SELECT strftime(${period}, '%Y-%m-%d') AS period, coalesce(${group}, 'unknown') AS grp, GROUPING(coalesce(${group}, 'unknown')) AS all_groups,
              ${aggregates()},
              count(DISTINCT CASE WHEN agent_turns > 0 THEN (isodow(day) - 1) * 24 + local_hour END) AS service_hours
       FROM facts WHERE ${range(options)}
       GROUP BY GROUPING SETS ((${period}, coalesce(${group}, 'unknown')), (${period}))
       ORDER BY period, all_groups DESC, grp`,
      this.params(options),
    );
    return rows.map((r) => numeric(r, ['period', 'grp']));
  }

  /** Counts and moments per intent and channel (channel consistency), plus per channel for all intents (`intent` null). */
  async channelAggregates(options: FactsOptions): Promise<AggregateRow[]> {
    const rows = await this.db.all<Record<string, unknown>>(
      `${factsSql(options.windowDays)}
       SELECT intent, GROUPING(intent) AS all_intents, channel, ${aggregates()}
       FROM facts WHERE ${range(options)}
       GROUP BY GROUPING SETS ((intent, channel), (channel))
       ORDER BY all_intents DESC, intent, channel`,
      this.params(options),
    );
    return rows.map((r) => numeric(r, ['intent', 'channel']));
  }

  /** Dialogues per day: of every intent together (`key` null) and per intent. */
  async dailyIntentCounts(): Promise<{ key: string | null; day: string; n: number }[]> {
    const rows = await this.db.all<{ key: string | null; day: string; n: unknown; all_keys: unknown }>(
      `${factsSql(7)}
       SELECT strftime(day, '%Y-%m-%d') AS day, intent AS key, GROUPING(intent) AS all_keys, count(*) AS n
       FROM facts GROUP BY GROUPING SETS ((day, intent), (day))`,
      { prices: '[]' },
    );
    return rows.map((r) => ({ key: num(r.all_keys) === 1 ? null : r.key, day: r.day, n: num(r.n) }));
  }

  /**
   * Dialogues per day and product mentioned: a product of the customer's own purchases whose name or
   * order id the dialogue's text contains.
   */
  async dailyProductCounts(): Promise<{ key: string; day: string; n: number }[]> {
    const rows = await this.db.all<{ key: string; day: string; n: unknown }>(
      `${this.productMentionsSql()} SELECT product AS key, strftime(day, '%Y-%m-%d') AS day, count(*) AS n FROM mentions GROUP BY ALL`,
    );
    return rows.map((r) => ({ key: r.key, day: r.day, n: num(r.n) }));
  }

  /** Up to `limit` dialogue ids of one day about an intent or mentioning a product, in id order. */
  async exampleIds(where: { day: string; intent?: string; product?: string }, limit = 5): Promise<string[]> {
    if (where.product !== undefined) {
      const rows = await this.db.all<{ id: string }>(
        `${this.productMentionsSql()} SELECT id FROM mentions WHERE product = $product AND day = CAST($day AS DATE) ORDER BY id LIMIT ${Math.trunc(limit)}`,
        { product: where.product, day: where.day },
      );
      return rows.map((r) => r.id);
    }
    const rows = await this.db.all<{ id: string }>(
      `${factsSql(7)} SELECT id FROM facts WHERE intent = $intent AND day = CAST($day AS DATE) ORDER BY id LIMIT ${Math.trunc(limit)}`,
      { intent: where.intent ?? 'unknown', day: where.day, prices: '[]' },
    );
    return rows.map((r) => r.id);
  }

  /** Up to `limit` dialogue ids of an intent in a week (Monday..Sunday) that were not resolved on first contact or scored low. */
  async weekExampleIds(intent: string, monday: string, windowDays: number, limit = 5): Promise<string[]> {
    const rows = await this.db.all<{ id: string }>(
      `${factsSql(windowDays)} SELECT id FROM facts
       WHERE intent = $intent AND day >= CAST($monday AS DATE) AND day < CAST($monday AS DATE) + 7
       ORDER BY (fcr IS NOT DISTINCT FROM false) DESC, coalesce(csat, 1), id LIMIT ${Math.trunc(limit)}`,
      { intent, monday, prices: '[]' },
    );
    return rows.map((r) => r.id);
  }

  private productMentionsSql(): string {
    return `
      WITH mentions AS (
        SELECT DISTINCT d.id, coalesce(TRY_CAST(substr(d.started_at, 1, 10) AS DATE), CAST(d.started_ts AS DATE)) AS day, p.product
        FROM dialogues d
        JOIN purchases p ON p.customer_id = d.customer_id
        JOIN turns t ON t.dialogue_id = d.id
        WHERE d.started_ts IS NOT NULL
          AND (contains(lower(t.text), lower(p.product)) OR (p.order_id IS NOT NULL AND length(p.order_id) >= 4 AND contains(t.text, p.order_id)))
      )`;
  }

  private params(options: FactsOptions): Record<string, string> {
    const params: Record<string, string> = { prices: JSON.stringify(options.prices ?? []) };
    if (options.from) params.from = options.from;
    if (options.to) params.to = options.to;
    if (options.source) params.source = options.source;
    return params;
  }
}
