// GET /api/runs/:id: a run, its per-case results with the scorers' reasons, and the suite's cases.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { RunDetail } from '../../../lib/contract.ts';

export const runKeys = { detail: (id: string) => ['run', id] as const };

export function getRun(id: string, signal?: AbortSignal) {
  return api.request(RunDetail, `/api/runs/${encodeURIComponent(id)}`, { signal });
}

export function getRunQueryOptions(id: string) {
  return queryOptions({ queryKey: runKeys.detail(id), queryFn: ({ signal }) => getRun(id, signal), enabled: id !== '' });
}

export function useRun(id: string) {
  return useQuery(getRunQueryOptions(id));
}
