// GET /api/dialogues/:id, for reading the conversation while deciding.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { DialogueView } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const adjudicationDialogueKeys = {
  one: (id: string) => ['adjudication', 'dialogue', id] as const,
};

export function getDialogueForAdjudication(id: string, signal?: AbortSignal) {
  return api.request(DialogueView, `/api/dialogues/${encodeURIComponent(id)}`, { signal });
}

export function useDialogueForAdjudication(id: string, enabled: boolean) {
  return useQuery({
    ...queryOptions({ queryKey: adjudicationDialogueKeys.one(id), queryFn: ({ signal }) => getDialogueForAdjudication(id, signal) }),
    enabled,
  });
}
