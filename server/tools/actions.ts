// What a bot did in the back office, as far as the record shows: the tool calls that change something
// (a return created, an order cancelled, a hand-off) as opposed to lookups. accuracy holds a reply
// that says an action was taken ("I've refunded…", "已为您取消订单") to these (ScoreInput.actions).
import type { Turn } from '../domain/dialogue.ts';
import type { ActionKind, ToolCallRecord } from '../domain/eval.ts';
import { jsonOrText } from '../domain/json-or-text.ts';
import { ACTION_INTENTS, TAUBENCH_LOOKUP_TOOLS } from '../ingest/formats/taubench.ts';
import { isRefusal, type ToolName } from './tool.ts';

const OURS_ACTING = ['create_repair_ticket', 'create_return', 'cancel_order', 'change_delivery_address', 'transfer_to_human'] as const satisfies readonly ToolName[];
const OURS_READING: readonly ToolName[] = ['lookup_customer', 'check_warranty', 'recommend_plan'];

/**
 * The kinds of action (as a reply states them: text/lexicons.ts ACTION_KINDS) each of firstcall's
 * acting tools takes: a cancellation and a return refund the customer too.
 */
const KINDS: Readonly<Record<(typeof OURS_ACTING)[number], readonly ActionKind[]>> = {
  create_repair_ticket: ['repair'],
  create_return: ['return', 'refund'],
  cancel_order: ['cancel', 'refund'],
  change_delivery_address: ['address'],
  transfer_to_human: ['handoff'],
};

/** The kinds of action a bot with these tools can take. */
export function actionKindsOf(tools: readonly ToolName[]): ActionKind[] {
  return [...new Set(tools.flatMap((t) => (t in KINDS ? KINDS[t as keyof typeof KINDS] : [])))];
}

/** Tools that change something: firstcall's own, and those the tau-bench reader names by how the record changed. */
const ACTING: ReadonlySet<string> = new Set([...OURS_ACTING, ...Object.keys(ACTION_INTENTS)]);
const READING: ReadonlySet<string> = new Set([...OURS_READING, ...TAUBENCH_LOOKUP_TOOLS]);

/** Other logs' lookups, by the verb their names start with: lookup_order, get_bill, search_kb, check_status. */
const READING_VERB = /^(?:lookup|look_up|get|find|search|list|check|query|fetch|read|view|show|calculate)(?:_|$)/i;

/** Whether a tool of that name changes something, only reads, or is not known here (it may have acted). */
export function toolKind(name: string | undefined): 'acts' | 'reads' | 'unknown' {
  if (name === undefined) return 'unknown';
  return ACTING.has(name) ? 'acts' : READING.has(name) || READING_VERB.test(name) ? 'reads' : 'unknown';
}

/**
 * What a candidate's reply did (ScoreInput.actions): the acting tools it called that did not refuse,
 * in order, and `handoff` when it handed off.
 */
export function actionsTaken(calls: readonly ToolCallRecord[] | undefined, handoff: { queue: string } | null): string[] {
  return withHandoff(
    (calls ?? []).filter((c) => toolKind(c.name) === 'acts' && !isRefusal(c.result)).map((c) => c.name),
    handoff,
  );
}

/** Actions taken (tool names, in order), with `handoff` last when the reply handed off. */
export function withHandoff(taken: readonly string[], handoff: { queue: string } | null): string[] {
  return handoff === null ? [...taken] : [...taken, 'handoff'];
}

/** Tool output that reports a failure changed nothing: "Error: order not found", {"error": …}, a refusal. */
const FAILED = /^\s*(?:error\b|错误|失败)/i;

/** Whether a logged tool turn changed something: yes, no (a lookup, a refusal, a failure), or maybe (a tool of unknown kind). */
export function toolTurnActed(turn: Pick<Turn, 'name' | 'text'>): 'yes' | 'no' | 'maybe' {
  const kind = toolKind(turn.name);
  if (kind === 'reads') return 'no';
  const output = jsonOrText(turn.text);
  const failed = typeof output === 'string' ? FAILED.test(output) : isRefusal(output) || (typeof output === 'object' && output !== null && 'error' in output);
  if (failed) return 'no';
  return kind === 'acts' ? 'yes' : 'maybe';
}

/**
 * What a logged bot did while answering the customer's last message: its acting tool turns after that
 * message (a refusal or a failure does not count) and `handoff` when it handed off. undefined when
 * the record cannot say: a human (or an agent of unknown kind) answered — they act in systems no log
 * shows — a tool of unknown kind ran and did not fail, or nothing answers that message.
 */
export function actionsLogged(turns: readonly Turn[], handoff: { queue: string } | null): string[] | undefined {
  const last = turns.findLastIndex((t) => t.role === 'customer');
  if (last === -1) return undefined;
  const after = turns.slice(last + 1);
  const replies = after.filter((t) => t.role === 'agent');
  if (replies.length === 0 || replies.some((t) => t.agent_kind !== 'bot')) return undefined;
  const taken: string[] = [];
  for (const t of after) {
    if (t.role !== 'tool') continue;
    const acted = toolTurnActed(t);
    if (acted === 'maybe') return undefined;
    if (acted === 'yes') taken.push(t.name!);
  }
  return withHandoff(taken, handoff);
}
