// The production answer endpoints' HTTP contract: `POST /v1/answer`, and `POST /v1/chat/completions`
// in the OpenAI protocol (model `firstcall:<channel>`). Input limits are part of the contract, so
// over-long input is a 400 that says which limit, never a 500. No I/O.
import { z } from 'zod';

export const MAX_MESSAGES = 200;
export const MAX_TEXT = 10_000;

export const AnswerMessage = z.object({
  role: z.enum(['customer', 'agent', 'user', 'assistant']),
  text: z.string().min(1).max(MAX_TEXT),
});
export const AnswerRequest = z.object({
  channel: z.string().min(1).max(40),
  customer_id: z.string().min(1).max(200).optional(),
  /** The conversation so far; the last message is the customer's. */
  messages: z.array(AnswerMessage).min(1).max(MAX_MESSAGES),
  /** Continue a logged dialogue (the full history is sent each time and replaces the stored one). */
  dialogue_id: z.string().min(1).max(200).optional(),
});
export type AnswerRequest = z.infer<typeof AnswerRequest>;

export const AnswerResponse = z.object({
  answer: z.string(),
  handoff: z.object({ queue: z.string(), reason: z.string() }).nullable(),
  config_version: z.string(),
  dialogue_id: z.string(),
});
export type AnswerResponse = z.infer<typeof AnswerResponse>;

const ContentPart = z.object({ type: z.string().max(40), text: z.string().max(MAX_TEXT, `a content part holds at most ${MAX_TEXT} characters`).optional() });
export const ChatCompletionMessage = z
  .object({
    role: z.enum(['system', 'user', 'assistant', 'developer', 'tool']),
    content: z.union([z.string().max(MAX_TEXT, `a message holds at most ${MAX_TEXT} characters`), z.array(ContentPart).max(100)]).nullable(),
  })
  .refine((m) => !Array.isArray(m.content) || m.content.reduce((n, p) => n + (p.text?.length ?? 0), 0) <= MAX_TEXT, {
    message: `a message's content parts together hold at most ${MAX_TEXT} characters`,
    path: ['content'],
  });

export const ChatCompletionRequest = z.object({
  model: z.string().max(80).regex(/^firstcall:[a-z0-9_-]+$/i, 'model must be firstcall:<channel>, e.g. firstcall:web'),
  messages: z.array(ChatCompletionMessage).min(1).max(MAX_MESSAGES, `at most ${MAX_MESSAGES} messages`),
  /** The OpenAI `user` field carries the customer id. */
  user: z.string().max(200).optional(),
  /** OpenAI's limits (16 pairs, 64-character keys, 512-character values); `dialogue_id` continues a dialogue. */
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((m) => Object.keys(m).length <= 16, 'metadata holds at most 16 keys')
    .refine((m) => m.dialogue_id === undefined || (m.dialogue_id.length >= 1 && m.dialogue_id.length <= 200), { message: 'metadata.dialogue_id must be 1-200 characters', path: ['dialogue_id'] })
    .optional(),
  /** `true`: the reply comes as server-sent `chat.completion.chunk` events ending with `data: [DONE]`. */
  stream: z.boolean().nullable().optional(),
  /** `include_usage`: one more chunk before `[DONE]` with empty `choices` and the usage block. */
  stream_options: z.object({ include_usage: z.boolean().nullable().optional() }).nullable().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

export const ChatCompletionResponse = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(z.object({ index: z.number(), message: z.object({ role: z.literal('assistant'), content: z.string() }), finish_reason: z.string() })),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  firstcall: AnswerResponse,
});
export type ChatCompletionResponse = z.infer<typeof ChatCompletionResponse>;

/** One server-sent event of a streamed chat completion; the last one carries `finish_reason` and `firstcall`. */
export const ChatCompletionChunk = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      delta: z.object({ role: z.literal('assistant').optional(), content: z.string().optional() }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }).optional(),
  firstcall: AnswerResponse.optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunk>;

/** `GET /v1/models`: each channel's production config as a model `firstcall:<channel>`. */
export const OpenAIModel = z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.literal('firstcall') });
export type OpenAIModel = z.infer<typeof OpenAIModel>;
export const OpenAIModelList = z.object({ object: z.literal('list'), data: z.array(OpenAIModel) });
export type OpenAIModelList = z.infer<typeof OpenAIModelList>;
export const OpenAIModelParams = z.object({ model: z.string().max(80) });

/** Errors on /v1 routes, in OpenAI's shape, so the official clients raise their typed errors with the message. */
export const OpenAIErrorBody = z.object({
  error: z.looseObject({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string().nullable() }),
});
export type OpenAIErrorBody = z.infer<typeof OpenAIErrorBody>;

/** The OpenAI error `type` for an HTTP status. */
export function openaiErrorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 409) return 'conflict_error';
  if (status === 429) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
