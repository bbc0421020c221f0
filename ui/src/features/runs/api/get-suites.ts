// GET /api/suites: the eval suites to pick from.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../../lib/api.ts';

export const Suite = z.object({ name: z.string(), version: z.number(), hash: z.string(), created_at: z.string(), split: z.string(), n_cases: z.number() });
const SuitesResponse = z.object({ suites: z.array(Suite) });

export const suitesKeys = { all: ['suites'] as const };

export function getSuites(signal?: AbortSignal) {
  return api.request(SuitesResponse, '/api/suites', { signal });
}

export function getSuitesQueryOptions() {
  return queryOptions({ queryKey: suitesKeys.all, queryFn: ({ signal }) => getSuites(signal) });
}

export function useSuites() {
  return useQuery(getSuitesQueryOptions());
}
