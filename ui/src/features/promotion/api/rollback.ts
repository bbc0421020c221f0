// POST /api/configs/:channel/rollback {label} (admin): back to the version the current one replaced.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { configKeys } from './get-config.ts';
import { historyKeys } from './get-history.ts';
import { RollbackResult, type ConfigLabel } from '../../../lib/contract.ts';

export function rollback({ channel, label }: { channel: string; label: ConfigLabel }) {
  return api.request(RollbackResult, `/api/configs/${encodeURIComponent(channel)}/rollback`, { method: 'POST', body: { label } });
}

export function useRollback() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rollback,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: historyKeys.all });
      void queryClient.invalidateQueries({ queryKey: configKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['leaderboard'] });
    },
  });
}
