// GET /api/guidelines: the labeling guidelines everyone reads.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Guidelines } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const guidelinesKeys = { all: ['guidelines'] as const };

export function getGuidelines(signal?: AbortSignal) {
  return api.request(Guidelines, '/api/guidelines', { signal });
}

export function getGuidelinesQueryOptions() {
  return queryOptions({ queryKey: guidelinesKeys.all, queryFn: ({ signal }) => getGuidelines(signal), staleTime: 60_000 });
}

export function useGuidelines() {
  return useQuery(getGuidelinesQueryOptions());
}
