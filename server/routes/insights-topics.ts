// Candidate new topics for the team: engineers and admins see them; an admin names one, which adds
// its intent to the taxonomy and labels its member dialogues.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../domain/api.ts';
import { NameTopicBody, NameTopicResult, TopicIdParams, TopicList } from '../domain/insights.ts';
import type { TopicService } from '../services/intents.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const insightsTopicRoutes: FastifyPluginAsyncZod<{ topics: TopicService }> = async (app, { topics }) => {
  app.get('/api/topics', {
    config: { roles: ['engineer', 'admin'] },
    schema: { response: { 200: TopicList, ...errors } },
    handler: () => topics.list(),
  });

  app.post('/api/topics/:id/name', {
    config: { roles: ['admin'] },
    schema: { params: TopicIdParams, body: NameTopicBody, response: { 200: NameTopicResult, ...errors } },
    handler: (request) => topics.name(request.params.id, request.body, request.viewer),
  });
};
