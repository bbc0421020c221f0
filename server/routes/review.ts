// Agreement, adjudication, guidelines and settings: the QA lead's routes (and who am I, health).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AdjudicateBody,
  AdjudicationList,
  AgreementReport,
  DialogueIdParams,
  ErrorBody,
  Guidelines,
  GuidelinesBody,
  Health,
  Me,
} from '../domain/api.ts';
import { GoldLabel, ROLES } from '../domain/label.ts';
import { Settings, SettingsUpdate } from '../domain/settings.ts';
import type { LabelingService } from '../services/labeling.ts';
import type { SettingsService } from '../services/settings.ts';
import { LABELERS } from './labeling.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const reviewRoutes: FastifyPluginAsyncZod<{ labeling: LabelingService; settings: SettingsService }> = async (app, { labeling, settings }) => {
  app.get('/api/health', { config: { public: true }, schema: { response: { 200: Health } }, handler: async () => ({ ok: true }) });

  app.get('/api/me', {
    config: { roles: ROLES },
    schema: { response: { 200: Me, ...errors } },
    handler: async (request) => ({ name: request.viewer.name, role: request.viewer.role }),
  });

  app.get('/api/agreement', {
    config: { roles: LABELERS },
    schema: { response: { 200: AgreementReport, ...errors } },
    handler: () => labeling.agreement(),
  });

  app.get('/api/adjudication', {
    config: { roles: ['engineer', 'admin'] },
    schema: { response: { 200: AdjudicationList, ...errors } },
    handler: () => labeling.adjudicationItems(),
  });

  app.post('/api/adjudication/:id', {
    config: { roles: ['admin'] },
    schema: { params: DialogueIdParams, body: AdjudicateBody, response: { 200: GoldLabel, ...errors } },
    handler: (request) => labeling.adjudicate(request.params.id, request.body.fields, request.viewer),
  });

  app.get('/api/guidelines', {
    config: { roles: LABELERS },
    schema: { response: { 200: Guidelines, ...errors } },
    handler: () => settings.guidelines(),
  });

  app.put('/api/guidelines', {
    config: { roles: ['admin'] },
    schema: { body: GuidelinesBody, response: { 200: Guidelines, ...errors } },
    handler: (request) => settings.updateGuidelines(request.body.text, request.viewer.name),
  });

  // Labeling settings and when a scorer is trusted to gate; a PUT changes only the fields it gives.
  app.get('/api/settings', {
    config: { roles: LABELERS },
    schema: { response: { 200: Settings, ...errors } },
    handler: () => settings.all(),
  });

  app.put('/api/settings', {
    config: { roles: ['admin'] },
    schema: { body: SettingsUpdate, response: { 200: Settings, ...errors } },
    handler: (request) => settings.update(request.body, request.viewer.name),
  });
};
