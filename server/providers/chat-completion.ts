// The OpenAI chat-completions protocol, as OpenAI-compatible servers, TGI and the HF router speak it:
// a request answered through a provider's one-call function (`ChatCall`), with the tool-call loop and
// the caller's tools passed through, and the response body validated and turned into a GenerateResult
// or the model's tool calls (or a non-retryable "malformed" error).
//
// With `tools` and a `toolRunner` in the request the loop runs: the model's tool calls (parallel ones
// too) run in order on the runner, their results go back as `tool` messages, and after `maxToolSteps`
// model calls the model must answer in text (tool_choice none). With `clientTools` (a caller that runs
// its own tools: /v1/chat/completions) one call is made with the caller's tools and conversation and
// the model's tool calls come back unchanged, none run.
import { z } from 'zod';
import type { GenerateRequest, GenerateResult, TokenUsage, ToolCallRecord } from '../domain/eval.ts';
import type { PassThroughTools, ToolCall } from '../domain/tool-calls.ts';
import { ToolError } from '../tools/tool.ts';
import { malformedResponse } from './provider-error.ts';

/** A chat-completions request body (the fields firstcall sends). */
export interface ChatRequestBody {
  model: string;
  messages: unknown[];
  temperature: number;
  max_tokens: number;
  top_p?: number;
  seed?: number;
  response_format?: unknown;
  tools?: unknown[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
}

/** One model call of a provider: the response body, or a ProviderError. */
export type ChatCall = (body: ChatRequestBody, signal: AbortSignal | undefined) => Promise<unknown>;

/** Model calls that may ask for tools before the answer must be text. */
export const DEFAULT_MAX_TOOL_STEPS = 8;

/** Answers a request through `complete`: one call, the tool loop, or the caller's tools passed through. */
export async function generateByChatCompletions(id: string, model: string, request: GenerateRequest, complete: ChatCall): Promise<GenerateResult> {
  const { params } = request;
  const sampling = {
    model,
    temperature: params.temperature,
    max_tokens: params.max_tokens,
    ...(params.top_p === undefined ? {} : { top_p: params.top_p }),
    ...(params.seed === undefined ? {} : { seed: params.seed }),
  };
  if (request.clientTools !== undefined) return passThrough(id, model, request, request.clientTools, sampling, complete);
  const runner = request.toolRunner;
  const tools = runner !== undefined && request.tools !== undefined && request.tools.length > 0 ? request.tools : undefined;
  const maxSteps = request.maxToolSteps ?? DEFAULT_MAX_TOOL_STEPS;
  const messages: unknown[] = request.messages.map((m) => ({ role: m.role, content: m.content }));
  const records: ToolCallRecord[] = [];
  let usage: TokenUsage | undefined;

  for (let step = 0; ; step++) {
    const lastStep = step >= maxSteps;
    const body = await complete(
      {
        ...sampling,
        messages,
        ...(request.responseFormat === undefined ? {} : { response_format: request.responseFormat }),
        ...(tools === undefined ? {} : { tools, tool_choice: lastStep ? 'none' : 'auto' }),
      },
      request.signal,
    );
    usage = addUsage(usage, body);
    const calls = tools === undefined || lastStep ? [] : readToolCalls(id, body);
    if (calls.length === 0) {
      const result = readChatCompletion(id, model, body);
      return { ...result, ...(usage ? { usage } : {}), ...(tools === undefined ? {} : { tool_calls: records }) };
    }
    messages.push({
      role: 'assistant',
      content: calls.content ?? null,
      tool_calls: calls.map((c) => ({ id: c.id, type: 'function' as const, function: { name: c.function.name, arguments: c.function.arguments } })),
    });
    // In the order given: parallel calls share one sandbox, and a later one may depend on an earlier one.
    for (const call of calls) {
      const { args, result } = await runToolCall(runner!, call.function.name, call.function.arguments);
      records.push({ name: call.function.name, arguments: args, result });
      messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
    }
  }
}

/** The caller's tools, one call: the model's tool calls come back as it made them, or its text answer. */
async function passThrough(
  id: string,
  model: string,
  request: GenerateRequest,
  pass: PassThroughTools,
  sampling: Omit<ChatRequestBody, 'messages'>,
  complete: ChatCall,
): Promise<GenerateResult> {
  const body = await complete(
    {
      ...sampling,
      messages: pass.messages as unknown[],
      tools: pass.tools,
      ...(pass.tool_choice === undefined ? {} : { tool_choice: pass.tool_choice }),
      ...(pass.parallel_tool_calls === undefined ? {} : { parallel_tool_calls: pass.parallel_tool_calls }),
    },
    request.signal,
  );
  const usage = addUsage(undefined, body);
  const calls = readToolCalls(id, body);
  if (calls.length === 0) return { ...readChatCompletion(id, model, body), ...(usage ? { usage } : {}) };
  const answered = (body as { model?: unknown }).model;
  return {
    text: calls.content ?? '',
    model: typeof answered === 'string' && answered ? answered : model,
    requested_tool_calls: [...calls],
    ...(usage ? { usage } : {}),
  };
}

/** Runs one call; a failed call (bad JSON, unknown tool, invalid arguments, an endpoint down) goes back to the model as an error. */
async function runToolCall(runner: NonNullable<GenerateRequest['toolRunner']>, name: string, rawArgs: string): Promise<{ args: Record<string, unknown>; result: unknown }> {
  let args: unknown;
  try {
    args = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
  } catch {
    return { args: {}, result: { ok: false, error: `the arguments of ${name} are not valid JSON` } };
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return { args: {}, result: { ok: false, error: `the arguments of ${name} must be a JSON object` } };
  const record = args as Record<string, unknown>;
  try {
    return { args: record, result: await runner.call(name, record) };
  } catch (error) {
    if (!ToolError.isInstance(error)) throw error;
    return { args: record, result: { ok: false, error: error.message, kind: error.kind } };
  }
}

function addUsage(total: TokenUsage | undefined, body: unknown): TokenUsage | undefined {
  const u = (body as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } | null } | null)?.usage;
  if (typeof u?.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return total;
  return { input_tokens: (total?.input_tokens ?? 0) + u.prompt_tokens, output_tokens: (total?.output_tokens ?? 0) + u.completion_tokens };
}

const ChatCompletionBody = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, 'no choices'),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});

