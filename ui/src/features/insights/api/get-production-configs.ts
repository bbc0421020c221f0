// GET /v1/configs/:channel?label=production for every channel: what each channel's bots are served (null: none promoted yet).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError } from '../../../lib/api-client.ts';
import { api } from '../../../lib/api.ts';
import { BotConfig, CHANNELS } from '../../../lib/contract.ts';

export const productionConfigsKeys = { all: ['insights', 'production-configs'] as const };

async function productionConfig(channel: string, signal?: AbortSignal): Promise<BotConfig | null> {
  try {
    return await api.request(BotConfig, `/v1/configs/${encodeURIComponent(channel)}`, { query: { label: 'production' }, signal, cache: 'no-store' });
  } catch (error) {
    if (ApiError.isInstance(error) && error.status === 404) return null;
    throw error;
  }
}

export async function getProductionConfigs(signal?: AbortSignal): Promise<{ channel: string; config: BotConfig | null }[]> {
  return Promise.all(CHANNELS.map(async (channel) => ({ channel, config: await productionConfig(channel, signal) })));
}

export function getProductionConfigsQueryOptions() {
  return queryOptions({ queryKey: productionConfigsKeys.all, queryFn: ({ signal }) => getProductionConfigs(signal), staleTime: 0 });
}

export function useProductionConfigs() {
  return useQuery(getProductionConfigsQueryOptions());
}
