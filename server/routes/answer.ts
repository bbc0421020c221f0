// The production endpoints bots call: `POST /v1/answer`, and `POST /v1/chat/completions` speaking
// the OpenAI protocol (model `firstcall:<channel>`) so existing bots and the official clients point
// at firstcall unchanged, streaming included (`stream: true`: server-sent chunks, then `[DONE]`).
// The client's function tools pass through to a config whose model can call them (openai:): its
// calls come back as `tool_calls` and the client sends the results as `tool` messages; other configs
// answer in text. Errors on these routes are in OpenAI's shape (server/plugins/error-handler.ts).
// Schemas and the protocol's mapping: server/domain/answer.ts.
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AnswerRequest, AnswerResponse, type ChatCompletionChunk, ChatCompletionRequest, ChatCompletionResponse, clientToolsOf, conversationOf, OpenAIErrorBody } from '../domain/answer.ts';
import { AppError } from '../domain/errors.ts';
import type { AnswerCaller, AnswerService } from '../services/answer.ts';

const errors = { 400: OpenAIErrorBody, 401: OpenAIErrorBody, 403: OpenAIErrorBody, 404: OpenAIErrorBody, 409: OpenAIErrorBody, 429: OpenAIErrorBody };

/** The caller of a request: its API key, and its logger for failures answered with the fallback. */
const callerOf = (request: FastifyRequest): AnswerCaller => ({
  keyId: request.viewer.id,
  logError: (err, message) => request.log.error({ err }, message),
});

/** A rough token count for the usage block (CJK characters plus words × 1.3). */
const tokens = (text: string) => Math.ceil((text.match(/\p{Script=Han}/gu)?.length ?? 0) + text.replace(/\p{Script=Han}/gu, ' ').split(/\s+/).filter(Boolean).length * 1.3);

/** The answer split into at most `parts` pieces (by code point) that join back to it exactly. */
function pieces(text: string, parts = 4): string[] {
  const points = Array.from(text);
  const size = Math.max(1, Math.ceil(points.length / parts));
  const out: string[] = [];
  for (let i = 0; i < points.length; i += size) out.push(points.slice(i, i + size).join(''));
  return out;
}

/**
 * A completion as server-sent events: the role, the content in a few chunks, each tool call (its id
 * and name, then its arguments in a few fragments), the finish with `firstcall`, optionally usage, `[DONE]`.
 */
function sse(completion: ChatCompletionResponse, includeUsage: boolean): Readable {
  const { id, created, model } = completion;
  const choice = completion.choices[0]!;
  const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: string | null, extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
    ...extra,
  });
  const chunks: ChatCompletionChunk[] = [
    chunk({ role: 'assistant' }, null),
    ...pieces(choice.message.content ?? '').map((content) => chunk({ content }, null)),
    ...(choice.message.tool_calls ?? []).flatMap((call, index) => [
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }, null),
      ...pieces(call.function.arguments, 3).map((part) => chunk({ tool_calls: [{ index, function: { arguments: part } }] }, null)),
    ]),
    chunk({}, choice.finish_reason, { firstcall: completion.firstcall }),
  ];
  if (includeUsage) chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage: completion.usage });
  return Readable.from([...chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`), 'data: [DONE]\n\n']);
}

export const answerRoutes: FastifyPluginAsyncZod<{ answers: AnswerService }> = async (app, { answers }) => {
  app.post('/v1/answer', {
    config: { roles: ['bot', 'admin'] },
    schema: { body: AnswerRequest, response: { 200: AnswerResponse, ...errors } },
    // The body schema is AnswerInput's without client tools: parsed once, here.
    handler: (request) => answers.answer(request.body, callerOf(request), { validated: true }),
  });

  app.post('/v1/chat/completions', {
    config: { roles: ['bot', 'admin'] },
    schema: { body: ChatCompletionRequest, response: { 200: ChatCompletionResponse, ...errors } },
    handler: async (request, reply) => {
      const body = request.body;
      const channel = body.model.slice('firstcall:'.length);
      const messages = conversationOf(body.messages);
      if (!messages.some((m) => m.role === 'user')) throw new AppError('validation', 'messages hold no user message', { details: { param: 'messages' } });
      const tools = clientToolsOf(body);
      const input = { channel, messages, customer_id: body.user, dialogue_id: body.metadata?.dialogue_id, ...(tools ? { tools } : {}) };
      const result = await answers.answer(input, callerOf(request)).catch((err: unknown) => {
        // A channel without a production config is, in this protocol, a model that does not exist.
        if (AppError.isInstance(err) && err.code === 'not_found' && err.details?.param === 'channel') {
          throw new AppError('not_found', `the model ${body.model} does not exist: ${err.message}`, { details: { param: 'model', openai_code: 'model_not_found' } });
        }
        throw err;
      });
      const prompt = messages.reduce((n, m) => n + tokens(m.text) + ('tool_calls' in m ? tokens(JSON.stringify(m.tool_calls)) : 0), 0);
      const completionTokens = tokens(result.answer) + (result.tool_calls ? tokens(JSON.stringify(result.tool_calls)) : 0);
      const message: ChatCompletionResponse['choices'][number]['message'] = result.tool_calls
        ? { role: 'assistant', content: result.answer === '' ? null : result.answer, tool_calls: result.tool_calls }
        : { role: 'assistant', content: result.answer };
      const completion: ChatCompletionResponse = {
        id: `chatcmpl-${result.dialogue_id}`,
        object: 'chat.completion' as const,
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message, finish_reason: result.tool_calls ? 'tool_calls' : result.handoff ? 'handoff' : 'stop' }],
        usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens },
        firstcall: result,
      };
      if (!body.stream) return completion;
      // Authentication and validation ran before the handler; hooks (security headers) still apply to the stream.
      return reply
        .type('text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache')
        .send(sse(completion, body.stream_options?.include_usage === true) as unknown as ChatCompletionResponse);
    },
  });
};
