// GET /api/runs?suite=: runs, newest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { RunsResponse } from '../../../lib/contract.ts';

export const runsKeys = { all: ['runs'] as const, suite: (suite: string) => ['runs', 'list', suite] as const };

export function getRuns(suite: string, signal?: AbortSignal) {
  return api.request(RunsResponse, '/api/runs', { query: { suite }, signal });
}

export function getRunsQueryOptions(suite: string) {
  return queryOptions({ queryKey: runsKeys.suite(suite), queryFn: ({ signal }) => getRuns(suite, signal), enabled: suite !== '', staleTime: 0 });
}

export function useRuns(suite: string) {
  return useQuery(getRunsQueryOptions(suite));
}
