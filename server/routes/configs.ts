// Promoted configs: bots fetch theirs (cacheable, ETag); engineers and admins promote and roll back.
// Schemas: server/domain/promotion.ts. A refused promotion's 409 carries the gate's decision.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import {
  BotConfig,
  ChannelParams,
  ConfigQuery,
  HistoryQuery,
  HistoryResponse,
  PromoteBody,
  PromotionRefusedBody,
  PromotionResult,
  RollbackBody,
  RollbackResult,
} from '../domain/promotion.ts';
import type { ConfigService } from '../services/configs.ts';
import type { PromotionService } from '../services/promotion.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Without `promotions` (an answer replica): only GET /v1/configs/:channel. */
export const configRoutes: FastifyPluginAsyncZod<{ configs: ConfigService; promotions?: PromotionService }> = async (app, { configs, promotions }) => {
  app.get('/v1/configs/:channel', {
    config: { roles: ['bot', 'engineer', 'admin'] },
    schema: { params: ChannelParams, querystring: ConfigQuery, response: { 200: BotConfig, 304: z.null(), ...errors } },
    handler: async (request, reply) => {
      const served = await configs.served(request.params.channel, request.query.label);
      if (!served) throw new AppError('not_found', `no ${request.query.label} config for channel ${request.params.channel}`);
      reply.header('etag', served.etag).header('cache-control', 'private, max-age=30, must-revalidate');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(served.etag)) return reply.status(304).send(null);
      // Serialised once per promotion (a string skips the response serializer).
      return reply.type('application/json; charset=utf-8').send(served.json as unknown as BotConfig);
    },
  });

  if (!promotions) return;

  app.post('/api/promotions', {
    config: { roles: ['engineer', 'admin'] },
    schema: { body: PromoteBody, response: { 200: PromotionResult, 409: PromotionRefusedBody, ...errors } },
    handler: async (request) => {
      if (request.body.force_reason && request.viewer.role !== 'admin') throw new AppError('forbidden', 'only an admin may force a promotion');
      const result = await promotions.promote({ runId: request.body.run_id, channel: request.body.channel, label: request.body.label, by: request.viewer.name, force: request.body.force_reason, publishLangfuse: request.body.publish_langfuse });
      return { version: result.version, forced: result.forced, previous: result.previous, checks: result.decision.checks, ...(result.langfuse ? { langfuse: result.langfuse } : {}) };
    },
  });

  app.post('/api/configs/:channel/rollback', {
    config: { roles: ['admin'] },
    schema: { params: ChannelParams, body: RollbackBody, response: { 200: RollbackResult, 409: ErrorBody, ...errors } },
    handler: (request) => promotions.rollback(request.params.channel, request.viewer.name, request.body.label),
  });

  app.get('/api/configs/history', {
    config: { roles: ['engineer', 'admin'] },
    schema: { querystring: HistoryQuery, response: { 200: HistoryResponse, ...errors } },
    handler: async (request) => ({ history: await configs.history(request.query.channel) }),
  });
};
