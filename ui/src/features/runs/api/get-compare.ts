// GET /api/compare?a=&b=: two runs on the same suite, case by case, with the composite delta (b - a).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Comparison } from '../../../lib/contract.ts';

export const compareKeys = { pair: (a: string, b: string) => ['compare', a, b] as const };

export function getCompare(a: string, b: string, signal?: AbortSignal) {
  return api.request(Comparison, '/api/compare', { query: { a, b }, signal });
}

export function getCompareQueryOptions(a: string, b: string) {
  return queryOptions({ queryKey: compareKeys.pair(a, b), queryFn: ({ signal }) => getCompare(a, b, signal), enabled: a !== '' && b !== '' && a !== b });
}

export function useCompare(a: string, b: string) {
  return useQuery(getCompareQueryOptions(a, b));
}
