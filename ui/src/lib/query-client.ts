import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.ts';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // 4xx answers and contract mismatches will not fix themselves
        retry: (failures, error) => failures < 2 && !(ApiError.isInstance(error) && error.status !== 0 && error.status < 500) && !(ApiError.isInstance(error) && error.code === 'bad_response'),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
  });
}
