// GET /api/intents: known intent keys with how often each is used.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { IntentList } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const intentsKeys = { all: ['labeling', 'intents'] as const };

export function getIntents(signal?: AbortSignal) {
  return api.request(IntentList, '/api/intents', { signal });
}

export function getIntentsQueryOptions() {
  return queryOptions({ queryKey: intentsKeys.all, queryFn: ({ signal }) => getIntents(signal), staleTime: 60_000 });
}

export function useIntents() {
  return useQuery(getIntentsQueryOptions());
}
