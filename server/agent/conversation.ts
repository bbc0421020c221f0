// The state of a whole conversation, derived from all its turns: what the customer wants, which
// order, product, date, problem, address and usage they gave (in any turn), what the agent last asked
// or offered, and what logged tool results already say. The agent acts on this, so it never asks
// again for what the conversation already holds.
import type { Language, Turn } from '../domain/dialogue.ts';
import type { IssueKind } from '../tools/policy.ts';
import type { OrderStatus } from '../tools/sandbox.ts';
import { understand, type AgentIntent, type DaysAgo, type ProductKind, type Understanding } from './understand.ts';

export interface LastAgentMove {
  /** The agent asked which order or device (or for the order number). */
  askedWhich: boolean;
  /** The agent offered a paid repair and asked whether to book it. */
  offeredPaidRepair: boolean;
  askedAddress: boolean;
  askedUsage: boolean;
  /** The agent asked the customer to say more (it did not understand). */
  askedWhat: boolean;
  handedOff: boolean;
}

export interface LoggedFacts {
  /** Fulfilment statuses from logged order lookups, by order id. */
  statuses: Record<string, OrderStatus>;
  tracking: { order_id: string | null; tracking_no: string; carrier: string | null; estimated_delivery: string | null; status: string | null } | null;
  /** Average monthly data use from a logged usage lookup. */
  usageGb: number | null;
  /** Tickets, returns and transfers a tool already made in this conversation, by tool name. */
  done: Set<string>;
}

export interface ConversationState {
  language: Language;
  customerTurns: string[];
  turns: Understanding[];
  latest: Understanding;
  intent: AgentIntent | null;
  /** Order numbers the customer gave, latest last. */
  orderIds: string[];
  kinds: ProductKind[];
  words: string[];
  when: DaysAgo | null;
  problem: { kind: IssueKind; accidental: boolean; text: string } | null;
  address: string | null;
  dataGb: number | null;
  minutes: number | null;
  lastAgent: LastAgentMove;
  logged: LoggedFacts;
  /** No agent turn yet: the reply opens the conversation (greeting). */
  firstReply: boolean;
}

// Generic fault words never replace a more specific topic given earlier, and a topic is not replaced
// by one it includes ("cancel my order … refund it to my card" is still a cancellation).
const GENERIC: readonly AgentIntent[] = ['warranty_claim', 'delivery_delay', 'plan_recommendation'];
const INCLUDES: Partial<Record<AgentIntent, readonly AgentIntent[]>> = {
  cancel_order: ['refund_request'],
  change_address: ['cancel_order'],
  complaint: ['refund_request', 'screen_repair', 'cancel_order'],
};

const AGENT_MOVES: Record<keyof Omit<LastAgentMove, 'handedOff'>, Record<Language, RegExp>> = {
  askedWhich: { zh: /哪(一|个)?(台|部|个|笔|款)|哪个订单|订单号/, en: /\bwhich (one|order|device|phone|laptop|tablet|watch|tv|router|earbuds|product)\b|order number/i },
  offeredPaidRepair: { zh: /(付费维修|维修报价).{0,60}(吗|？|\?)|需要(为您|帮您)?(预约|安排)|要不要.{0,6}(预约|维修)/, en: /(paid repair|repair quote).{0,120}\?|shall i book|would you like (me )?to book|want me to book|should i book/i },
  askedAddress: { zh: /新(的)?(收货)?地址.{0,20}(？|\?|吗)|(提供|告诉).{0,10}地址/, en: /new (delivery )?address.{0,40}\?|which address|what address/i },
  askedUsage: { zh: /(流量|用量).{0,20}(多少|？|\?)|每(个)?月.{0,10}(多少|？|\?)/, en: /how much data|data .{0,30}a month\?|how many (gb|minutes)/i },
  askedWhat: { zh: /具体(说说|描述|是什么)|能(再)?详细|什么问题/, en: /tell me (a bit )?more|what (do you need|can i help)|could you describe/i },
};

