// GET /api/leaderboard?suite=: the latest complete run per candidate, best composite first; a newer
// incomplete run per candidate, apart; and which config version is in production per channel.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Leaderboard } from '../../../lib/contract.ts';

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
