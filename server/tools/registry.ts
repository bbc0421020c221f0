// The tool set, its OpenAI function-tool schemas, and a runner that validates every call, runs it on
// the sandbox or on the endpoint it is bound to, validates the result and records the call.
import { z } from 'zod';
import type { ToolCallRecord } from '../domain/eval.ts';
import { checkWarranty, lookupCustomer, recommendPlan } from './account-tools.ts';
import { callBoundTool, ToolBinding } from './http-binding.ts';
import { cancelOrder, changeDeliveryAddress, createReturn } from './order-tools.ts';
import type { Sandbox } from './sandbox.ts';
import { createRepairTicket, transferToHuman } from './service-tools.ts';
import { TOOL_NAMES, ToolError, type ToolDefinition, type ToolName } from './tool.ts';

export const TOOLS = {
  lookup_customer: lookupCustomer,
  check_warranty: checkWarranty,
  create_repair_ticket: createRepairTicket,
  create_return: createReturn,
  cancel_order: cancelOrder,
  change_delivery_address: changeDeliveryAddress,
  recommend_plan: recommendPlan,
  transfer_to_human: transferToHuman,
} as const satisfies Record<ToolName, ToolDefinition>;

export type Tools = typeof TOOLS;
export type ToolArgs<N extends ToolName> = z.input<Tools[N]['args']>;
export type ToolResult<N extends ToolName> = z.output<Tools[N]['result']>;

export interface OpenAiFunctionTool {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** The tools as OpenAI function tools (`tools` of a chat-completions request). */
export function openAiTools(names: readonly ToolName[] = TOOL_NAMES): OpenAiFunctionTool[] {
  return names.map((name) => {
    const tool: ToolDefinition = TOOLS[name];
    const { $schema: _s, ...parameters } = z.toJSONSchema(tool.args, { io: 'input' }) as Record<string, unknown>;
    return { type: 'function', function: { name, description: tool.description, parameters } };
  });
}

export interface ToolRunnerOptions {
  sandbox: Sandbox;
  /** Tools served by the company's endpoints instead of the sandbox. */
  bindings?: readonly ToolBinding[];
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface ToolRunner {
  call<N extends ToolName>(name: N, args: ToolArgs<N>): Promise<ToolResult<N>>;
  /** Every call so far, in order. */
  readonly calls: readonly ToolCallRecord[];
}

export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const bindings = new Map((options.bindings ?? []).map((b) => [b.tool, ToolBinding.parse(b)]));
  const calls: ToolCallRecord[] = [];
  return {
    calls,
    async call(name, rawArgs) {
      const tool: ToolDefinition | undefined = (TOOLS as Record<string, ToolDefinition>)[name];
      if (tool === undefined) throw new ToolError(`unknown tool "${name}"; tools: ${TOOL_NAMES.join(', ')}`, { tool: name, kind: 'unknown_tool' });
      const parsed = tool.args.safeParse(rawArgs);
      if (!parsed.success) {
        throw new ToolError(`${name}: invalid arguments (${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')})`, { tool: name, kind: 'invalid_arguments', cause: parsed.error });
      }
      const binding = bindings.get(name);
      const result = binding
        ? await callBoundTool(binding, tool, parsed.data, { fetch: options.fetch, customerId: options.sandbox.state().customer.customer_id, signal: options.signal })
        : tool.result.parse(tool.run(parsed.data, options.sandbox));
      calls.push({ name, arguments: parsed.data as Record<string, unknown>, result });
      return result as ToolResult<typeof name>;
    },
  };
}
