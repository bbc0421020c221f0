// GET /api/settings: labeling overlap, the FCR repeat-contact window and when a scorer may gate.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { Settings } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const settingsKeys = { all: ['settings'] as const };

export function getSettings(signal?: AbortSignal) {
  return api.request(Settings, '/api/settings', { signal });
}

export function getSettingsQueryOptions() {
  return queryOptions({ queryKey: settingsKeys.all, queryFn: ({ signal }) => getSettings(signal) });
}

export function useSettings() {
  return useQuery(getSettingsQueryOptions());
}
