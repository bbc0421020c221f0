// One error handler: AppErrors keep their status and message (and their details, as data beside the
// message), validation errors become 400 with the field that failed, anything else is a 500 whose
// details go to the log, not the client.
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../domain/errors.ts';

export const errorBody = (code: string, message: string, details?: Readonly<Record<string, unknown>>) => ({ error: { ...details, code, message } });

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (AppError.isInstance(error)) return reply.status(error.status).send(errorBody(error.code, error.message, error.details));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation
        .slice(0, 5)
        .map((v) => `${v.instancePath ? v.instancePath.slice(1).replaceAll('/', '.') : (error.validationContext ?? 'body')}: ${v.message}`);
      return reply.status(400).send(errorBody('validation', `invalid ${error.validationContext ?? 'request'}: ${issues.join('; ')}`));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return reply.status(413).send(errorBody('payload_too_large', 'request body too large'));
    if (status >= 400 && status < 500) return reply.status(status).send(errorBody(error.code ?? 'bad_request', error.message));
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send(errorBody('internal', 'internal error; see the server log'));
  });
});
