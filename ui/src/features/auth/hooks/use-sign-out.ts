import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { sessionStore } from '../../../lib/session.tsx';

/** Forgets the key and everything fetched with it. */
export function useSignOut() {
  const queryClient = useQueryClient();
  return useCallback(() => {
    sessionStore.signOut();
    queryClient.clear();
  }, [queryClient]);
}
