// Production health over time and channel consistency: the HTTP contract of /api/insights/trends and
// /api/insights/channels, shared by server, CLI and UI. No I/O. Definitions: DESIGN.md "Metrics".
import { z } from 'zod';
import { Source } from './dialogue.ts';

export const TREND_PERIODS = ['day', 'week'] as const;
export const TrendPeriod = z.enum(TREND_PERIODS);
export type TrendPeriod = z.infer<typeof TrendPeriod>;

export const TREND_GROUPS = ['channel', 'language', 'intent', 'source'] as const;
export const TrendGroup = z.enum(TREND_GROUPS);
export type TrendGroup = z.infer<typeof TrendGroup>;

const IsoDate = z.iso.date();

export const TrendsQuery = z.object({
  by: TrendPeriod.default('week'),
  group: TrendGroup.default('channel'),
  /** Local calendar dates of the dialogues (YYYY-MM-DD), both ends included. */
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  /** Only dialogues from this source (e.g. `production`: the bot's own traffic); repeat contacts are still looked for in all of them. */
  source: Source.optional(),
});
export type TrendsQuery = z.infer<typeof TrendsQuery>;

/** A point estimate with its 95% confidence interval, over `n` dialogues (null bounds: one value, no spread). */
export const Estimate = z.object({
  value: z.number(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  n: z.number().int(),
});
export type Estimate = z.infer<typeof Estimate>;

/**
 * The metrics of one period and group. Rates are shares (0-1, Wilson intervals); scores are means of
 * 0-1 scores; turns, seconds and USD are means (Student t intervals). Null: nothing to measure.
 */
export const TREND_METRICS = [
  /** FCR from the logs (DESIGN.md), over dialogues whose repeat-contact window has passed; a reviewer's label overrides. */
  'fcr',
  /** Share resolved by the bot with no human: every agent turn by a bot, resolved, not escalated (of dialogues with a logged outcome). */
  'automation_rate',
  /** Share escalated, or where a human took over from a bot. */
  'handoff_rate',
  /** Share followed by another contact of the same customer about the same intent within the window (window passed). */
  'repeat_contact_rate',
  /** Logged CSAT (1-5 mapped to 0-1) where surveyed, else the predicted one (dialogue_scores csat). */
  'csat',
  /** Whole-dialogue scores from `firstcall score` (latest per dialogue). */
  'fcr_predicted',
  'tone',
  'escalation',
  'accuracy',
  'safety',
  /** Turns of resolved dialogues. */
  'turns_to_resolution',
  /** Seconds from the first to the last turn of resolved dialogues with turn timestamps. */
  'seconds_to_resolution',
  /** USD per contact and per resolution, over dialogues whose token usage and model price are known. */
  'cost_per_contact',
  'cost_per_resolution',
] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];

export const TrendMetrics = z.object(Object.fromEntries(TREND_METRICS.map((m) => [m, Estimate.nullable()])) as Record<TrendMetric, z.ZodNullable<typeof Estimate>>);
export type TrendMetrics = z.infer<typeof TrendMetrics>;

export const TrendPoint = z.object({
  /** First day of the period (YYYY-MM-DD; a Monday for weeks). */
  period: IsoDate,
  /** `2026-W23` for weeks, the date for days. */
  label: z.string(),
  /** The group's value (channel, language or intent); null for all dialogues together. */
  group: z.string().nullable(),
  volume: z.number().int(),
  metrics: TrendMetrics,
  /** Hours of the day (24) or of the week (168) with at least one answered contact (local time of the customer). */
  service_hours: z.object({ covered: z.number().int(), of: z.number().int() }),
});
export type TrendPoint = z.infer<typeof TrendPoint>;

export const TrendsResponse = z.object({
  by: TrendPeriod,
  group: TrendGroup,
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  source: Source.nullable(),
  /** Repeat-contact window of FCR and the repeat-contact rate. */
  window_days: z.number().int(),
  /** Dialogues without a timestamp are left out of trends. */
  undated: z.number().int(),
  points: z.array(TrendPoint),
});
export type TrendsResponse = z.infer<typeof TrendsResponse>;

export const ChannelsQuery = z.object({ from: IsoDate.optional(), to: IsoDate.optional(), source: Source.optional() });
export type ChannelsQuery = z.infer<typeof ChannelsQuery>;

export const ChannelStats = z.object({
  channel: z.string(),
  /** FCR from the logs (decided dialogues). */
  fcr: Estimate.nullable(),
  handoff_rate: Estimate.nullable(),
  /** Mean characters per agent reply. */
  reply_chars: Estimate.nullable(),
});
export type ChannelStats = z.infer<typeof ChannelStats>;

export const IntentConsistency = z.object({
  intent: z.string(),
  channels: z.array(ChannelStats),
  /** Pearson chi-square test of independence of channel and resolution (df = channels − 1). */
  chi_square: z.number().nullable(),
  df: z.number().int(),
  p_value: z.number().nullable(),
  /** Benjamini–Hochberg adjusted p-value across the intents tested. */
  q_value: z.number().nullable(),
  significant: z.boolean(),
  /** Some expected cell count is below 5: the chi-square approximation is rough. */
  small_counts: z.boolean(),
  /** Why channels differ, in words: the best and worst channel, their hand-off share and reply length. */
  explanation: z.string(),
});
export type IntentConsistency = z.infer<typeof IntentConsistency>;

export const ChannelsResponse = z.object({
  from: IsoDate.nullable(),
  to: IsoDate.nullable(),
  source: Source.nullable(),
  /** The false-discovery rate the `significant` flags are controlled at. */
  q: z.number(),
  intents: z.array(IntentConsistency),
});
export type ChannelsResponse = z.infer<typeof ChannelsResponse>;
