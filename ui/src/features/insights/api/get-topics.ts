// GET /api/topics: candidate new topics (key terms, examples) and the ones already named or dismissed.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { TopicList } from '../../../lib/contract.ts';

export const topicsKeys = { all: ['insights', 'topics'] as const };

export function getTopics(signal?: AbortSignal) {
  return api.request(TopicList, '/api/topics', { signal });
}

export function getTopicsQueryOptions() {
  return queryOptions({ queryKey: topicsKeys.all, queryFn: ({ signal }) => getTopics(signal), staleTime: 0 });
}

export function useTopics() {
  return useQuery(getTopicsQueryOptions());
}
