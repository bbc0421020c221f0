// PUT /api/dialogues/:id/label: save this reviewer's label as a draft or submitted (409 when stale).
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { SaveLabelBody, type DialogueView, Label } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { dialogueKeys } from './get-dialogue.ts';
import { labelsKeys } from './get-labels.ts';

export function saveLabel(dialogueId: string, body: SaveLabelBody) {
  return api.request(Label, `/api/dialogues/${encodeURIComponent(dialogueId)}/label`, {
    method: 'PUT',
    body: SaveLabelBody.parse(body),
  });
}

/** Keeps the cached dialogue's `my_label` current and refreshes lists a save changes. */
export function onLabelSaved(queryClient: QueryClient, label: Label): void {
  queryClient.setQueryData<DialogueView>(dialogueKeys.one(label.dialogue_id), (view) => (view ? { ...view, my_label: label } : view));
  if (label.status === 'submitted') {
    void queryClient.invalidateQueries({ queryKey: labelsKeys.all });
  }
}

/** The save function the label editor calls (it serialises saves itself, so no useMutation state). */
export function useSaveLabel() {
  const queryClient = useQueryClient();
  return useCallback(
    async (dialogueId: string, body: SaveLabelBody) => {
      const label = await saveLabel(dialogueId, body);
      onLabelSaved(queryClient, label);
      return label;
    },
    [queryClient],
  );
}
