// GET /api/runs?suite=: runs, newest first (all suites and scenario sets without `suite`).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { RunsResponse } from '../../../lib/contract.ts';

export const runsKeys = { all: ['runs'] as const, suite: (suite: string) => ['runs', 'list', suite] as const, recent: ['runs', 'recent'] as const };

export function getRuns(suite: string, signal?: AbortSignal) {
  return api.request(RunsResponse, '/api/runs', { query: { suite }, signal });
}

export function getRunsQueryOptions(suite: string) {
  return queryOptions({ queryKey: runsKeys.suite(suite), queryFn: ({ signal }) => getRuns(suite, signal), enabled: suite !== '', staleTime: 0 });
}

export function useRuns(suite: string) {
  return useQuery(getRunsQueryOptions(suite));
}

/** The newest runs of every suite and scenario set (up to 500): the scenario sets that have conversation runs come from here. */
export function getRecentRunsQueryOptions() {
  return queryOptions({
    queryKey: runsKeys.recent,
    queryFn: ({ signal }) => api.request(RunsResponse, '/api/runs', { query: { limit: 500 }, signal }),
    staleTime: 0,
  });
}

/** Names of the scenario sets with a finished conversation run, newest first. */
export function useConversationSets() {
  return useQuery({
    ...getRecentRunsQueryOptions(),
    select: (data) => [...new Set(data.runs.filter((r) => r.kind === 'conversation' && r.status !== 'running').map((r) => r.suite_name))],
  });
}
