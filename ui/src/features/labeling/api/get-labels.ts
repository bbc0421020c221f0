// GET /api/labels: labels by dialogue or reviewer, newest first (the "recent" list).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { LabelList, type LabelListQuery } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

/** The query of GET /api/labels (the server's defaults fill what is left out). */
export type LabelQuery = Partial<LabelListQuery>;

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
