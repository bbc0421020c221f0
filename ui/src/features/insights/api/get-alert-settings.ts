// GET /api/insights/settings: the detection settings (the false-discovery rate and baseline weeks shown with the alerts).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { AlertSettings } from '../../../lib/contract.ts';

export const alertSettingsKeys = { all: ['insights', 'settings'] as const };

export function getAlertSettings(signal?: AbortSignal) {
  return api.request(AlertSettings, '/api/insights/settings', { signal });
}

export function getAlertSettingsQueryOptions() {
  return queryOptions({ queryKey: alertSettingsKeys.all, queryFn: ({ signal }) => getAlertSettings(signal), staleTime: 60_000 });
}

export function useAlertSettings() {
  return useQuery(getAlertSettingsQueryOptions());
}
