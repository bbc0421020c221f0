// POST /api/topics/:id/name (admin): the topic becomes an intent of the taxonomy, its members labeled with it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { NameTopicResult, type IntentNames } from '../../../lib/contract.ts';
import { intentNamesKeys } from './get-intent-names.ts';
import { topicsKeys } from './get-topics.ts';

export interface NameTopicInput {
  id: string;
  intent: string;
  names?: IntentNames;
}

export function nameTopic({ id, intent, names }: NameTopicInput) {
  return api.request(NameTopicResult, `/api/topics/${encodeURIComponent(id)}/name`, { method: 'POST', body: { intent, names } });
}

export function useNameTopic() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: nameTopic,
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: topicsKeys.all });
      void queryClient.invalidateQueries({ queryKey: intentNamesKeys.all });
    },
  });
}
