// GET /api/runs/:id/conversations: a conversation run and one row per conversation (verdict, turns, tool calls).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { ConversationsResponse } from '../../../lib/contract.ts';

export const conversationsKeys = { run: (runId: string) => ['conversations', runId] as const };

export function getConversations(runId: string, signal?: AbortSignal) {
  return api.request(ConversationsResponse, `/api/runs/${encodeURIComponent(runId)}/conversations`, { signal });
}

export function getConversationsQueryOptions(runId: string) {
  return queryOptions({ queryKey: conversationsKeys.run(runId), queryFn: ({ signal }) => getConversations(runId, signal), enabled: runId !== '' });
}

export function useConversations(runId: string) {
  return useQuery(getConversationsQueryOptions(runId));
}
