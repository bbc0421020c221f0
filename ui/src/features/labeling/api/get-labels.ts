// GET /api/labels: labels by dialogue or reviewer, newest first (the "recent" list).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { LabelList } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export interface LabelQuery {
  dialogue_id?: string;
  reviewer?: string;
  limit?: number;
  offset?: number;
}

export const labelsKeys = {
  all: ['labeling', 'labels'] as const,
  list: (query: LabelQuery) => [...labelsKeys.all, query] as const,
};

export function getLabels(query: LabelQuery, signal?: AbortSignal) {
  return api.request(LabelList, '/api/labels', { query: { ...query }, signal });
}

export function getLabelsQueryOptions(query: LabelQuery) {
  return queryOptions({ queryKey: labelsKeys.list(query), queryFn: ({ signal }) => getLabels(query, signal) });
}

export function useLabels(query: LabelQuery) {
  return useQuery(getLabelsQueryOptions(query));
}
