// PUT /api/settings (admin): the fields sent change, the others keep their value.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Settings, SettingsUpdate } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { settingsKeys } from './get-settings.ts';

export function updateSettings(settings: SettingsUpdate) {
  return api.request(Settings, '/api/settings', { method: 'PUT', body: SettingsUpdate.parse(settings) });
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: (settings) => queryClient.setQueryData(settingsKeys.all, settings),
  });
}
