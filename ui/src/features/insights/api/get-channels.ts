// GET /api/insights/channels?from=&to=&source=: per intent, FCR / hand-off / reply length by channel and the chi-square test.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { ChannelsResponse, type Source } from '../../../lib/contract.ts';

export interface ChannelsParams {
  from?: string;
  to?: string;
  source?: Source;
}

export const channelsKeys = {
  all: ['insights', 'channels'] as const,
  one: (p: ChannelsParams) => [...channelsKeys.all, p.from ?? '', p.to ?? '', p.source ?? ''] as const,
};

export function getChannels(params: ChannelsParams, signal?: AbortSignal) {
  return api.request(ChannelsResponse, '/api/insights/channels', { query: { ...params }, signal });
}

export function getChannelsQueryOptions(params: ChannelsParams) {
  return queryOptions({ queryKey: channelsKeys.one(params), queryFn: ({ signal }) => getChannels(params, signal), staleTime: 60_000 });
}

export function useChannels(params: ChannelsParams) {
  return useQuery(getChannelsQueryOptions(params));
}
