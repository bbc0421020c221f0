// GET /api/leaderboard?suite=: the latest complete run per candidate, best composite first; a newer
// incomplete run per candidate, apart; and which config version is in production per channel.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { api } from '../../../lib/api.ts';
import { RunRow } from './schemas.ts';

export const Leaderboard = z.object({
  suite: z.object({ name: z.string(), version: z.number(), cases: z.number() }),
  entries: z.array(RunRow),
  incomplete: z.array(RunRow),
  production: z.record(z.string(), z.string().nullable()),
});
export type Leaderboard = z.infer<typeof Leaderboard>;

export const leaderboardKeys = { all: ['leaderboard'] as const, suite: (suite: string) => ['leaderboard', suite] as const };

export function getLeaderboard(suite: string, signal?: AbortSignal) {
  return api.request(Leaderboard, '/api/leaderboard', { query: { suite }, signal });
}

export function getLeaderboardQueryOptions(suite: string) {
  return queryOptions({ queryKey: leaderboardKeys.suite(suite), queryFn: ({ signal }) => getLeaderboard(suite, signal), enabled: suite !== '', staleTime: 0 });
}

export function useLeaderboard(suite: string) {
  return useQuery(getLeaderboardQueryOptions(suite));
}
