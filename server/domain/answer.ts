// The production answer endpoints' HTTP contract: `POST /v1/answer`, and `POST /v1/chat/completions`
// in the OpenAI protocol (model `firstcall:<channel>`, the client's function tools included). Input
// limits are part of the contract, so over-long input is a 400 that says which limit, never a 500.
// No I/O.
import { z } from 'zod';
import { ClientTools, FunctionName, FunctionTool, MAX_TOOLS, ToolCall, ToolChoice } from './tool-calls.ts';

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

/** The agent's earlier calls of the client's tools (`text`: what it said alongside, may be empty). */
export const AnswerToolCalls = z.object({
  role: z.enum(['agent', 'assistant']),
  text: z.string().max(MAX_TEXT),
  tool_calls: z.array(ToolCall).min(1).max(MAX_TOOLS),
});
/** A client tool's result, answering call `tool_call_id` of function `name`. */
export const AnswerToolResult = z.object({
  role: z.literal('tool'),
  tool_call_id: z.string().min(1).max(200),
  name: FunctionName,
  text: z.string().max(MAX_TEXT),
});
/**
 * What the answer use case takes: `/v1/answer`'s request, or `/v1/chat/completions`' conversation
 * with the client's tool calls and results and the client's own tools.
 */
export const AnswerInput = AnswerRequest.extend({
  messages: z.array(z.union([AnswerToolCalls, AnswerToolResult, AnswerMessage])).min(1).max(MAX_MESSAGES),
  /** Tools the client runs itself; a config whose model passes tools through may answer with calls of them. */
  tools: ClientTools.optional(),
});
export type AnswerInput = z.infer<typeof AnswerInput>;

/** The answer, or (`tool_calls`) the model's calls of the client's tools, `answer` then being what it said alongside. */
export const AnswerResult = AnswerResponse.extend({ tool_calls: z.array(ToolCall).min(1).optional() });
export type AnswerResult = z.infer<typeof AnswerResult>;

const ContentPart = z.object({ type: z.string().max(40), text: z.string().max(MAX_TEXT, `a content part holds at most ${MAX_TEXT} characters`).optional() });
const Content = z.union([z.string().max(MAX_TEXT, `a message holds at most ${MAX_TEXT} characters`), z.array(ContentPart).max(100)]);
const partsWithinLimit = {
  check: (m: { content?: z.infer<typeof Content> | null }) => !Array.isArray(m.content) || m.content.reduce((n, p) => n + (p.text?.length ?? 0), 0) <= MAX_TEXT,
  message: { message: `a message's content parts together hold at most ${MAX_TEXT} characters`, path: ['content'] },
};
/** The text of a message's content (a string, or its text parts joined). */
export const contentText = (content: z.infer<typeof Content> | null | undefined): string => (typeof content === 'string' ? content : (content ?? []).map((p) => p.text ?? '').join(''));

export const ChatCompletionMessage = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer', 'user']), content: Content.nullable() }).refine(partsWithinLimit.check, partsWithinLimit.message),
  z
    .object({ role: z.literal('assistant'), content: Content.nullish(), tool_calls: z.array(ToolCall).max(MAX_TOOLS).nullish() })
    .refine(partsWithinLimit.check, partsWithinLimit.message)
    .refine((m) => (m.tool_calls?.length ?? 0) > 0 || m.content !== undefined, { message: 'an assistant message needs content or tool_calls', path: ['content'] }),
  z.object({ role: z.literal('tool'), content: Content, tool_call_id: z.string().min(1).max(200) }).refine(partsWithinLimit.check, partsWithinLimit.message),
]);
export type ChatCompletionMessage = z.infer<typeof ChatCompletionMessage>;

type ToolProtocolInput = { messages: ChatCompletionMessage[]; tools?: FunctionTool[] | null; tool_choice?: ToolChoice | null; parallel_tool_calls?: boolean | null };

/**
 * The rules OpenAI enforces on tools: unique names, tool_choice and parallel_tool_calls only with
 * tools, a named tool_choice among them; every tool message answers a call of the assistant message
 * before its run of tool messages, and every call is answered before the conversation goes on.
 */
