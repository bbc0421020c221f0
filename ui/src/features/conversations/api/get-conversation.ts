// GET /api/runs/:id/conversations/:scenario_id/:trial: one conversation in full (transcript, tool
// calls, customer events, end state and diff, expectation, judgement).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { ConversationDetail } from '../../../lib/contract.ts';

export const conversationKeys = { one: (runId: string, scenarioId: string, trial: number) => ['conversation', runId, scenarioId, trial] as const };

export function getConversation(runId: string, scenarioId: string, trial: number, signal?: AbortSignal) {
  const path = `/api/runs/${encodeURIComponent(runId)}/conversations/${encodeURIComponent(scenarioId)}/${trial}`;
  return api.request(ConversationDetail, path, { signal });
}

export function getConversationQueryOptions(runId: string, scenarioId: string, trial: number) {
  return queryOptions({
    queryKey: conversationKeys.one(runId, scenarioId, trial),
    queryFn: ({ signal }) => getConversation(runId, scenarioId, trial, signal),
    enabled: runId !== '' && scenarioId !== '' && trial > 0,
    // A stored conversation never changes.
    staleTime: Infinity,
  });
}

export function useConversation(runId: string, scenarioId: string, trial: number) {
  return useQuery(getConversationQueryOptions(runId, scenarioId, trial));
}
