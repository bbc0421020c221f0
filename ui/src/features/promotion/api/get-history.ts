// GET /api/configs/history?channel=: promotions and rollbacks, newest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { HistoryResponse } from '../../../lib/contract.ts';

export const historyKeys = { all: ['config-history'] as const, channel: (channel: string) => ['config-history', channel] as const };

export function getHistory(channel: string, signal?: AbortSignal) {
  return api.request(HistoryResponse, '/api/configs/history', { query: { channel }, signal });
}

export function getHistoryQueryOptions(channel: string) {
  return queryOptions({ queryKey: historyKeys.channel(channel), queryFn: ({ signal }) => getHistory(channel, signal), staleTime: 0 });
}

export function useHistory(channel: string) {
  return useQuery(getHistoryQueryOptions(channel));
}
