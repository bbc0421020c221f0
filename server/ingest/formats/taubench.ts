// tau-bench trajectories, `{"messages_display": "user: …\nassistant: …\ntool: …"}` per line.
//
// Reading `messages_display`:
// - A message starts at a line beginning with `user: `, `assistant: `, `tool: ` or `system: `;
//   any other line continues the previous message (assistant replies span several lines).
// - `assistant: None` is the empty text of an assistant message that only carries a tool call (its
//   name and arguments are not in the display). It is dropped: the `tool` turn after it records the call.
// - `tool:` lines are tool output. The display never names the tool, so the name is inferred from
//   the output's shape (and, for orders and user profiles, from how the record changed since it was
//   last seen); `tool` when it cannot be told. An empty output (tau-bench's `think` tool) is dropped,
//   as the canonical format needs non-empty text.
// - The user simulator's control tokens (`###STOP###`, `###TRANSFER###`, `###OUT-OF-SCOPE###`) are
//   cut from the customer's text; a turn left empty is dropped.
// - user -> customer, assistant -> agent (agent_kind `bot`), tool -> tool, system -> system.
//
// The data carries no channel, customer id or time, so: channel is left to the canonical default
// (`unknown`), there are no timestamps, language is `en`, and customer_id is the user id a tool
// returned (find_user_id output such as `isabella_lopez_6490`, else an order's `user_id`), absent
// when the agent never identified the customer. The id is `taubench-` + 16 hex of the sha256 of
// `messages_display`. metadata.inferred_actions lists the state-changing tools that ran;
// metadata.intent is set when they point to one intent; outcome.escalated is whether
// transfer_to_human_agents ran (the only way a tau-bench agent escalates). No customer records
// are emitted: tau-bench orders carry no purchase dates.
import type { DialogueInput, Turn } from '../../domain/dialogue.ts';
import { readLines } from '../read-lines.ts';
import type { FormatReader, SourceItem } from './types.ts';
import { badItem, describeJsonValue, firstJsonLine, inBatches, isRecord, mentionsKey, stableId } from './reader-helpers.ts';

const ROLE_PREFIX = /^(user|assistant|tool|system):(?: |$)/;
const CONTROL_TOKENS = /\s*###(?:STOP|TRANSFER|OUT-OF-SCOPE)###\s*/g;
const USER_ID = /^[a-z]+(?:_[a-z]+)*_\d+$/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;

/** The names this reader gives tool outputs that only read (looked up, calculated). */
export const TAUBENCH_LOOKUP_TOOLS = ['find_user_id', 'get_user_details', 'get_order_details', 'get_product_details', 'list_all_product_types', 'calculate'] as const;

/** State-changing tool -> the intent it reveals. */
export const ACTION_INTENTS: Readonly<Record<string, string>> = {
  cancel_pending_order: 'cancel_order',
  return_delivered_order_items: 'return',
  exchange_delivered_order_items: 'exchange',
  modify_pending_order_items: 'modify_order_items',
  modify_pending_order_address: 'change_address',
  modify_user_address: 'change_address',
  modify_pending_order_payment: 'change_payment_method',
  transfer_to_human_agents: 'transfer_to_human',
};

type RawMessage = { role: 'user' | 'assistant' | 'tool' | 'system'; text: string };

export function splitMessages(display: string): RawMessage[] | undefined {
  const messages: RawMessage[] = [];
  for (const line of display.split('\n')) {
    const match = ROLE_PREFIX.exec(line);
    if (match) {
      messages.push({ role: match[1] as RawMessage['role'], text: line.slice(match[0].length) });
    } else if (messages.length > 0) {
      messages[messages.length - 1]!.text += `\n${line}`;
    } else if (line.trim() !== '') {
      return undefined; // text before any role prefix: not a tau-bench display
    }
  }
  return messages;
}

/** Remembers orders and the user profile seen so far, to tell a lookup from a change. */
class ToolNamer {
  customerId: string | undefined;
  readonly actions: string[] = [];
  private readonly orders = new Map<string, Record<string, unknown>>();
  private userAddress: string | undefined;

  name(output: string): string {
    if (output === 'Transfer successful') return this.act('transfer_to_human_agents');
    if (NUMBER.test(output)) return 'calculate';
    if (USER_ID.test(output)) {
      this.customerId ??= output;
      return 'find_user_id';
    }
    if (!output.startsWith('{')) return 'tool';
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch {
      return 'tool';
    }
    if (!isRecord(value)) return 'tool';
    if (typeof value.order_id === 'string' && typeof value.status === 'string') return this.order(value.order_id, value);
    if ('payment_methods' in value && 'orders' in value) {
      const address = JSON.stringify(value.address);
      const changed = this.userAddress !== undefined && this.userAddress !== address;
      this.userAddress = address;
      return changed ? this.act('modify_user_address') : 'get_user_details';
    }
    if ('product_id' in value && 'variants' in value) return 'get_product_details';
    const values = Object.values(value);
    if (values.length > 0 && values.every((v) => typeof v === 'string' && /^\d+$/.test(v))) return 'list_all_product_types';
    return 'tool';
  }

