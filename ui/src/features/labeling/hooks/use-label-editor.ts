// Binds a LabelEditorStore to the current dialogue, with auto-save of drafts every few seconds.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { DialogueView } from '../../../lib/contract.ts';
import { getDialogueQueryOptions } from '../api/get-dialogue.ts';
import { useSaveLabel } from '../api/save-label.ts';
import { LabelEditorStore } from '../utils/label-editor-store.ts';

export const AUTO_SAVE_MS = 3_000;

export function useLabelEditor(view: DialogueView | undefined) {
  const queryClient = useQueryClient();
  const save = useSaveLabel();
  const [store] = useState(
    () =>
      new LabelEditorStore({
        save,
        reload: (id) => queryClient.fetchQuery({ ...getDialogueQueryOptions(id), staleTime: 0 }),
      }),
  );
  const state = useSyncExternalStore(store.subscribe, store.getState, store.getState);

  useEffect(() => {
    if (view && view.dialogue.id !== store.getState().dialogueId) store.load(view);
    if (!view) store.clear();
  }, [view, store]);

  useEffect(() => {
    const timer = setInterval(() => {
      const current = store.getState();
      // A submitted label is only changed on purpose (Enter or Ctrl+S), never by the timer.
      if (!store.dirty || current.saving || current.conflict || current.savedStatus === 'submitted') return;
      store.persist('draft').catch(() => undefined); // the error is in the store's state
    }, AUTO_SAVE_MS);
    return () => clearInterval(timer);
  }, [store]);

  return { store, state };
}
