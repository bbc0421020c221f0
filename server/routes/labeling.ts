// Reviewer routes: the queue, a dialogue with its context, saving labels, the intent list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddIntentBody,
  DialogueView,
  ErrorBody,
  IntentList,
  LabelList,
  QueueFilters,
  QueueNext,
  SaveLabelBody,
  SkipBody,
} from '../domain/api.ts';
import { Label } from '../domain/label.ts';
import type { LabelingService } from '../services/labeling.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import type { Database } from '../storage/database.ts';

export const LABELERS = ['reviewer', 'engineer', 'admin'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const labelingRoutes: FastifyPluginAsyncZod<{ db: Database; labeling: LabelingService }> = async (app, { db, labeling }) => {
  const labels = new LabelRepository(db);

  app.get('/api/queue/next', {
    config: { roles: LABELERS },
    schema: { querystring: QueueFilters, response: { 200: QueueNext, ...errors } },
    handler: (request) => labeling.next(request.viewer, request.query),
  });

  app.post('/api/queue/skip', {
    config: { roles: LABELERS },
    schema: { body: SkipBody, response: { 204: z.null(), ...errors } },
    handler: async (request, reply) => {
      await labeling.skip(request.body.dialogue_id, request.viewer);
      return reply.status(204).send(null);
    },
  });

  app.get('/api/dialogues/:id', {
    config: { roles: LABELERS },
    schema: { params: z.object({ id: z.string() }), response: { 200: DialogueView, ...errors } },
    handler: (request) => labeling.view(request.params.id, request.viewer),
  });

  app.put('/api/dialogues/:id/label', {
    config: { roles: LABELERS },
    schema: { params: z.object({ id: z.string() }), body: SaveLabelBody, response: { 200: Label, 409: ErrorBody, ...errors } },
    handler: (request) => labeling.save(request.params.id, request.viewer, request.body),
  });

  app.get('/api/labels', {
    config: { roles: LABELERS },
    schema: {
      querystring: z.object({
        dialogue_id: z.string().optional(),
        reviewer: z.string().optional(),
        status: z.enum(['draft', 'submitted']).optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
      response: { 200: LabelList, ...errors },
    },
    handler: (request) => {
      const q = request.query;
      // Reviewers see their own labels only; engineers and admins see everyone's.
      const reviewer = request.viewer.role === 'reviewer' ? request.viewer.name : q.reviewer;
      return labels.list({ dialogueId: q.dialogue_id, reviewer, status: q.status, limit: q.limit, offset: q.offset });
    },
  });

  app.get('/api/intents', {
    config: { roles: LABELERS },
    schema: { response: { 200: IntentList, ...errors } },
    handler: async () => ({ intents: await labeling.intents() }),
  });

  app.post('/api/intents', {
    config: { roles: LABELERS },
    schema: { body: AddIntentBody, response: { 201: z.object({ key: z.string() }), ...errors } },
    handler: async (request, reply) => {
      const key = await labeling.addIntent(request.body.key, request.viewer.name, request.body.names);
      return reply.status(201).send({ key });
    },
  });
};
