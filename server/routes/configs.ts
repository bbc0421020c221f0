// Promoted configs: bots fetch theirs (cacheable, ETag); engineers and admins promote and roll back.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { BotConfig, ConfigLabel, HistoryEntry, configHistory, promote, rollback, servedConfig } from '../promotion/configs.ts';
import type { Database } from '../storage/database.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const GateCheck = z.object({ name: z.string(), passed: z.boolean(), detail: z.string(), values: z.record(z.string(), z.number().nullable()) });

export const configRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  app.get('/v1/configs/:channel', {
    config: { roles: ['bot', 'engineer', 'admin'] },
    schema: {
      params: z.object({ channel: z.string().min(1).max(40) }),
      querystring: z.object({ label: ConfigLabel.default('production') }),
      response: { 200: BotConfig, 304: z.null(), ...errors },
    },
    handler: async (request, reply) => {
      const served = await servedConfig(db, request.params.channel, request.query.label);
      if (!served) throw new AppError('not_found', `no ${request.query.label} config for channel ${request.params.channel}`);
      reply.header('etag', served.etag).header('cache-control', 'private, max-age=30, must-revalidate');
      const match = request.headers['if-none-match'];
      if (match && match.split(',').map((s) => s.trim().replace(/^W\//, '')).includes(served.etag)) return reply.status(304).send(null);
      // Serialised once per promotion (a string skips the response serializer).
      return reply.type('application/json; charset=utf-8').send(served.json as unknown as z.infer<typeof BotConfig>);
    },
  });

  app.post('/api/promotions', {
    config: { roles: ['engineer', 'admin'] },
    schema: {
      body: z.object({
        run_id: z.string().min(1),
        channel: z.string().min(1).max(40),
        label: ConfigLabel.default('production'),
        force_reason: z.string().min(3).max(500).optional(),
      }),
      response: { 200: z.object({ version: z.string(), forced: z.boolean(), previous: z.string().nullable(), checks: z.array(GateCheck) }), 409: ErrorBody, ...errors },
    },
    handler: async (request) => {
      if (request.body.force_reason && request.viewer.role !== 'admin') throw new AppError('forbidden', 'only an admin may force a promotion');
      const result = await promote(db, { runId: request.body.run_id, channel: request.body.channel, label: request.body.label, by: request.viewer.name, force: request.body.force_reason });
      return { version: result.version, forced: result.forced, previous: result.previous, checks: result.decision.checks };
    },
  });

  app.post('/api/configs/:channel/rollback', {
    config: { roles: ['admin'] },
    schema: {
      params: z.object({ channel: z.string().min(1).max(40) }),
      body: z.object({ label: ConfigLabel.default('production') }),
      response: { 200: z.object({ from: z.string(), to: z.string() }), 409: ErrorBody, ...errors },
    },
    handler: (request) => rollback(db, request.params.channel, request.viewer.name, request.body.label),
  });

  app.get('/api/configs/history', {
    config: { roles: ['engineer', 'admin'] },
    schema: { querystring: z.object({ channel: z.string().optional() }), response: { 200: z.object({ history: z.array(HistoryEntry) }), ...errors } },
    handler: async (request) => ({ history: await configHistory(db, request.query.channel) }),
  });
};
