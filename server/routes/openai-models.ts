// The OpenAI protocol's model list: each channel's production config is a model `firstcall:<channel>`
// (what `/v1/chat/completions` takes), so the official clients' `models.list()` / `models.retrieve()`
// work. Who may read it: as for `/v1/configs` (bot, engineer, admin). Schemas: server/domain/answer.ts.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { OpenAIErrorBody, OpenAIModel, OpenAIModelList, OpenAIModelParams } from '../domain/answer.ts';
import { AppError } from '../domain/errors.ts';
import { CHANNELS } from '../domain/promotion.ts';
import type { ConfigService } from '../services/configs.ts';

const errors = { 401: OpenAIErrorBody, 403: OpenAIErrorBody, 404: OpenAIErrorBody, 429: OpenAIErrorBody };
const PREFIX = 'firstcall:';

export const openaiModelRoutes: FastifyPluginAsyncZod<{ configs: ConfigService }> = async (app, { configs }) => {
  const modelOf = async (channel: string): Promise<OpenAIModel | undefined> => {
    const served = await configs.served(channel);
    if (!served) return undefined;
    return { id: `${PREFIX}${channel}`, object: 'model', created: Math.floor(Date.parse(served.config.promoted_at) / 1000) || 0, owned_by: 'firstcall' };
  };

  app.get('/v1/models', {
    config: { roles: ['bot', 'engineer', 'admin'] },
    schema: { response: { 200: OpenAIModelList, ...errors } },
    handler: async () => ({ object: 'list' as const, data: (await Promise.all(CHANNELS.map(modelOf))).filter((m) => m !== undefined) }),
  });

  app.get('/v1/models/:model', {
    config: { roles: ['bot', 'engineer', 'admin'] },
    schema: { params: OpenAIModelParams, response: { 200: OpenAIModel, ...errors } },
    handler: async (request) => {
      const { model } = request.params;
      const channel = model.startsWith(PREFIX) ? model.slice(PREFIX.length) : undefined;
      const found = channel && (CHANNELS as readonly string[]).includes(channel) ? await modelOf(channel) : undefined;
      if (!found) throw new AppError('not_found', `the model ${model} does not exist: models are firstcall:<channel> for a channel with a production config`, { details: { param: 'model', openai_code: 'model_not_found' } });
      return found;
    },
  });
};