  private order(orderId: string, order: Record<string, unknown>): string {
    if (typeof order.user_id === 'string') this.customerId ??= order.user_id;
    const before = this.orders.get(orderId);
    this.orders.set(orderId, order);
    // A first sighting is a lookup: tau-bench agents read an order before they change it.
    if (!before) return 'get_order_details';
    const status = order.status;
    if (status !== before.status) {
      if (status === 'cancelled') return this.act('cancel_pending_order');
      if (status === 'return requested') return this.act('return_delivered_order_items');
      if (status === 'exchange requested') return this.act('exchange_delivered_order_items');
      if (status === 'pending (item modified)') return this.act('modify_pending_order_items');
      return 'get_order_details';
    }
    if (status === 'pending' || status === 'pending (item modified)') {
      if (JSON.stringify(order.items) !== JSON.stringify(before.items)) return this.act('modify_pending_order_items');
      if (JSON.stringify(order.address) !== JSON.stringify(before.address)) return this.act('modify_pending_order_address');
      if (JSON.stringify(order.payment_history) !== JSON.stringify(before.payment_history)) {
        return this.act('modify_pending_order_payment');
      }
    }
    return 'get_order_details';
  }

  private act(tool: string): string {
    this.actions.push(tool);
    return tool;
  }
}

export function convertTaubenchDisplay(display: string): { value: DialogueInput } | { reason: string } {
  const messages = splitMessages(display);
  if (!messages) return { reason: 'messages_display does not start with a `user:`, `assistant:`, `tool:` or `system:` line' };
  const namer = new ToolNamer();
  const turns: Turn[] = [];
  for (const { role, text } of messages) {
    if (role === 'user') {
      const cleaned = text.replace(CONTROL_TOKENS, ' ').trim();
      if (cleaned !== '') turns.push({ role: 'customer', text: cleaned });
    } else if (role === 'assistant') {
      if (text.trim() !== 'None' && text.trim() !== '') turns.push({ role: 'agent', agent_kind: 'bot', text });
    } else if (role === 'tool') {
      const output = text.trim();
      if (output !== '') turns.push({ role: 'tool', name: namer.name(output), text: output });
    } else if (text.trim() !== '') {
      turns.push({ role: 'system', text });
    }
  }
  if (turns.length === 0) return { reason: 'messages_display holds no message with text' };
  const actions = [...new Set(namer.actions)];
  const intents = [...new Set(actions.map((a) => ACTION_INTENTS[a]!).filter((i) => i !== 'transfer_to_human'))];
  const escalated = actions.includes('transfer_to_human_agents');
  const metadata: Record<string, unknown> = { dataset: 'tau-bench-retail', inferred_actions: actions };
  if (intents.length === 1) metadata.intent = intents[0];
  else if (intents.length === 0 && escalated) metadata.intent = 'transfer_to_human';
  const value: DialogueInput = { id: stableId('taubench', display), language: 'en', turns, outcome: { escalated }, metadata };
  if (namer.customerId) value.customer_id = namer.customerId;
  return { value };
}

export function convertTaubenchLine(line: number, text: string): SourceItem {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch (error) {
    return badItem(line, `invalid JSON: ${(error as Error).message}`, text);
  }
  if (!isRecord(record)) return badItem(line, `not a JSON object (got ${describeJsonValue(record)})`, text);
  if (typeof record.messages_display !== 'string') return badItem(line, 'no messages_display (a string)', text);
  const converted = convertTaubenchDisplay(record.messages_display);
  return 'value' in converted ? { kind: 'dialogue', line, value: converted.value } : badItem(line, converted.reason, text);
}

export const taubenchReader: FormatReader = {
  id: 'taubench',
  sniff(head) {
    const { object, text } = firstJsonLine(head);
    if (object) return typeof object.messages_display === 'string';
    return /^\s*\{/.test(text) && mentionsKey(text, 'messages_display');
  },
  async *read({ path }) {
    for await (const lines of readLines(path)) {
      yield* inBatches(lines.map((item) => ('text' in item ? convertTaubenchLine(item.line, item.text) : badItem(item.line, item.error, item.raw))));
    }
  },
};