function checkToolProtocol(body: ToolProtocolInput, ctx: z.RefinementCtx): void {
  const tools = body.tools ?? [];
  const names = new Set<string>();
  tools.forEach((t, i) => {
    if (names.has(t.function.name)) ctx.addIssue({ code: 'custom', path: ['tools', i, 'function', 'name'], message: `two tools are named ${t.function.name}` });
    names.add(t.function.name);
  });
  if (tools.length === 0 && body.tool_choice != null) ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: 'tool_choice is only allowed when tools are given' });
  if (tools.length === 0 && body.parallel_tool_calls != null) ctx.addIssue({ code: 'custom', path: ['parallel_tool_calls'], message: 'parallel_tool_calls is only allowed when tools are given' });
  if (typeof body.tool_choice === 'object' && body.tool_choice !== null && tools.length > 0 && !names.has(body.tool_choice.function.name)) {
    ctx.addIssue({ code: 'custom', path: ['tool_choice'], message: `tool_choice names ${body.tool_choice.function.name}, which is not among the tools` });
  }
  let open: { index: number; ids: Set<string> } | null = null;
  const unanswered = () => {
    if (open && open.ids.size > 0) {
      ctx.addIssue({ code: 'custom', path: ['messages', open.index, 'tool_calls'], message: `an assistant message with tool_calls must be followed by a tool message for each call; none answers ${[...open.ids].join(', ')}` });
    }
  };
  body.messages.forEach((m, i) => {
    if (m.role === 'tool') {
      if (open?.ids.delete(m.tool_call_id)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['messages', i, 'tool_call_id'],
        message: open ? `a tool message must answer a call of the assistant message before it; no open call has id ${m.tool_call_id}` : 'a tool message must answer a tool call of the assistant message before it; there is none',
      });
      return;
    }
    unanswered();
    open = null;
    if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
      const ids = new Set(m.tool_calls.map((c) => c.id));
      if (ids.size < m.tool_calls.length) ctx.addIssue({ code: 'custom', path: ['messages', i, 'tool_calls'], message: 'the tool calls of one message need distinct ids' });
      open = { index: i, ids };
    }
  });
  unanswered();
}

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
  /** Function tools the client runs itself (see README, "Tool calls"). */
  tools: z.array(FunctionTool).max(MAX_TOOLS, `at most ${MAX_TOOLS} tools`).nullish(),
  tool_choice: ToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
}).superRefine(checkToolProtocol);
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequest>;

/** The client's tools as the answer use case takes them (none when the request has none). */
export function clientToolsOf(body: ChatCompletionRequest): ClientTools | undefined {
  if (!body.tools || body.tools.length === 0) return undefined;
  return { tools: body.tools, ...(body.tool_choice == null ? {} : { tool_choice: body.tool_choice }), ...(body.parallel_tool_calls == null ? {} : { parallel_tool_calls: body.parallel_tool_calls }) };
}

/**
 * A chat-completions conversation as the answer use case takes it: system and developer messages
 * dropped (the production config owns the prompt), empty text dropped, each tool result named after
 * the function whose call it answers (checkToolProtocol made sure there is one).
 */
export function conversationOf(messages: readonly ChatCompletionMessage[]): AnswerInput['messages'] {
  const names = new Map<string, string>();
  const out: AnswerInput['messages'] = [];
  for (const m of messages) {
    if (m.role === 'system' || m.role === 'developer') continue;
    const text = contentText(m.content);
    if (m.role === 'tool') out.push({ role: 'tool', tool_call_id: m.tool_call_id, name: names.get(m.tool_call_id) ?? 'tool', text });
    else if (m.role === 'assistant' && m.tool_calls && m.tool_calls.length > 0) {
      for (const c of m.tool_calls) names.set(c.id, c.function.name);
      out.push({ role: 'assistant', text, tool_calls: m.tool_calls });
    } else if (text.trim().length > 0) out.push({ role: m.role, text });
  }
  return out;
}

const Usage = z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() });

export const ChatCompletionResponse = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      /** `content` is null when the message only calls tools. */
      message: z.object({ role: z.literal('assistant'), content: z.string().nullable(), tool_calls: z.array(ToolCall).optional() }),
      /** `stop`, `handoff` (firstcall hands the customer to a person), or `tool_calls`. */
      finish_reason: z.string(),
    }),
  ),
  usage: Usage,
  firstcall: AnswerResult,
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
      delta: z.object({
        role: z.literal('assistant').optional(),
        content: z.string().optional(),
        /** A call starts with its index, id, type and name; its arguments follow in fragments under the same index. */
        tool_calls: z
          .array(z.object({ index: z.number(), id: z.string().optional(), type: z.literal('function').optional(), function: z.object({ name: z.string().optional(), arguments: z.string().optional() }) }))
          .optional(),
      }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: Usage.optional(),
  firstcall: AnswerResult.optional(),
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
