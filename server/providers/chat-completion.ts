// The OpenAI chat-completion response body, as OpenAI-compatible servers and the HF router send it:
// validated, and turned into a GenerateResult or the model's tool calls (or a non-retryable
// "malformed" error).
import { z } from 'zod';
import type { GenerateResult } from '../domain/eval.ts';
import type { ToolCall } from '../domain/tool-calls.ts';
import { malformedResponse } from './provider-error.ts';

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