const HANDOFF = /\[\[\s*handoff/i;

function lastAgentMove(text: string | undefined, lang: Language): LastAgentMove {
  const t = text ?? '';
  const asked = (key: keyof typeof AGENT_MOVES) => t !== '' && AGENT_MOVES[key][lang].test(t);
  return {
    askedWhich: asked('askedWhich') && /[？?]|请|麻烦|please|could you|can you/i.test(t),
    offeredPaidRepair: asked('offeredPaidRepair'),
    askedAddress: asked('askedAddress'),
    askedUsage: asked('askedUsage'),
    askedWhat: asked('askedWhat'),
    handedOff: HANDOFF.test(t),
  };
}

const LOGGED_STATUS: Record<string, OrderStatus> = {
  paid_not_shipped: 'processing',
  processing: 'processing',
  shipped: 'shipped',
  in_transit: 'shipped',
  delivered: 'delivered',
  completed: 'delivered',
  cancelled: 'cancelled',
};

function readLogged(turns: readonly Turn[]): LoggedFacts {
  const logged: LoggedFacts = { statuses: {}, tracking: null, usageGb: null, done: new Set() };
  for (const turn of turns) {
    if (turn.role !== 'tool') continue;
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(turn.text);
      if (typeof parsed !== 'object' || parsed === null) continue;
      payload = parsed as Record<string, unknown>;
    } catch {
      continue;
    }
    const str = (k: string) => (typeof payload[k] === 'string' ? (payload[k] as string) : null);
    const orderId = str('order_id');
    const status = str('status');
    if (orderId !== null && status !== null && LOGGED_STATUS[status] !== undefined) logged.statuses[orderId] = LOGGED_STATUS[status];
    if (str('tracking_no') !== null && turn.name === 'lookup_tracking') {
      logged.tracking = { order_id: orderId, tracking_no: str('tracking_no')!, carrier: str('carrier'), estimated_delivery: str('estimated_delivery'), status };
    }
    if (typeof payload.avg_data_used_gb_3m === 'number') logged.usageGb = payload.avg_data_used_gb_3m;
    if (turn.name !== undefined && payload.ok === true) logged.done.add(turn.name);
  }
  return logged;
}

/**
 * The state after `turns` (the conversation so far, the customer's latest message last). `today`
 * is the contact day, for dates the customer names.
 */
export function conversationState(turns: readonly Turn[], lang: Language, today: string): ConversationState {
  const customerTurns = turns.filter((t) => t.role === 'customer').map((t) => t.text);
  const understood = customerTurns.map((text) => understand(text, lang, today));
  const latest = understood.at(-1) ?? understand('', lang, today);
  const agentTurns = turns.filter((t) => t.role === 'agent');

  let intent: AgentIntent | null = null;
  for (const u of understood) {
    if (u.intent === null) continue;
    if (intent !== null && GENERIC.includes(u.intent) && !GENERIC.includes(intent)) continue;
    if (intent !== null && INCLUDES[intent]?.includes(u.intent)) continue;
    intent = u.intent;
  }
  let problem: ConversationState['problem'] = null;
  understood.forEach((u, i) => {
    if (u.problem !== null && (problem === null || u.problem.kind !== 'hardware_fault' || problem.kind === 'hardware_fault')) {
      problem = { ...u.problem, accidental: u.problem.accidental || (problem?.accidental ?? false), text: customerTurns[i]! };
    } else if (problem !== null && u.problem === null && /摔|掉|drop|fell/i.test(customerTurns[i]!)) {
      problem = { ...(problem as NonNullable<ConversationState['problem']>), accidental: true };
    }
  });
  // A problem described without a request ("the light stays red") is a repair question.
  if (intent === null && problem !== null) intent = 'warranty_claim';
  const lastOf = <T>(pick: (u: Understanding) => T | null): T | null => {
    for (let i = understood.length - 1; i >= 0; i--) {
      const v = pick(understood[i]!);
      if (v !== null) return v;
    }
    return null;
  };
  const logged = readLogged(turns);
  return {
    language: lang,
    customerTurns,
    turns: understood,
    latest,
    intent,
    orderIds: [...new Set(understood.flatMap((u) => u.orderIds))],
    kinds: [...new Set(understood.flatMap((u) => u.kinds))],
    words: [...new Set(understood.flatMap((u) => u.words))],
    when: lastOf((u) => u.when),
    problem,
    address: lastOf((u) => u.address),
    dataGb: lastOf((u) => u.dataGb) ?? logged.usageGb,
    minutes: lastOf((u) => u.minutes),
    lastAgent: lastAgentMove(agentTurns.at(-1)?.text, lang),
    logged,
    firstReply: agentTurns.length === 0,
  };
}
