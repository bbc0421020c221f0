// GET /api/adjudication (admin): dialogues where reviewers disagree.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AdjudicationList } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const adjudicationKeys = { all: ['adjudication'] as const };

export function getAdjudication(signal?: AbortSignal) {
  return api.request(AdjudicationList, '/api/adjudication', { signal });
}

export function getAdjudicationQueryOptions() {
  return queryOptions({ queryKey: adjudicationKeys.all, queryFn: ({ signal }) => getAdjudication(signal), staleTime: 0 });
}

export function useAdjudication() {
  return useQuery(getAdjudicationQueryOptions());
}
