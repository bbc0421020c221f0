// The production endpoints bots call: `POST /v1/answer`, and `POST /v1/chat/completions` speaking
// the OpenAI protocol (model `firstcall:<channel>`) so existing bots and the official clients point
// at firstcall unchanged.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { AnswerRequest, AnswerResponse, type AnswerCaller, type AnswerService } from '../services/answer.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The caller of a request: its API key, and its logger for failures answered with the fallback. */
const callerOf = (request: FastifyRequest): AnswerCaller => ({
  keyId: request.viewer.id,
  logError: (err, message) => request.log.error({ err }, message),
});

/** The same limits as /v1/answer, so over-long input is a 400 that says which limit, never a 500. */
const MAX_MESSAGES = 200;
const MAX_TEXT = 10_000;

const ContentPart = z.object({ type: z.string().max(40), text: z.string().max(MAX_TEXT, `a content part holds at most ${MAX_TEXT} characters`).optional() });
const ChatMessage = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'developer', 'tool']),
    content: z.union([z.string().max(MAX_TEXT, `a message holds at most ${MAX_TEXT} characters`), z.array(ContentPart).max(100)]).nullable(),
  })
  .refine((m) => !Array.isArray(m.content) || m.content.reduce((n, p) => n + (p.text?.length ?? 0), 0) <= MAX_TEXT, {
    message: `a message's content parts together hold at most ${MAX_TEXT} characters`,
    path: ['content'],
  });

const ChatRequest = z.object({
  model: z.string().max(80).regex(/^firstcall:[a-z0-9_-]+$/i, 'model must be firstcall:<channel>, e.g. firstcall:web'),
  messages: z.array(ChatMessage).min(1).max(MAX_MESSAGES, `at most ${MAX_MESSAGES} messages`),
  /** The OpenAI `user` field carries the customer id. */
  user: z.string().max(200).optional(),
  /** OpenAI's limits (16 pairs, 64-character keys, 512-character values); `dialogue_id` continues a dialogue. */
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 keys')
    .refine((m) => m.dialogue_id === undefined || (m.dialogue_id.length >= 1 && m.dialogue_id.length <= 200), { message: 'metadata.dialogue_id must be 1-200 characters', path: ['dialogue_id'] })
    .optional(),
});

const ChatResponse = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(z.object({ index: z.number(), message: z.object({ role: z.literal('assistant'), content: z.string() }), finish_reason: z.string() })),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  firstcall: AnswerResponse,
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
    schema: { body: ChatRequest, response: { 200: ChatResponse, ...errors } },
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
