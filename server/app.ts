// Builds the firstcall HTTP app (API + web UI) on an open store. Never listens: `firstcall serve`
// does that, and tests call `app.inject()` on the same instance.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authPlugin } from './plugins/auth.ts';
import { errorBody, errorHandlerPlugin } from './plugins/error-handler.ts';
import { labelingRoutes } from './routes/labeling.ts';
import { reviewRoutes } from './routes/review.ts';
import { configRoutes } from './routes/configs.ts';
import { runRoutes } from './routes/runs.ts';
import { finetuneRoutes } from './routes/finetune.ts';
import { RunManager } from './eval/run-manager.ts';
import { answerRoutes } from './routes/answer.ts';
import { AnswerService, type AnswerServiceOptions } from './services/answer.ts';
import { ApiKeyVerifier } from './services/api-keys.ts';
import { LabelingService } from './services/labeling.ts';
import type { Database } from './storage/database.ts';

export const DEFAULT_UI_DIR = join(import.meta.dirname, '..', 'ui', 'dist');

export interface AppOptions {
  db: Database;
  /** The built web UI (vite build output); not served when absent. */
  uiDir?: string;
  logger?: boolean;
  /** Request bodies larger than this are refused with 413. */
  bodyLimit?: number;
  maxAuthFailures?: number;
  /** Model options for the production answer endpoints (tests inject a provider). */
  answers?: AnswerServiceOptions;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] } : false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const { db } = options;
  const labeling = new LabelingService(db);
  // The OpenAPI document is generated from the routes' zod schemas; browsable at /docs.
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'firstcall API', version: '1', description: 'Labeling, evaluation, promotion and the production answer endpoints. Send Authorization: Bearer <API key>.' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  await app.register(errorHandlerPlugin);
  await app.register(authPlugin, { verifier: new ApiKeyVerifier(db), maxFailures: options.maxAuthFailures });
  await app.register(labelingRoutes, { db, labeling });
  await app.register(reviewRoutes, { db, labeling });
  await app.register(configRoutes, { db });
  await app.register(runRoutes, { db, runs: new RunManager(db) });
  await app.register(finetuneRoutes, { db });
  await app.register(answerRoutes, { answers: new AnswerService(db, options.answers) });

  const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
  const hasUi = existsSync(join(uiDir, 'index.html'));
  if (hasUi) await app.register(fastifyStatic, { root: uiDir, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && hasUi && !/^\/(api|v1|docs)(\/|$)/.test(request.url)) return reply.sendFile('index.html');
    return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]}`));
  });
  return app;
}
