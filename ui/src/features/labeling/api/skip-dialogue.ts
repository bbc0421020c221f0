// POST /api/queue/skip: put a dialogue aside for this reviewer.
import { useMutation } from '@tanstack/react-query';
import { SkipBody } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export function skipDialogue(dialogueId: string) {
  return api.request(null, '/api/queue/skip', { method: 'POST', body: SkipBody.parse({ dialogue_id: dialogueId }) });
}

export function useSkipDialogue() {
  return useMutation({ mutationFn: skipDialogue });
}
