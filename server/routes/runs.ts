// Eval runs for the team lead (server/services/runs.ts): suites and candidates to choose from,
// starting a run (progress as server-sent events), the leaderboard per suite, a run's cases with
// the scorers' reasons, two runs compared case by case, and a conversation run's conversations. Schemas: server/domain/runs-api.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import {
  CandidatesResponse,
  CompareQuery,
  Comparison,
  ConversationDetail,
  ConversationParams,
  ConversationsResponse,
  Leaderboard,
  LeaderboardQuery,
  Progress,
  RunDetail,
  RunIdParams,
  RunsQuery,
  RunsResponse,
  StartRunBody,
  SuitesResponse,
} from '../domain/runs-api.ts';
import { securityHeaders } from '../plugins/security-headers.ts';
import type { RunService } from '../services/runs.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const TEAM = ['engineer', 'admin'] as const;

export const runRoutes: FastifyPluginAsyncZod<{ runs: RunService }> = async (app, { runs }) => {
  app.get('/api/suites', {
    config: { roles: TEAM },
    schema: { response: { 200: SuitesResponse, ...errors } },
    handler: async () => ({ suites: await runs.suites() }),
  });

  app.get('/api/candidates', {
    config: { roles: TEAM },
    schema: { response: { 200: CandidatesResponse, ...errors } },
    handler: async () => ({ candidates: await runs.candidates() }),
  });

  app.post('/api/runs', {
    config: { roles: TEAM },
    schema: { body: StartRunBody, response: { 202: Progress, ...errors } },
    handler: async (request, reply) => reply.status(202).send(await runs.start(request.body)),
  });

  app.get('/api/runs/:id/events', {
    config: { roles: TEAM },
    schema: { params: RunIdParams },
    handler: async (request, reply) => {
      const first = runs.progress(request.params.id);
      if (!first) throw new AppError('not_found', `run ${request.params.id} is not running in this server`);
      reply.raw.writeHead(200, { ...securityHeaders(), 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (p: Progress) => reply.raw.write(`data: ${JSON.stringify(p)}\n\n`);
      send(first);
      if (first.status !== 'running') return reply.raw.end();
      const stop = runs.subscribe(request.params.id, (p) => {
        send(p);
        if (p.status !== 'running') {
          stop();
          reply.raw.end();
        }
      });
      request.raw.on('close', stop);
      return reply;
    },
  });

  app.get('/api/runs', {
    config: { roles: TEAM },
    schema: { querystring: RunsQuery, response: { 200: RunsResponse, ...errors } },
    handler: async (request) => ({ runs: await runs.list({ suite: request.query.suite, limit: request.query.limit }) }),
  });

  app.get('/api/leaderboard', {
    config: { roles: TEAM },
    schema: { querystring: LeaderboardQuery, response: { 200: Leaderboard, ...errors } },
    handler: (request) => runs.leaderboard(request.query.suite, request.query.kind),
  });

  app.get('/api/runs/:id', {
    config: { roles: TEAM },
    schema: { params: RunIdParams, response: { 200: RunDetail, ...errors } },
    handler: (request) => runs.detail(request.params.id),
  });

  // A conversation run's conversations (the UI's conversation viewer), and one in full.
  app.get('/api/runs/:id/conversations', {
    config: { roles: TEAM },
    schema: { params: RunIdParams, response: { 200: ConversationsResponse, ...errors } },
    handler: (request) => runs.conversations(request.params.id),
  });

  app.get('/api/runs/:id/conversations/:scenario_id/:trial', {
    config: { roles: TEAM },
    schema: { params: ConversationParams, response: { 200: ConversationDetail, ...errors } },
    handler: (request) => runs.conversation(request.params.id, request.params.scenario_id, request.params.trial),
  });

  app.get('/api/compare', {
    config: { roles: TEAM },
    schema: { querystring: CompareQuery, response: { 200: Comparison, ...errors } },
    handler: (request) => runs.compare(request.query.a, request.query.b),
  });
};
