// POST /api/adjudication/:dialogue_id (admin): the decided (gold) label.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AdjudicateBody, GoldLabel, type LabelFields } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { adjudicationKeys } from './get-adjudication.ts';

export function adjudicate(dialogueId: string, fields: LabelFields) {
  return api.request(GoldLabel, `/api/adjudication/${encodeURIComponent(dialogueId)}`, {
    method: 'POST',
    body: AdjudicateBody.parse({ fields }),
  });
}

export function useAdjudicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ dialogueId, fields }: { dialogueId: string; fields: LabelFields }) => adjudicate(dialogueId, fields),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adjudicationKeys.all }),
  });
}
