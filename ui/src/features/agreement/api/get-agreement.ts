// GET /api/agreement: inter-reviewer agreement per field, per pair and per reviewer.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { AgreementReport } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';

export const agreementKeys = { all: ['agreement'] as const };

export function getAgreement(signal?: AbortSignal) {
  return api.request(AgreementReport, '/api/agreement', { signal });
}

export function getAgreementQueryOptions() {
  return queryOptions({ queryKey: agreementKeys.all, queryFn: ({ signal }) => getAgreement(signal), staleTime: 0 });
}

export function useAgreement() {
  return useQuery(getAgreementQueryOptions());
}
