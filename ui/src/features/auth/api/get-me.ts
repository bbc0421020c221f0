// GET /api/me: who the API key belongs to.
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Me } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { sessionStore } from '../../../lib/session.tsx';

export const meKeys = { all: ['auth', 'me'] as const };

/** With `apiKey`, checks that key instead of the stored one (sign-in). */
export function getMe(options: { apiKey?: string; signal?: AbortSignal } = {}) {
  return api.request(Me, '/api/me', options);
}

export function getMeQueryOptions() {
  return queryOptions({ queryKey: meKeys.all, queryFn: ({ signal }) => getMe({ signal }), staleTime: 5 * 60_000 });
}

export function useMe(enabled: boolean) {
  return useQuery({ ...getMeQueryOptions(), enabled });
}

/** Checks a key; on success it becomes the session's key. */
export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (apiKey: string) => getMe({ apiKey }),
    onSuccess: (me, apiKey) => {
      queryClient.clear();
      queryClient.setQueryData(meKeys.all, me);
      sessionStore.signIn(apiKey);
    },
  });
}
