// GET /api/candidates: the shipped candidate files (evals/candidates).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../../lib/api.ts';

const CandidatesResponse = z.object({ candidates: z.array(z.object({ file: z.string(), name: z.string(), model: z.string(), hash: z.string() })) });

export const candidatesKeys = { all: ['candidates'] as const };

export function getCandidates(signal?: AbortSignal) {
  return api.request(CandidatesResponse, '/api/candidates', { signal });
}

export function getCandidatesQueryOptions() {
  return queryOptions({ queryKey: candidatesKeys.all, queryFn: ({ signal }) => getCandidates(signal) });
}

export function useCandidates() {
  return useQuery(getCandidatesQueryOptions());
}
