// POST /api/runs {suite, candidate}: starts a run in the server (202 with its first progress).
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Progress, type StartRunBody } from '../../../lib/contract.ts';

export function startRun(input: StartRunBody) {
  return api.request(Progress, '/api/runs', { method: 'POST', body: input });
}

export function useStartRun() {
  return useMutation({ mutationFn: startRun });
}
