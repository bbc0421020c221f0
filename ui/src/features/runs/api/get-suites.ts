// GET /api/suites: the eval suites to pick from.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { SuitesResponse } from '../../../lib/contract.ts';

export const suitesKeys = { all: ['suites'] as const };

export function getSuites(signal?: AbortSignal) {
  return api.request(SuitesResponse, '/api/suites', { signal });
}

export function getSuitesQueryOptions() {
  return queryOptions({ queryKey: suitesKeys.all, queryFn: ({ signal }) => getSuites(signal) });
}

export function useSuites() {
  return useQuery(getSuitesQueryOptions());
}
