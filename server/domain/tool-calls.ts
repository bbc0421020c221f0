// Function tools in the OpenAI chat-completions protocol, as a client of /v1/chat/completions sends
// them and a provider passes them to a model: definitions, `tool_choice`, the model's calls, and the
// messages that carry calls and results. Limits follow OpenAI's where it has them. No I/O.
import { z } from 'zod';

/** OpenAI's limit on tools per request. */
export const MAX_TOOLS = 128;
/** A tool's definition (description and parameter schema as JSON) and a call's arguments. */
export const MAX_TOOL_DEFINITION = 20_000;
export const MAX_TOOL_ARGUMENTS = 10_000;

export const FunctionName = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a function name is 1-64 letters, digits, _ or -');

/** A function tool the model may call (`{type: 'function', function: {name, description?, parameters?, strict?}}`). */
export const FunctionTool = z
  .object({
    type: z.literal('function', 'only function tools are supported (type: "function")'),
    function: z.object({
      name: FunctionName,
      description: z.string().optional(),
      /** A JSON Schema object; passed to the model as given. */
      parameters: z.record(z.string(), z.unknown()).optional(),
      strict: z.boolean().nullable().optional(),
    }),
  })
  .refine((t) => JSON.stringify(t.function).length <= MAX_TOOL_DEFINITION, `a tool's definition holds at most ${MAX_TOOL_DEFINITION} characters of JSON`);
export type FunctionTool = z.infer<typeof FunctionTool>;

/** `none`, `auto`, `required`, or one named function. */
export const ToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), function: z.object({ name: FunctionName }) }),
]);
export type ToolChoice = z.infer<typeof ToolChoice>;

/** Whether a tool_choice obliges the model to call a tool (`required`, or a named function). */
export const mustCallTool = (choice: ToolChoice | undefined): boolean => choice !== undefined && choice !== 'none' && choice !== 'auto';

/** One call the model asked for: `arguments` is JSON text, as the model wrote it. */
export const ToolCall = z.object({
  id: z.string().min(1).max(200),
  type: z.literal('function'),
  function: z.object({ name: FunctionName, arguments: z.string().max(MAX_TOOL_ARGUMENTS, `a tool call's arguments hold at most ${MAX_TOOL_ARGUMENTS} characters`) }),
});
export type ToolCall = z.infer<typeof ToolCall>;

/** A chat message in the protocol: text, an assistant's tool calls (content may be null), or a tool's result. */
export type ProtocolMessage =
  | { role: 'system' | 'user' | 'assistant'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; content: string };

/** The tools a caller offers the model and runs itself, with how the model may use them. */
export const ClientTools = z.object({
  tools: z.array(FunctionTool).min(1).max(MAX_TOOLS),
  tool_choice: ToolChoice.optional(),
  parallel_tool_calls: z.boolean().optional(),
});
export type ClientTools = z.infer<typeof ClientTools>;

/** What a provider that passes tools through sends: the client's tools and the whole conversation in the protocol's shape. */
export interface PassThroughTools extends ClientTools {
  /** System prompt first, then the conversation with its tool calls and results. */
  messages: ProtocolMessage[];
}
