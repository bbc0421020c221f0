// What the simulated customer did on a move, as the engine records it (`repeated_ask:order_id,which`,
// `ignored`, `asked_for_human`, …), parsed for display: a kind, the slots it names, and whether it upset the customer.
export const KNOWN_EVENTS = ['opened', 'script', 'repeated_ask', 'ignored', 'asked_for_human', 'goal_confirmed', 'left', 'no_reply', 'stop_marker'] as const;
export type KnownEvent = (typeof KNOWN_EVENTS)[number];

export interface CustomerEvent {
  /** A known kind, or the raw event for one this UI does not know. */
  kind: KnownEvent | 'other';
  raw: string;
  /** For repeated_ask: what the agent asked for again. */
  slots: string[];
  /** The customer got more upset (emotion up, patience down). */
  upset: boolean;
  /** Routine moves (opening, reading the script) that a reviewer need not see. */
  routine: boolean;
}

const UPSETTING = new Set<string>(['repeated_ask', 'ignored', 'asked_for_human', 'left']);
const ROUTINE = new Set<string>(['opened', 'script']);

export function parseCustomerEvent(raw: string): CustomerEvent {
  const [head = '', rest] = raw.split(':', 2);
  const kind = (KNOWN_EVENTS as readonly string[]).includes(head) ? (head as KnownEvent) : 'other';
  const slots = kind === 'repeated_ask' && rest ? rest.split(',').filter(Boolean) : [];
  return { kind, raw, slots, upset: UPSETTING.has(kind), routine: ROUTINE.has(kind) };
}
