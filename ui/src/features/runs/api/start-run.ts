// POST /api/runs {suite, candidate}: starts a run in the server (202 with its first progress).
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Progress } from './schemas.ts';

export function startRun(input: { suite: string; candidate: string }) {
  return api.request(Progress, '/api/runs', { method: 'POST', body: input });
}

export function useStartRun() {
  return useMutation({ mutationFn: startRun });
}
