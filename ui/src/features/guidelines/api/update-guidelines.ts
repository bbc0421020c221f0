// PUT /api/guidelines (admin): replace the guidelines text.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Guidelines, GuidelinesBody } from '../../../lib/contract.ts';
import { api } from '../../../lib/api.ts';
import { guidelinesKeys } from './get-guidelines.ts';

export function updateGuidelines(text: string) {
  return api.request(Guidelines, '/api/guidelines', { method: 'PUT', body: GuidelinesBody.parse({ text }) });
}

export function useUpdateGuidelines() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateGuidelines,
    onSuccess: (guidelines) => queryClient.setQueryData(guidelinesKeys.all, guidelines),
  });
}
