// PUT /api/settings (admin).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Settings } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { settingsKeys } from './get-settings.ts';

export function updateSettings(settings: Settings) {
  return api.request(Settings, '/api/settings', { method: 'PUT', body: Settings.parse(settings) });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: (settings) => queryClient.setQueryData(settingsKeys.all, settings),
  });
}
