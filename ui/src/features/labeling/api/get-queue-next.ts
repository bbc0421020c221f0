// GET /api/queue/next: the next dialogue for this reviewer under the filters, and progress.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { QueueNext, type QueueFilters } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const queueNextKeys = {
  all: ['labeling', 'queue-next'] as const,
  filtered: (filters: QueueFilters) => [...queueNextKeys.all, filters] as const,
};

export function getQueueNext(filters: QueueFilters, signal?: AbortSignal) {
  return api.request(QueueNext, '/api/queue/next', { query: { ...filters, uncertain: filters.uncertain ? 'true' : undefined }, signal });
}

export function getQueueNextQueryOptions(filters: QueueFilters) {
  return queryOptions({
    queryKey: queueNextKeys.filtered(filters),
    queryFn: ({ signal }) => getQueueNext(filters, signal),
    staleTime: 0,
  });
}

export function useQueueNext(filters: QueueFilters) {
  return useQuery(getQueueNextQueryOptions(filters));
}
