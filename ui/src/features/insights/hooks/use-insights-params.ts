// What the insights pages show, read from and written to the URL (invalid values fall back to defaults).
import { SOURCES, TREND_GROUPS, TREND_PERIODS, type Source, type TrendGroup, type TrendPeriod } from '../../../lib/contract.ts';
import { useSearchParams } from '../../../lib/use-search-params.ts';

export const INSIGHTS_VIEWS = ['trends', 'hotspots', 'channels', 'production', 'topics'] as const;
export type InsightsView = (typeof INSIGHTS_VIEWS)[number];

export const ALERT_FILTERS = ['open', 'acknowledged', 'all'] as const;
export type AlertFilter = (typeof ALERT_FILTERS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T => (values.includes(value as T) ? (value as T) : fallback);
const date = (value: string | null) => (value && DATE.test(value) ? value : undefined);

export interface InsightsParams {
  view: InsightsView;
  by: TrendPeriod;
  group: TrendGroup;
  from?: string;
  to?: string;
  /** Only dialogues from this source (trends and channel comparison). */
  source?: Source;
  status: AlertFilter;
}

export function useInsightsParams(): [InsightsParams, (changes: Partial<Record<keyof InsightsParams, string | null>>) => void] {
  const [params, update] = useSearchParams();
  return [
    {
      view: oneOf(INSIGHTS_VIEWS, params.get('view'), 'trends'),
      by: oneOf(TREND_PERIODS, params.get('by'), 'week'),
      group: oneOf(TREND_GROUPS, params.get('group'), 'channel'),
      from: date(params.get('from')),
      to: date(params.get('to')),
      source: (SOURCES as readonly string[]).includes(params.get('source') ?? '') ? (params.get('source') as Source) : undefined,
      status: oneOf(ALERT_FILTERS, params.get('status'), 'open'),
    },
    update,
  ];
}
