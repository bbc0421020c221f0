// POST /api/intents: add a new intent key (201, body ignored).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AddIntentBody, IntentKey } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { intentsKeys } from './get-intents.ts';

export function addIntent(key: string) {
  return api.request(null, '/api/intents', { method: 'POST', body: AddIntentBody.parse({ key: IntentKey.parse(key) }) });
}

export function useAddIntent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addIntent,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: intentsKeys.all }),
  });
}
