// GET /api/queue/next: the next dialogue for this reviewer under the filters, and progress.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { QueueNext } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export interface QueueFilterValues {
  language?: 'zh' | 'en';
  channel?: string;
  intent?: string;
  source?: string;
  from?: string;
  to?: string;
  uncertain?: boolean;
}

export const queueNextKeys = {
  all: ['labeling', 'queue-next'] as const,
  filtered: (filters: QueueFilterValues) => [...queueNextKeys.all, filters] as const,
};

export function getQueueNext(filters: QueueFilterValues, signal?: AbortSignal) {
  return api.request(QueueNext, '/api/queue/next', { query: { ...filters, uncertain: filters.uncertain ? 'true' : undefined }, signal });
}

export function getQueueNextQueryOptions(filters: QueueFilterValues) {
  return queryOptions({
    queryKey: queueNextKeys.filtered(filters),
    queryFn: ({ signal }) => getQueueNext(filters, signal),
    staleTime: 0,
  });
}

export function useQueueNext(filters: QueueFilterValues) {
  return useQuery(getQueueNextQueryOptions(filters));
}
