// A conversation as the viewer draws it: customer and agent bubbles, each agent turn's tool calls
// (with their arguments, from `tool_calls`) just before its reply, and the simulated customer's
// events on the customer move they belong to (a move that said nothing gets a row of its own).
import type { ConversationDetail, ConversationToolCall } from '../../../lib/contract.ts';
import { parseCustomerEvent, type CustomerEvent } from './customer-events.ts';
import { splitHandoff } from '../../../lib/handoff.ts';

export type TranscriptItem =
  | { kind: 'customer'; text: string; events: CustomerEvent[] }
  | { kind: 'agent'; text: string; handoff: string | null; agentTurn: number }
  | { kind: 'tool'; call: ConversationToolCall; agentTurn: number }
  | { kind: 'events'; events: CustomerEvent[] };

export function transcriptItems(c: Pick<ConversationDetail, 'turns' | 'tool_calls' | 'customer_events'>): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  const calls = [...c.tool_calls];
  const eventsOf = (move: number) => (c.customer_events[move] ?? []).map(parseCustomerEvent);
  // customer_events[0] is the opening move, customer_events[k] the move after agent turn k.
  let agentTurn = 0;
  let moveShown = -1;
  for (const turn of c.turns) {
    if (turn.role === 'customer') {
      const move = agentTurn;
      items.push({ kind: 'customer', text: turn.text, events: move > moveShown ? eventsOf(move) : [] });
      moveShown = move;
    } else if (turn.role === 'tool') {
      // Tool turns come in the order of tool_calls; a tool turn without its call (older data) keeps its name and result.
      const i = calls.findIndex((call) => call.name === (turn.name ?? call.name));
      const call = i >= 0 ? calls.splice(i, 1)[0]! : { name: turn.name ?? '?', arguments: {}, result: parseJson(turn.text), agent_turn: agentTurn + 1 };
      items.push({ kind: 'tool', call, agentTurn: call.agent_turn });
    } else if (turn.role === 'agent') {
      if (moveShown < agentTurn) pushEvents(items, eventsOf(agentTurn));
      moveShown = Math.max(moveShown, agentTurn);
      agentTurn++;
      const { text, queue } = splitHandoff(turn.text);
      items.push({ kind: 'agent', text, handoff: queue, agentTurn });
    }
  }
  // The last move said nothing (the customer left or stopped).
  if (moveShown < agentTurn) pushEvents(items, eventsOf(agentTurn));
  for (const call of calls) items.push({ kind: 'tool', call, agentTurn: call.agent_turn });
  return items;
}

function pushEvents(items: TranscriptItem[], events: CustomerEvent[]) {
  if (events.length > 0) items.push({ kind: 'events', events });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
