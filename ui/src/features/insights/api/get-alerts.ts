// GET /api/insights/alerts?status=: stored early-warning alerts, newest first.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api.ts';
import { AlertsResponse, type AlertStatus } from '../../../lib/contract.ts';

export const alertsKeys = {
  all: ['insights', 'alerts'] as const,
  status: (status: AlertStatus | 'all') => [...alertsKeys.all, status] as const,
};

export function getAlerts(status: AlertStatus | 'all', signal?: AbortSignal) {
  return api.request(AlertsResponse, '/api/insights/alerts', { query: { status: status === 'all' ? undefined : status, limit: 1000 }, signal });
}

export function getAlertsQueryOptions(status: AlertStatus | 'all') {
  return queryOptions({ queryKey: alertsKeys.status(status), queryFn: ({ signal }) => getAlerts(status, signal), staleTime: 0 });
}

export function useAlerts(status: AlertStatus | 'all') {
  return useQuery(getAlertsQueryOptions(status));
}
