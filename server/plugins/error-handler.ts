// One error handler: AppErrors keep their status and message (and their details, as data beside the
// message), validation errors become 400 with the field that failed, anything else is a 500 whose
// details go to the log, not the client. The shape follows the matched route: /v1 routes answer in
// OpenAI's `{error: {message, type, param, code}}` (the official clients raise their typed errors),
// everything else in firstcall's `{error: {code, message}}`.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { openaiErrorType } from '../domain/answer.ts';
import { AppError } from '../domain/errors.ts';

export const errorBody = (code: string, message: string, details?: Readonly<Record<string, unknown>>) => ({ error: { ...details, code, message } });

/** Whether the route the router matched speaks the OpenAI protocol's error shape (every /v1 route). */
export const speaksOpenAI = (request: FastifyRequest): boolean => /^\/v1(\/|$)/.test(request.routeOptions.url ?? '');

/** OpenAI's codes where its clients and docs name one; otherwise firstcall's code. */
const OPENAI_CODES: Partial<Record<number, string>> = { 401: 'invalid_api_key', 429: 'rate_limit_exceeded' };

/**
 * An error body in OpenAI's shape. Details may name the `param` and an `openai_code` (e.g.
 * `model_not_found`); other details stay beside the message.
 */
export function openaiErrorBody(status: number, code: string, message: string, details?: Readonly<Record<string, unknown>>) {
  const { param, openai_code: openaiCode, ...rest } = details ?? {};
  return {
    error: {
      ...rest,
      message,
      type: openaiErrorType(status),
      param: typeof param === 'string' ? param : null,
      code: typeof openaiCode === 'string' ? openaiCode : (OPENAI_CODES[status] ?? code),
    },
  };
}

/** Sends an error in the shape of the matched route (see above); used by this handler and by the auth plugin. */
export function sendError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, details?: Readonly<Record<string, unknown>>) {
  reply.status(status);
  // A string skips the route's response serializer, whose error schema may be firstcall's shape.
  if (speaksOpenAI(request)) return reply.type('application/json; charset=utf-8').send(JSON.stringify(openaiErrorBody(status, code, message, details)));
  return reply.send(errorBody(code, message, details));
}

export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (AppError.isInstance(error)) return sendError(request, reply, error.status, error.code, error.message, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const field = (v: (typeof error.validation)[number]) => (v.instancePath ? v.instancePath.slice(1).replaceAll('/', '.') : undefined);
      const issues = error.validation.slice(0, 5).map((v) => `${field(v) ?? error.validationContext ?? 'body'}: ${v.message}`);
      const param = error.validation[0] ? field(error.validation[0]) : undefined;
      // firstcall's shape stays as it was (no param); OpenAI's names the first field that failed.
      const details = speaksOpenAI(request) && param ? { param } : undefined;
      return sendError(request, reply, 400, 'validation', `invalid ${error.validationContext ?? 'request'}: ${issues.join('; ')}`, details);
    }
    const status = error.statusCode ?? 500;
    if (status === 413) return sendError(request, reply, 413, 'payload_too_large', 'request body too large');
    if (status >= 400 && status < 500) return sendError(request, reply, status, error.code ?? 'bad_request', error.message);
    request.log.error({ err: error }, 'unhandled error');
    return sendError(request, reply, 500, 'internal', 'internal error; see the server log');
  });
});
