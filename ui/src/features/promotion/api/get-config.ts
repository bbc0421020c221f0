// GET /v1/configs/:channel?label=: the config a channel's bots are served (404 when none yet).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-client.ts';
import { api } from '../../../lib/api.ts';
import { BotConfig, type ConfigLabel } from '../../../lib/contract.ts';

export const configKeys = { all: ['config'] as const, one: (channel: string, label: ConfigLabel) => ['config', channel, label] as const };

export async function getConfig(channel: string, label: ConfigLabel, signal?: AbortSignal): Promise<BotConfig | null> {
  try {
    return await api.request(BotConfig, `/v1/configs/${encodeURIComponent(channel)}`, { query: { label }, signal, cache: 'no-store' });
  } catch (error) {
    if (ApiError.isInstance(error) && error.status === 404) return null;
    throw error;
  }
}

export function getConfigQueryOptions(channel: string, label: ConfigLabel) {
  return queryOptions({ queryKey: configKeys.one(channel, label), queryFn: ({ signal }) => getConfig(channel, label, signal), staleTime: 0 });
}

export function useConfig(channel: string, label: ConfigLabel) {
  return useQuery(getConfigQueryOptions(channel, label));
}
