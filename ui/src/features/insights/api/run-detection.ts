// POST /api/insights/detect (engineers and admins): run every detector now; new alerts go to the webhook.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { DetectionResult, type DetectBody } from '../../../lib/contract.ts';
import { alertsKeys } from './get-alerts.ts';

export function runDetection(body: Partial<DetectBody> = {}) {
  return api.request(DetectionResult, '/api/insights/detect', { method: 'POST', body });
}

export function useRunDetection() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: runDetection,
    onSettled: () => queryClient.invalidateQueries({ queryKey: alertsKeys.all }),
  });
}
