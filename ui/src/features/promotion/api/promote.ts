// POST /api/promotions: promote a run's candidate to a channel's label through the gate (409 when
// it is refused, with the refusal as data: see utils/refusal.ts); an admin may force it with a
// reason, which is recorded.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { configKeys } from './get-config.ts';
import { historyKeys } from './get-history.ts';
import { PromotionResult, type PromoteBody } from '../../../lib/contract.ts';

export function promote(input: PromoteBody) {
  return api.request(PromotionResult, '/api/promotions', { method: 'POST', body: input });
}

export function usePromote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: promote,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: historyKeys.all });
      void queryClient.invalidateQueries({ queryKey: configKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['leaderboard'] });
    },
  });
}