export function readChatCompletion(id: string, model: string, body: unknown): GenerateResult {
  const parsed = ChatCompletionBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformedResponse(id, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not a chat completion');
  }
  const choice = parsed.data.choices[0]!;
  const text = choice.message?.content;
  if (!text || !text.trim()) {
    const why = choice.message?.refusal ? `refusal: ${choice.message.refusal}` : `finish_reason ${choice.finish_reason ?? 'unknown'}`;
    throw malformedResponse(id, `no content (${why})`);
  }
  const usage = parsed.data.usage;
  return {
    text,
    ...(usage ? { usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens } } : {}),
    model: parsed.data.model || model,
  };
}

const ToolCallsBody = z.object({
  choices: z
    .array(
      z.object({
        message: z
          .object({
            content: z.string().nullish(),
            tool_calls: z
              .array(z.object({ id: z.string().min(1), type: z.string().optional(), function: z.object({ name: z.string().min(1), arguments: z.string().default('{}') }) }))
              .nullish(),
          })
          .nullish(),
      }),
    )
    .min(1, 'no choices'),
});

/** The tool calls of a chat completion's first choice (empty when it answered in text), with the text said alongside. */
export function readToolCalls(id: string, body: unknown): ToolCall[] & { content?: string } {
  const parsed = ToolCallsBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformedResponse(id, issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'not a chat completion');
  }
  const message = parsed.data.choices[0]!.message;
  const calls: ToolCall[] & { content?: string } = (message?.tool_calls ?? []).map((c) => ({ id: c.id, type: 'function' as const, function: c.function }));
  if (message?.content) calls.content = message.content;
  return calls;
}
