// GET /api/runs: the finished conversation runs, newest first (to pick a run, or one to compare with).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { RunsResponse } from '../../../lib/contract.ts';

export const conversationRunsKeys = { all: ['conversation-runs'] as const };

export async function getConversationRuns(signal?: AbortSignal) {
  const { runs } = await api.request(RunsResponse, '/api/runs', { query: { limit: 500 }, signal });
  return runs.filter((r) => r.kind === 'conversation' && r.status !== 'running');
}

export function getConversationRunsQueryOptions() {
  return queryOptions({ queryKey: conversationRunsKeys.all, queryFn: ({ signal }) => getConversationRuns(signal), staleTime: 0 });
}

export function useConversationRuns() {
  return useQuery(getConversationRunsQueryOptions());
}
