// POST /api/insights/alerts/:id/acknowledge (admin): the alert leaves the open list.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Alert } from '../../../lib/contract.ts';
import { alertsKeys } from './get-alerts.ts';

export function acknowledgeAlert(id: string) {
  return api.request(Alert, `/api/insights/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST' });
}

export function useAcknowledgeAlert() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: acknowledgeAlert,
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertsKeys.all }),
  });
}
