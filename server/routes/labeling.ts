// Reviewer routes: the queue, a dialogue with its context, saving labels, the intent list.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AddedIntent,
  AddIntentBody,
  DialogueIdParams,
  DialogueView,
  ErrorBody,
  IntentList,
  LabelList,
  LabelListQuery,
  QueueFilters,
  QueueNext,
  SaveLabelBody,
  SkipBody,
} from '../domain/api.ts';
import { Label } from '../domain/label.ts';
import type { LabelingService } from '../services/labeling.ts';

export const LABELERS = ['reviewer', 'engineer', 'admin'] as const;
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const labelingRoutes: FastifyPluginAsyncZod<{ labeling: LabelingService }> = async (app, { labeling }) => {
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
    schema: { params: DialogueIdParams, response: { 200: DialogueView, ...errors } },
    handler: (request) => labeling.view(request.params.id, request.viewer),
  });

  app.put('/api/dialogues/:id/label', {
    config: { roles: LABELERS },
    schema: { params: DialogueIdParams, body: SaveLabelBody, response: { 200: Label, 409: ErrorBody, ...errors } },
    handler: (request) => labeling.save(request.params.id, request.viewer, request.body),
  });

  app.get('/api/labels', {
    config: { roles: LABELERS },
    schema: { querystring: LabelListQuery, response: { 200: LabelList, ...errors } },
    handler: (request) => labeling.listLabels(request.viewer, request.query),
  });

  app.get('/api/intents', {
    config: { roles: LABELERS },
    schema: { response: { 200: IntentList, ...errors } },
    handler: async () => ({ intents: await labeling.intents() }),
  });

  app.post('/api/intents', {
    config: { roles: LABELERS },
    schema: { body: AddIntentBody, response: { 201: AddedIntent, ...errors } },
    handler: async (request, reply) => {
      const key = await labeling.addIntent(request.body.key, request.viewer.name, request.body.names);
      return reply.status(201).send({ key });
    },
  });
};
