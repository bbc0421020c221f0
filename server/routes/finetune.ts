// Fine-tuning sets for engineers: every version with its card, and its files to download.
import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { FinetuneSetRepository } from '../finetune/set-repository.ts';
import type { Database } from '../storage/database.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
export const SET_FILES = ['train.jsonl', 'val.jsonl', 'card.md', 'card.json'] as const;

export const finetuneRoutes: FastifyPluginAsyncZod<{ db: Database }> = async (app, { db }) => {
  const sets = new FinetuneSetRepository(db);

  app.get('/api/finetune/sets', {
    config: { roles: ['engineer', 'admin'] },
    schema: {
      response: {
        200: z.object({ sets: z.array(z.object({ name: z.string(), version: z.number(), format: z.string(), hash: z.string(), card: z.record(z.string(), z.unknown()) })) }),
        ...errors,
      },
    },
    handler: async () => ({
      sets: (await sets.listWithCards()).map(({ name, version, format, hash, card }) => ({ name, version, format, hash, card: card as unknown as Record<string, unknown> })),
    }),
  });

  app.get('/api/finetune/sets/:name/:version/:file', {
    config: { roles: ['engineer', 'admin'] },
    schema: { params: z.object({ name: z.string().min(1).max(100), version: z.coerce.number().int().min(1), file: z.enum(SET_FILES) }) },
    handler: async (request, reply) => {
      const { name, version, file } = request.params;
      const set = await sets.get(name, version);
      const path = set ? join(set.path, file) : undefined;
      if (!path || !existsSync(path)) throw new AppError('not_found', `no file ${file} for set ${name} v${version}`);
      const type = file.endsWith('.md') ? 'text/markdown' : file.endsWith('.json') ? 'application/json' : 'application/x-ndjson';
      return reply
        .type(`${type}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="${name}-v${version}-${file}"`)
        .send(createReadStream(path));
    },
  });
};
