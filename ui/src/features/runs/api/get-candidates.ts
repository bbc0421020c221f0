// GET /api/candidates: the shipped candidate files (evals/candidates).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { CandidatesResponse } from '../../../lib/contract.ts';

export const candidatesKeys = { all: ['candidates'] as const };

export function getCandidates(signal?: AbortSignal) {
  return api.request(CandidatesResponse, '/api/candidates', { signal });
}

export function getCandidatesQueryOptions() {
  return queryOptions({ queryKey: candidatesKeys.all, queryFn: ({ signal }) => getCandidates(signal) });
}

export function useCandidates() {
  return useQuery(getCandidatesQueryOptions());
}
