// Binds a tool to the company's own HTTP endpoint: POST the arguments as JSON, parse the reply with
// the tool's result schema. The asking customer's id travels in a header, never in the arguments,
// so the bot cannot name another customer. Any failure is a ToolError with its kind.
import { z } from 'zod';
import { ToolError, ToolName, type ToolDefinition } from './tool.ts';

export const ToolBinding = z.object({
  tool: ToolName,
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
  timeout_ms: z.number().int().min(1).max(120_000).default(10_000),
});
export type ToolBinding = z.input<typeof ToolBinding>;

/** Sent with every bound call: the customer the conversation is with. */
export const CUSTOMER_HEADER = 'x-firstcall-customer-id';

export interface HttpCallOptions {
  fetch?: typeof fetch;
  customerId?: string;
  signal?: AbortSignal;
}

export async function callBoundTool(bindingInput: ToolBinding, tool: ToolDefinition, args: unknown, options: HttpCallOptions = {}): Promise<unknown> {
  const binding = ToolBinding.parse(bindingInput);
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(binding.timeout_ms);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const fail = (kind: ToolError['kind'], message: string, extra: { status?: number; cause?: unknown } = {}) =>
    new ToolError(`${tool.name} via ${binding.url}: ${message}`, { tool: tool.name, kind, ...extra });

  let response: Response;
  try {
    response = await doFetch(binding.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(options.customerId === undefined ? {} : { [CUSTOMER_HEADER]: options.customerId }),
        ...binding.headers,
      },
      body: JSON.stringify(args),
      signal,
    });
  } catch (error) {
    if (timeout.aborted) throw fail('timeout', `no answer within ${binding.timeout_ms} ms`, { cause: error });
    throw fail('network', error instanceof Error ? error.message : String(error), { cause: error });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw fail(timeout.aborted ? 'timeout' : 'network', 'the response body could not be read', { cause: error });
  }
  if (!response.ok) throw fail('http_status', `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, { status: response.status });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw fail('bad_response', `the response is not JSON: ${text.slice(0, 100)}`, { status: response.status, cause: error });
  }
  const parsed = tool.result.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'result'}: ${i.message}`).join('; ');
    throw fail('bad_response', `the result does not match ${tool.name}'s schema (${issues})`, { status: response.status, cause: parsed.error });
  }
  return parsed.data;
}
