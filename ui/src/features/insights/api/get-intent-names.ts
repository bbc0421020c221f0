// GET /api/intents: the taxonomy's display names, so intents read as words rather than keys.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { IntentList } from '../../../lib/contract.ts';

export const intentNamesKeys = { all: ['insights', 'intents'] as const };

export function getIntentNames(signal?: AbortSignal) {
  return api.request(IntentList, '/api/intents', { signal });
}

export function getIntentNamesQueryOptions() {
  return queryOptions({ queryKey: intentNamesKeys.all, queryFn: ({ signal }) => getIntentNames(signal), staleTime: 60_000 });
}

export function useIntentNames() {
  return useQuery(getIntentNamesQueryOptions());
}
