// What a back-office tool is: a name, a description a model reads, a zod schema for its arguments
// and one for its result, and the built-in implementation over a sandbox. A tool that refuses by
// policy returns a refusal (a normal result the bot explains); ToolError is for calls that failed.
import { z } from 'zod';
import type { Sandbox, SandboxOrder } from './sandbox.ts';

export const TOOL_NAMES = [
  'lookup_customer',
  'check_warranty',
  'create_repair_ticket',
  'create_return',
  'cancel_order',
  'change_delivery_address',
  'recommend_plan',
  'transfer_to_human',
] as const;
export const ToolName = z.enum(TOOL_NAMES);
export type ToolName = z.infer<typeof ToolName>;

export const REFUSAL_CODES = [
  'not_found',
  'no_warranty',
  'paid_repair_not_accepted',
  'outside_window',
  'not_returnable',
  'already_shipped',
  'not_cancellable',
] as const;

/** A policy refusal: the call was fine, the answer is no, and why. */
export const Refusal = z.object({
  ok: z.literal(false),
  refused: z.enum(REFUSAL_CODES),
  message: z.string(),
});
export type Refusal = z.infer<typeof Refusal>;

export interface ToolDefinition<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly name: ToolName;
  readonly description: string;
  readonly args: A;
  readonly result: R;
  /** The built-in implementation: reads and writes only the sandbox. */
  run(args: z.output<A>, sandbox: Sandbox): z.output<R>;
}

/** Typed helper so each tool's `run` is checked against its own schemas. */
export function defineTool<A extends z.ZodType, R extends z.ZodType>(tool: ToolDefinition<A, R>): ToolDefinition<A, R> {
  return tool;
}

export const OrderId = z.string().min(1).max(100).describe("The order number, exactly as on the customer's order");

export function refuse(refused: Refusal['refused'], message: string): Refusal {
  return { ok: false, refused, message };
}

/** The asking customer's order with that id; a refusal for anything else (never another customer's). */
export function findOrder(sandbox: Sandbox, orderId: string): SandboxOrder | Refusal {
  const order = sandbox.state().orders.find((o) => o.order_id === orderId.trim());
  return order ?? refuse('not_found', `no order ${orderId} on this customer's account`);
}

export const isRefusal = (value: unknown): value is Refusal => typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false;

// ---------- errors ----------

const MARKER = Symbol.for('firstcall.ToolError');

export const TOOL_ERROR_KINDS = ['unknown_tool', 'invalid_arguments', 'http_status', 'bad_response', 'network', 'timeout'] as const;
export type ToolErrorKind = (typeof TOOL_ERROR_KINDS)[number];

/** A tool call that failed (as opposed to a refusal): bad arguments, or a bound endpoint that misbehaved. */
export class ToolError extends Error {
  readonly [MARKER] = true;
  readonly tool: string;
  readonly kind: ToolErrorKind;
  readonly status?: number;

  constructor(message: string, options: { tool: string; kind: ToolErrorKind; status?: number; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ToolError';
    this.tool = options.tool;
    this.kind = options.kind;
    if (options.status !== undefined) this.status = options.status;
  }

  static isInstance(error: unknown): error is ToolError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}
