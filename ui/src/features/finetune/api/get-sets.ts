// GET /api/finetune/sets: every fine-tuning set version with its data card (engineers and admins).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../../lib/api.ts';
import { FinetuneSet } from './schemas.ts';

const SetsResponse = z.object({ sets: z.array(FinetuneSet) });

export const finetuneSetsKeys = { all: ['finetune', 'sets'] as const };

export function getFinetuneSets(signal?: AbortSignal) {
  return api.request(SetsResponse, '/api/finetune/sets', { signal });
}

export function getFinetuneSetsQueryOptions() {
  return queryOptions({ queryKey: finetuneSetsKeys.all, queryFn: ({ signal }) => getFinetuneSets(signal), staleTime: 0 });
}

export function useFinetuneSets() {
  return useQuery(getFinetuneSetsQueryOptions());
}
