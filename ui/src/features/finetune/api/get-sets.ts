// GET /api/finetune/sets: every fine-tuning set version with its data card (engineers and admins).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { FinetuneSetList } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const finetuneSetsKeys = { all: ['finetune', 'sets'] as const };

export function getFinetuneSets(signal?: AbortSignal) {
  return api.request(FinetuneSetList, '/api/finetune/sets', { signal });
}

export function getFinetuneSetsQueryOptions() {
  return queryOptions({ queryKey: finetuneSetsKeys.all, queryFn: ({ signal }) => getFinetuneSets(signal), staleTime: 0 });
}

export function useFinetuneSets() {
  return useQuery(getFinetuneSetsQueryOptions());
}
