// The production endpoints bots call: `POST /v1/answer`, and `POST /v1/chat/completions` speaking
// the OpenAI protocol (model `firstcall:<channel>`) so existing bots and the official clients point
// at firstcall unchanged. Schemas: server/domain/answer.ts.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AnswerRequest, AnswerResponse, ChatCompletionRequest, ChatCompletionResponse } from '../domain/answer.ts';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import type { AnswerCaller, AnswerService } from '../services/answer.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The caller of a request: its API key, and its logger for failures answered with the fallback. */
const callerOf = (request: FastifyRequest): AnswerCaller => ({
  keyId: request.viewer.id,
  logError: (err, message) => request.log.error({ err }, message),
});

/** A rough token count for the usage block (CJK characters plus words × 1.3). */
const tokens = (text: string) => Math.ceil((text.match(/\p{Script=Han}/gu)?.length ?? 0) + text.replace(/\p{Script=Han}/gu, ' ').split(/\s+/).filter(Boolean).length * 1.3);

export const answerRoutes: FastifyPluginAsyncZod<{ answers: AnswerService }> = async (app, { answers }) => {
  app.post('/v1/answer', {
    config: { roles: ['bot', 'admin'] },
    schema: { body: AnswerRequest, response: { 200: AnswerResponse, ...errors } },
    handler: (request) => answers.answer(request.body, callerOf(request)),
  });

  app.post('/v1/chat/completions', {
    config: { roles: ['bot', 'admin'] },
    schema: { body: ChatCompletionRequest, response: { 200: ChatCompletionResponse, ...errors } },
    handler: async (request) => {
      const body = request.body;
      const channel = body.model.slice('firstcall:'.length);
      const text = (c: (typeof body.messages)[number]['content']) => (typeof c === 'string' ? c : (c ?? []).map((p) => p.text ?? '').join(''));
      // The production config owns the system prompt; the client's system messages are ignored.
      const messages = body.messages
        .filter((m) => m.role === 'user' || m.role === 'assistant')
        .map((m) => ({ role: m.role as 'user' | 'assistant', text: text(m.content) }))
        .filter((m) => m.text.trim().length > 0);
      if (messages.length === 0) throw new AppError('validation', 'messages hold no user message');
      const result = await answers.answer({ channel, messages, customer_id: body.user, dialogue_id: body.metadata?.dialogue_id }, callerOf(request));
      const prompt = messages.reduce((n, m) => n + tokens(m.text), 0);
      const completion = tokens(result.answer);
      return {
        id: `chatcmpl-${result.dialogue_id}`,
        object: 'chat.completion' as const,
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant' as const, content: result.answer }, finish_reason: result.handoff ? 'handoff' : 'stop' }],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
        firstcall: result,
      };
    },
  });
};
