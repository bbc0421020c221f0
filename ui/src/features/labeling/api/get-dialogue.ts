// GET /api/dialogues/:id: a dialogue with its customer, FCR estimate and labels.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { DialogueView } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const dialogueKeys = {
  all: ['labeling', 'dialogue'] as const,
  one: (id: string) => [...dialogueKeys.all, id] as const,
};

export function getDialogue(id: string, signal?: AbortSignal) {
  return api.request(DialogueView, `/api/dialogues/${encodeURIComponent(id)}`, { signal });
}

export function getDialogueQueryOptions(id: string) {
  return queryOptions({
    queryKey: dialogueKeys.one(id),
    queryFn: ({ signal }) => getDialogue(id, signal),
    staleTime: 60_000,
  });
}

export function useDialogue(id: string | null) {
  return useQuery({ ...getDialogueQueryOptions(id ?? ''), enabled: id !== null });
}
