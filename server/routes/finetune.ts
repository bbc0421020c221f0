// Fine-tuning sets for engineers: every version with its card, and its files to download.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ErrorBody } from '../domain/api.ts';
import { FinetuneSetList, SetFileParams } from '../domain/finetune.ts';
import type { FinetuneSetService } from '../services/finetune-sets.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const finetuneRoutes: FastifyPluginAsyncZod<{ sets: FinetuneSetService }> = async (app, { sets }) => {
  app.get('/api/finetune/sets', {
    config: { roles: ['engineer', 'admin'] },
    schema: { response: { 200: FinetuneSetList, ...errors } },
    handler: () => sets.list(),
  });

  app.get('/api/finetune/sets/:name/:version/:file', {
    config: { roles: ['engineer', 'admin'] },
    schema: { params: SetFileParams },
    handler: async (request, reply) => {
      const { name, version, file } = request.params;
      const download = await sets.file(name, version, file);
      return reply.type(download.contentType).header('content-disposition', `attachment; filename="${download.filename}"`).send(download.stream);
    },
  });
};
