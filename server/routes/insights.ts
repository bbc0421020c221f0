// Insights for team leads: trends with intervals, channel consistency, and early-warning alerts
// (engineers and admins read; only an admin acknowledges or changes the alert settings).
// Schemas: server/domain/trends.ts and server/domain/alerts.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Alert, AlertParams, AlertSettings, AlertSettingsUpdate, AlertsQuery, AlertsResponse, DetectBody, DetectionResult } from '../domain/alerts.ts';
import { ErrorBody } from '../domain/api.ts';
import { ChannelsQuery, ChannelsResponse, TrendsQuery, TrendsResponse } from '../domain/trends.ts';
import type { InsightsService } from '../services/insights.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const TEAM = ['engineer', 'admin'] as const;

export const insightsRoutes: FastifyPluginAsyncZod<{ insights: InsightsService }> = async (app, { insights }) => {
  app.get('/api/insights/trends', {
    config: { roles: [...TEAM] },
    schema: { querystring: TrendsQuery, response: { 200: TrendsResponse, ...errors } },
    handler: (request) => insights.trends(request.query),
  });

  app.get('/api/insights/channels', {
    config: { roles: [...TEAM] },
    schema: { querystring: ChannelsQuery, response: { 200: ChannelsResponse, ...errors } },
    handler: async (request) => insights.channels(request.query, (await insights.settings()).alert_q),
  });

  app.get('/api/insights/alerts', {
    config: { roles: [...TEAM] },
    schema: { querystring: AlertsQuery, response: { 200: AlertsResponse, ...errors } },
    handler: async (request) => ({ alerts: await insights.alerts(request.query) }),
  });

  app.post('/api/insights/alerts/:id/acknowledge', {
    config: { roles: ['admin'] },
    schema: { params: AlertParams, response: { 200: Alert, ...errors } },
    handler: (request) => insights.acknowledge(request.params.id, request.viewer.name),
  });

  app.post('/api/insights/detect', {
    config: { roles: [...TEAM] },
    schema: { body: DetectBody, response: { 200: DetectionResult, ...errors } },
    handler: (request) => insights.detect({ since: request.body.since, notify: request.body.notify }),
  });

  app.get('/api/insights/settings', {
    config: { roles: [...TEAM] },
    schema: { response: { 200: AlertSettings, ...errors } },
    handler: () => insights.settings(),
  });

  app.put('/api/insights/settings', {
    config: { roles: ['admin'] },
    schema: { body: AlertSettingsUpdate, response: { 200: AlertSettings, ...errors } },
    handler: (request) => insights.updateSettings(request.body, request.viewer.name),
  });
};
