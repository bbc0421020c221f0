// GET /api/insights/trends?by=&group=&from=&to=&source=: metrics per period and group with 95% intervals.
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { TrendsResponse, type Source, type TrendGroup, type TrendPeriod } from '../../../lib/contract.ts';

export interface TrendsParams {
  by: TrendPeriod;
  group: TrendGroup;
  from?: string;
  to?: string;
  source?: Source;
}

export const trendsKeys = {
  all: ['insights', 'trends'] as const,
  one: (p: TrendsParams) => [...trendsKeys.all, p.by, p.group, p.from ?? '', p.to ?? '', p.source ?? ''] as const,
};

export function getTrends(params: TrendsParams, signal?: AbortSignal) {
  return api.request(TrendsResponse, '/api/insights/trends', { query: { ...params }, signal });
}

export function getTrendsQueryOptions(params: TrendsParams) {
  return queryOptions({ queryKey: trendsKeys.one(params), queryFn: ({ signal }) => getTrends(params, signal), staleTime: 60_000 });
}

export function useTrends(params: TrendsParams, options: { enabled?: boolean } = {}) {
  return useQuery({ ...getTrendsQueryOptions(params), enabled: options.enabled ?? true, placeholderData: keepPreviousData });
}
