// Agreement, adjudication, guidelines and settings: the QA lead's routes.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AdjudicateBody, AdjudicationList, AgreementReport, ErrorBody, Guidelines, GuidelinesBody, Me, Settings } from '../domain/api.ts';
import { GoldLabel, ROLES } from '../domain/label.ts';
import { computeAgreement } from '../services/agreement.ts';
import type { LabelingService } from '../services/labeling.ts';
import { getGuidelines, getSettings, putGuidelines, putSettings } from '../services/settings.ts';
import type { Database } from '../storage/database.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { LABELERS } from './labeling.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const reviewRoutes: FastifyPluginAsyncZod<{ db: Database; labeling: LabelingService }> = async (app, { db, labeling }) => {
  const labels = new LabelRepository(db);

  app.get('/api/health', { config: { public: true }, schema: { response: { 200: z.object({ ok: z.boolean() }) } }, handler: async () => ({ ok: true }) });

  app.get('/api/me', {
    config: { roles: ROLES },
    schema: { response: { 200: Me, ...errors } },
    handler: async (request) => ({ name: request.viewer.name, role: request.viewer.role }),
  });

  app.get('/api/agreement', {
    config: { roles: LABELERS },
    schema: { response: { 200: AgreementReport, ...errors } },
    handler: async () => computeAgreement(await labels.submitted()),
  });

  app.get('/api/adjudication', {
    config: { roles: ['engineer', 'admin'] },
    schema: { response: { 200: AdjudicationList, ...errors } },
    handler: () => labeling.adjudicationItems(),
  });

  app.post('/api/adjudication/:id', {
    config: { roles: ['admin'] },
    schema: { params: z.object({ id: z.string() }), body: AdjudicateBody, response: { 200: GoldLabel, ...errors } },
    handler: (request) => labeling.adjudicate(request.params.id, request.body.fields, request.viewer),
  });

  app.get('/api/guidelines', {
    config: { roles: LABELERS },
    schema: { response: { 200: Guidelines, ...errors } },
    handler: () => getGuidelines(db),
  });

  app.put('/api/guidelines', {
    config: { roles: ['admin'] },
    schema: { body: GuidelinesBody, response: { 200: Guidelines, ...errors } },
    handler: (request) => putGuidelines(db, request.body.text, request.viewer.name),
  });

  app.get('/api/settings', {
    config: { roles: LABELERS },
    schema: { response: { 200: Settings, ...errors } },
    handler: () => getSettings(db),
  });

  app.put('/api/settings', {
    config: { roles: ['admin'] },
    schema: { body: Settings, response: { 200: Settings, ...errors } },
    handler: (request) => putSettings(db, request.body, request.viewer.name),
  });
};
