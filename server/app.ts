// Builds the firstcall HTTP app (API + web UI) on an open store. Never listens: `firstcall serve`
// does that, and tests call `app.inject()` on the same instance.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { authPlugin, publicRoutes } from './plugins/auth.ts';
import { errorBody, errorHandlerPlugin } from './plugins/error-handler.ts';
import { securityHeadersPlugin } from './plugins/security-headers.ts';
import { wellFormedJsonPlugin } from './plugins/well-formed-json.ts';
import { labelingRoutes } from './routes/labeling.ts';
import { reviewRoutes } from './routes/review.ts';
import { configRoutes } from './routes/configs.ts';
import { runRoutes } from './routes/runs.ts';
import { finetuneRoutes } from './routes/finetune.ts';
import { answerRoutes } from './routes/answer.ts';
import { openaiModelRoutes } from './routes/openai-models.ts';
import { cliRoutes } from './routes/cli.ts';
import { insightsRoutes } from './routes/insights.ts';
import { InsightsService } from './services/insights.ts';
import { insightsTopicRoutes } from './routes/insights-topics.ts';
import { localCliOf } from './services/local-cli.ts';
import { AnswerService, type AnswerBackend, type AnswerServiceOptions } from './services/answer.ts';
import { ConfigService, type ServedConfigSource } from './services/configs.ts';
import { PromotionService } from './services/promotion.ts';
import { RunManager } from './services/run-manager.ts';
import { RunService } from './services/runs.ts';
import { ApiKeyVerifier, type ApiKeyLookup } from './services/api-keys.ts';
import { FinetuneSetService } from './services/finetune-sets.ts';
import { LabelingService } from './services/labeling.ts';
import { SettingsService } from './services/settings.ts';
import { TopicService } from './services/intents.ts';
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
  /** Redis URL: eval runs started here run their calls on `firstcall worker` processes (server/scale). */
  redis?: string;
}

/**
 * Fastify with zod schemas and the plugins every route of the primary and of a replica is behind:
 * errors, security headers, well-formed JSON and auth bound to the matched route. Registered first,
 * so that every route registered after them is covered (fastify copies hooks and parsers into a
 * child context when the child is created).
 */
async function baseApp(options: { logger?: boolean; bodyLimit?: number; maxAuthFailures?: number; verifier: ApiKeyVerifier }) {
  const app = Fastify({
    logger: options.logger ? { level: 'info', redact: ['req.headers.authorization', 'req.headers["x-api-key"]'] } : false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(errorHandlerPlugin);
  await app.register(securityHeadersPlugin, { docsPrefix: '/docs' });
  await app.register(wellFormedJsonPlugin);
  await app.register(authPlugin, { verifier: options.verifier, maxFailures: options.maxAuthFailures });
  return app;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const app = await baseApp({ ...options, verifier: new ApiKeyVerifier(db) });
  const labeling = new LabelingService(db);
  // The OpenAPI document is generated from the routes' zod schemas; browsable at /docs.
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'firstcall API',
        version: '1',
        // Backticks: swagger-ui renders this as markdown, where a bare <API key> is swallowed as HTML.
        description:
          'Labeling, evaluation, promotion and the production answer endpoints. ' +
          'Send `Authorization: Bearer <API key>` with every /api and /v1 request (only /api/health is public).',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(
    publicRoutes(async (scope) => {
      await scope.register(fastifySwaggerUi, { routePrefix: '/docs' });
    }),
  );
  await app.register(labelingRoutes, { labeling });
  await app.register(reviewRoutes, { labeling, settings: new SettingsService(db) });
  await app.register(configRoutes, { configs: new ConfigService(db), promotions: new PromotionService(db) });
  await app.register(runRoutes, { runs: new RunService(db, new RunManager(db, { redis: options.redis })) });
  await app.register(finetuneRoutes, { sets: new FinetuneSetService(db) });
  const answers = new AnswerService(db, options.answers);
  app.addHook('onClose', () => answers.close());
  await app.register(answerRoutes, { answers });
  await app.register(openaiModelRoutes, { configs: new ConfigService(db) });
  await app.register(cliRoutes, { localCli: () => localCliOf(db) });
  await app.register(insightsRoutes, { insights: new InsightsService(db) });
  await app.register(insightsTopicRoutes, { topics: new TopicService(db) });

  const uiDir = options.uiDir ?? DEFAULT_UI_DIR;
  const indexFile = join(uiDir, 'index.html');
  const indexHtml = existsSync(indexFile) ? readFileSync(indexFile) : undefined;
  if (indexHtml) {
    await app.register(
      publicRoutes(async (scope) => {
        await scope.register(fastifyStatic, { root: uiDir, wildcard: false, decorateReply: false });
      }),
    );
  }
  // Unknown paths get the UI shell (client-side routes such as /runs) unless they are, in any
  // spelling, under /api, /v1 or /docs: those get a JSON 404 and never a page.
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'GET' && indexHtml && !underApiPrefix(request.url)) return reply.type('text/html; charset=utf-8').send(indexHtml);
    return reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)}`));
  });
  return app;
}

export interface ReplicaAppOptions {
  /** Served configs from the primary's mirror in Redis (server/scale/config-mirror.ts). */
  configs: ServedConfigSource;
  /** Active API keys by hash, from the same mirror. */
  keys: ApiKeyLookup;
  /** What the answer endpoints answer from and log to (server/scale/replica-answers.ts); without it, no /v1/answer. */
  answers?: AnswerBackend;
  /** Model options for the answer endpoints (tests point openai: at a local server). */
  answerOptions?: AnswerServiceOptions;
  logger?: boolean;
  bodyLimit?: number;
  maxAuthFailures?: number;
}

/**
 * An answer replica's app (`firstcall serve --replica`): the bots' path without a store,
 * `/v1/configs/:channel` and `/v1/models` with the primary's bodies and ETags, and `/v1/answer` and
 * `/v1/chat/completions` answered from the mirror (logging to the stream the primary drains), behind
 * the same auth, headers and error handling as the primary.
 */
export async function buildReplicaApp(options: ReplicaAppOptions): Promise<FastifyInstance> {
  const app = await baseApp({ ...options, verifier: new ApiKeyVerifier(null, 30_000, options.keys) });
  const configs = ConfigService.replica(options.configs);
  await app.register(configRoutes, { configs });
  await app.register(openaiModelRoutes, { configs });
  if (options.answers) {
    const answers = new AnswerService(options.answers, options.answerOptions);
    app.addHook('onClose', () => answers.close());
    await app.register(answerRoutes, { answers });
  }
  app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', `no route ${request.method} ${request.url.split('?')[0]!.slice(0, 200)} on an answer replica`)));
  return app;
}

/** Whether a URL's first segment is api, v1 or docs once decoded, lower-cased and stripped of `;…` and trailing dots. */
export function underApiPrefix(url: string): boolean {
  let path = url.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // not decodable: judge the text as sent
  }
  const first = path
    .split('/')
    .map((segment) => segment.split(';')[0]!.replace(/\.+$/, '').toLowerCase())
    .find((segment) => segment !== '');
  return first === 'api' || first === 'v1' || first === 'docs';
}
