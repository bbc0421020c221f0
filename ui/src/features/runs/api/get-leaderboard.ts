// GET /api/leaderboard?suite=&kind=: the latest complete run per candidate, best composite first; a
// newer incomplete run per candidate, apart; and which config version is in production per channel.
// `kind=conversation`: conversation runs on a scenario set (`suite` names the set).
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { Leaderboard, type RunKind } from '../../../lib/contract.ts';

export const leaderboardKeys = { all: ['leaderboard'] as const, suite: (suite: string, kind: RunKind = 'reply') => ['leaderboard', suite, kind] as const };

export function getLeaderboard(suite: string, kind: RunKind = 'reply', signal?: AbortSignal) {
  return api.request(Leaderboard, '/api/leaderboard', { query: { suite, kind }, signal });
}

export function getLeaderboardQueryOptions(suite: string, kind: RunKind = 'reply') {
  return queryOptions({ queryKey: leaderboardKeys.suite(suite, kind), queryFn: ({ signal }) => getLeaderboard(suite, kind, signal), enabled: suite !== '', staleTime: 0 });
}

export function useLeaderboard(suite: string, kind: RunKind = 'reply') {
  return useQuery(getLeaderboardQueryOptions(suite, kind));
}
