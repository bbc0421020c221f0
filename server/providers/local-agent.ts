// local:agent, the grounded offline agent: understands the request (server/agent/understand.ts),
// keeps the whole conversation's state (conversation.ts), calls the back-office tools on a sandbox
// seeded from the asking customer's own record as of the contact day, and answers from tool results
// and the template's policy and phrasing (replies.ts). It asks only for what neither the
// conversation nor the record holds, and hands off by the template's rules (decideHandoff) with
// transfer_to_human and the [[handoff:queue]] marker. The tool calls come back in `tool_calls`.
import { conversationState, type ConversationState } from '../agent/conversation.ts';
import * as say from '../agent/replies.ts';
import type { ReplyContext } from '../agent/replies.ts';
import type { Language } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { GenerateRequest, GenerateResult, PromptTemplate, Provider, SuiteCase } from '../domain/eval.ts';
import type { ToolBinding } from '../tools/http-binding.ts';
import { policyFromTemplate, repairCoverage, type ServicePolicy } from '../tools/policy.ts';
import { createToolRunner, type ToolResult, type ToolRunner } from '../tools/registry.ts';
import { BackOfficeState, createSandbox, daysBetween, seedFromCustomer, type Sandbox } from '../tools/sandbox.ts';
import { TOOL_NAMES, type ToolName } from '../tools/tool.ts';
import { decideHandoff, type HandoffRuleOptions } from './local-kb.ts';
import { abortedError } from './provider-error.ts';

export const LOCAL_AGENT_ID = 'local:agent';

/** The tools it may call: every one of firstcall's back office. */
export const LOCAL_AGENT_TOOLS: readonly ToolName[] = TOOL_NAMES;

export interface LocalAgentOptions {
  rules?: HandoffRuleOptions;
  /** Tools bound to the company's endpoints (production); the rest run on the sandbox. */
  bindings?: readonly ToolBinding[];
  fetch?: typeof fetch;
  /**
   * The sandbox a reply runs on. By default a fresh one from the case's customer record as of the
   * contact date; a conversation simulator passes its own, kept across turns, to judge the end state.
   */
  sandboxFor?: (c: SuiteCase, policy: ServicePolicy) => Sandbox;
}

type Order = ToolResult<'lookup_customer'>['orders'][number];

/** What a flow produced: sentences, an optional closing question, and whether it settled the matter. */
interface Outcome {
  parts: string[];
  question?: string[];
  /** A person must take over (with this reason for the summary). */
  handoff?: string;
  /** Queue key when it is not the default one. */
  queue?: 'default' | 'complaints';
}

const SCREEN_KINDS = ['phone', 'laptop', 'tablet', 'watch', 'tv'];

type Pick = { kind: 'one'; order: Order } | { kind: 'none' } | { kind: 'many'; options: Order[] } | { kind: 'unknown_id'; id: string };

interface PickWanted {
  /** Devices (with a warranty) or any product order; services (plans) are never picked here. */
  devices: boolean;
  screen?: boolean;
  /** Statuses to prefer when several orders fit (e.g. not yet delivered, for a cancellation). */
  prefer?: readonly Order['status'][];
}

function modelWords(product: string): string[] {
  return product.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0 && /[a-z]/.test(w) || /^\d+$/.test(w));
}

/** The order the customer means: the number they gave, else by product kind, model words, date; or why not. */
export function pickOrder(state: ConversationState, orders: readonly Order[], today: string, wanted: PickWanted): Pick {
  const said = state.customerTurns.join('\n').toUpperCase();
  const named = orders.filter((o) => state.orderIds.includes(o.order_id.toUpperCase()) || (o.order_id.length >= 6 && said.includes(o.order_id.toUpperCase())));
  if (named.length > 0) {
    // The latest one mentioned wins.
    const last = [...state.orderIds].reverse().find((id) => named.some((o) => o.order_id.toUpperCase() === id));
    return { kind: 'one', order: named.find((o) => o.order_id.toUpperCase() === last) ?? named[named.length - 1]! };
  }
  if (state.orderIds.length > 0 && !state.lastAgent.askedWhich) return { kind: 'unknown_id', id: state.orderIds[state.orderIds.length - 1]! };

  let pool = orders.filter((o) => o.category !== 'mobile_plan' && o.status !== 'cancelled' && (!wanted.devices || o.warranty_months > 0));
  const kinds = state.kinds.filter((k) => k !== 'mobile_plan');
  if (kinds.length > 0) pool = pool.filter((o) => o.category !== null && (kinds as string[]).includes(o.category));
  else if (wanted.screen) pool = narrow(pool, (o) => o.category === null || SCREEN_KINDS.includes(o.category));
  if (pool.length === 0) return { kind: 'none' };

  // Model words ("Nova X5 Pro"): the most shared words, fewest unmentioned ones.
  const words = new Set(state.words);
  const score = (o: Order) => {
    const mw = modelWords(o.product).filter((w) => !/^\d+(gb|tb)?$/.test(w) || words.has(w));
    const shared = mw.filter((w) => words.has(w)).length;
    return shared === 0 ? 0 : shared - 0.1 * (mw.length - shared);
  };
  const best = Math.max(...pool.map(score));
  if (best > 0) pool = pool.filter((o) => score(o) === best);

  const when = state.when;
  if (when !== null) pool = narrow(pool, (o) => {
    const age = daysBetween(o.purchased_at, today);
    return age >= when.min && age <= when.max;
  });
  if (wanted.prefer) pool = narrow(pool, (o) => wanted.prefer!.includes(o.status));
  if (pool.length === 1) return { kind: 'one', order: pool[0]! };
  return { kind: 'many', options: [...pool].sort((a, b) => b.purchased_at.localeCompare(a.purchased_at)).slice(0, 4) };
}

/** Keeps the items that pass, unless none does (then the filter says nothing). */
function narrow<T>(items: T[], keep: (item: T) => boolean): T[] {
  const kept = items.filter(keep);
  return kept.length > 0 ? kept : items;
}

class AgentTurn {
  constructor(
    private readonly state: ConversationState,
    private readonly tools: ToolRunner,
    private readonly ctx: ReplyContext,
    private readonly today: string,
  ) {}

  private get lang(): Language {
    return this.ctx.lang;
  }

  private ref(o: Order): say.OrderRef {
    return { order_id: o.order_id, product: o.product, purchased_at: o.purchased_at };
  }

  /** Asking for the order, or saying it is not there; after asking once in vain, a person takes over. */
  private unresolved(pick: Exclude<Pick, { kind: 'one' }>, kindHint: string | null): Outcome {
    if (pick.kind === 'many' && this.state.lastAgent.askedWhich) return { parts: [], handoff: 'the order is still unclear after asking' };
    if (pick.kind === 'many') return { parts: [], question: say.askWhichOrder(this.ctx, pick.options.map((o) => this.ref(o))) };
    if (pick.kind === 'unknown_id') return { parts: [], question: say.unknownOrderNumber(this.ctx, pick.id) };
    return { parts: [], question: say.noMatchingOrder(this.ctx, kindHint) };
  }

  async run(): Promise<Outcome> {
    switch (this.state.intent) {
      case 'screen_repair':
      case 'warranty_claim':
        return this.repair();
      case 'refund_request':
        return this.refund();
      case 'cancel_order':
        return this.cancel();
      case 'change_address':
        return this.address();
      case 'delivery_delay':
        return this.delivery();
      case 'plan_recommendation':
        return this.plan();
      case 'complaint':
        return { parts: [this.lang === 'zh' ? '我已为您登记投诉，专人会在24小时内联系您。' : "I've logged this as a formal complaint, and a specialist will contact you within 24 hours."], handoff: 'complaint (policy 6.1)', queue: 'complaints' };
      case 'human_request':
        return { parts: [], handoff: 'the customer asked for a person' };
      case 'billing_dispute':
        return { parts: [], handoff: 'billing: charges cannot be checked with the tools' };
      case 'device_setup':
        return { parts: [], handoff: 'setup help: no knowledge-base tool' };
      default:
        if (this.state.lastAgent.askedWhat) return { parts: [], handoff: 'the request is still unclear after asking' };
        return { parts: [], question: say.askWhat(this.ctx) };
    }
  }

  private async repair(): Promise<Outcome> {
    const { state, ctx } = this;
    const screen = state.intent === 'screen_repair' || state.problem?.kind === 'screen_damage';
    const lookup = await this.tools.call('lookup_customer', {});
    const pick = pickOrder(state, lookup.orders, this.today, { devices: true, screen });
    if (pick.kind !== 'one') return this.unresolved(pick, state.kinds.find((k) => k !== 'mobile_plan') ?? null);
    const order = pick.order;
    const warranty = await this.tools.call('check_warranty', { order_id: order.order_id });
    if (!warranty.ok) return { parts: [], handoff: `warranty lookup refused: ${warranty.message}` };
    const issueKind = state.problem?.kind ?? (screen ? 'screen_damage' : 'hardware_fault');
    const accidental = state.problem?.accidental ?? false;
    const issue = (state.problem?.text ?? state.customerTurns[0] ?? '').slice(0, 500) || issueKind;
    const coverage = repairCoverage(ctx.policy, warranty.status === 'in_warranty', issueKind, accidental);
    if (coverage.covered) {
      const ticket = await this.tools.call('create_repair_ticket', { order_id: order.order_id, issue, issue_kind: issueKind, accidental });
      if (!ticket.ok) return { parts: [], handoff: `repair ticket refused: ${ticket.message}` };
      return {
        parts: say.repairInWarranty(ctx, { product: warranty.product, purchased_at: warranty.purchased_at, expires_on: warranty.expires_on, screen: issueKind === 'screen_damage', accidental, ticket_id: ticket.ticket_id, existing: ticket.existing, days: ticket.repair_business_days }),
      };
    }
    // A paid repair is booked only once the customer accepts the offer made in the previous turn.
    if (state.lastAgent.offeredPaidRepair && state.latest.affirm) {
      const ticket = await this.tools.call('create_repair_ticket', { order_id: order.order_id, issue, issue_kind: issueKind, accidental, accept_paid: true });
      if (!ticket.ok) return { parts: [], handoff: `repair ticket refused: ${ticket.message}` };
      return { parts: say.paidRepairBooked(ctx, { product: warranty.product, ticket_id: ticket.ticket_id, days: ticket.repair_business_days }) };
    }
    if (state.lastAgent.offeredPaidRepair && state.latest.deny) return { parts: say.repairDeclined(ctx) };
    const offer = say.paidRepairOffer(ctx, {
      product: warranty.product,
      purchased_at: warranty.purchased_at,
      expires_on: warranty.expires_on,
      why: coverage.why,
      issue,
      freeDiagnosis: ctx.policy.warranty.free_diagnosis,
    });
    return { parts: offer.slice(0, -1), question: offer.slice(-1) };
  }

  private async refund(): Promise<Outcome> {
    const { state, ctx } = this;
    const lookup = await this.tools.call('lookup_customer', {});
    const pick = pickOrder(state, lookup.orders, this.today, { devices: false });
    if (pick.kind !== 'one') return this.unresolved(pick, state.kinds[0] ?? null);
    const order = pick.order;
    if (order.status === 'processing') return this.cancelOrder(order);
    const defect = state.problem !== null && ['hardware_fault', 'screen_damage'].includes(state.problem.kind);
    const reason = defect ? 'defect' : 'changed_mind';
    const r = await this.tools.call('create_return', { order_id: order.order_id, reason });
    if (r.ok) return { parts: say.returnAccepted(ctx, { order: this.ref(order), kind: r.kind, return_id: r.return_id, amount: r.refund_amount, days: r.refund_business_days, windows: ctx.policy.returns }) };
    if (r.refused === 'outside_window') {
      return { parts: say.returnRefused(ctx, { order: this.ref(order), days: r.days_since_purchase ?? daysBetween(order.purchased_at, this.today), reason, inWarranty: r.in_warranty ?? false, windows: ctx.policy.returns }) };
    }
    return { parts: [], handoff: `return refused: ${r.message}` };
  }

  private async cancel(): Promise<Outcome> {
    const lookup = await this.tools.call('lookup_customer', {});
    const pick = pickOrder(this.state, lookup.orders, this.today, { devices: false, prefer: ['processing', 'shipped'] });
    if (pick.kind !== 'one') return this.unresolved(pick, this.state.kinds[0] ?? null);
    return this.cancelOrder(pick.order);
  }

  private async cancelOrder(order: Order): Promise<Outcome> {
    const r = await this.tools.call('cancel_order', { order_id: order.order_id });
    if (r.ok) return { parts: say.cancelled(this.ctx, { order: this.ref(order), amount: r.refund_amount, days: r.refund_business_days }) };
    if (r.refused === 'already_shipped') return { parts: say.cancelRefusedShipped(this.ctx, { order: this.ref(order), days: this.ctx.policy.returns.refund_business_days, noReasonDays: this.ctx.policy.returns.no_reason_days }) };
    return { parts: [], handoff: `cancellation refused: ${r.message}` };
  }

  private async address(): Promise<Outcome> {
    const { state } = this;
    const lookup = await this.tools.call('lookup_customer', {});
    const pick = pickOrder(state, lookup.orders, this.today, { devices: false, prefer: ['processing', 'shipped'] });
    const newAddress = state.address;
    if (pick.kind !== 'one') {
      if (newAddress === null && pick.kind !== 'unknown_id') {
        if (state.lastAgent.askedAddress) return { parts: [], handoff: 'order and address still missing after asking' };
        return { parts: [], question: say.askAddress(this.ctx, null) };
      }
      return this.unresolved(pick, state.kinds[0] ?? null);
    }
    if (newAddress === null) {
      if (state.lastAgent.askedAddress) return { parts: [], handoff: 'the new address is still missing after asking' };
      return { parts: [], question: say.askAddress(this.ctx, this.ref(pick.order)) };
    }
    const r = await this.tools.call('change_delivery_address', { order_id: pick.order.order_id, address: newAddress });
    if (r.ok) return { parts: say.addressChanged(this.ctx, { order: this.ref(pick.order), address: r.address }) };
    if (r.refused === 'already_shipped') return { parts: say.addressRefusedShipped(this.ctx, { order: this.ref(pick.order), extraDays: r.redirect_extra_days ?? this.ctx.policy.delivery.redirect_extra_days }) };
    return { parts: [], handoff: `address change refused: ${r.message}` };
  }

  private async delivery(): Promise<Outcome> {
    const tracking = this.state.logged.tracking;
    if (tracking !== null) return { parts: say.trackingAnswer(this.ctx, tracking) };
    // No tracking tool: the courier's record is a fact the agent would have to guess (template rule 4).
    const lookup = await this.tools.call('lookup_customer', {});
    const pick = pickOrder(this.state, lookup.orders, this.today, { devices: false, prefer: ['shipped', 'processing'] });
    const zh = this.lang === 'zh';
    const which = pick.kind === 'one' ? (zh ? `订单${pick.order.order_id}` : `order ${pick.order.order_id}`) : zh ? '您的包裹' : 'your parcel';
    return {
      parts: [zh ? `让您久等了，真的很抱歉。我这边查不到${which}的物流详情。` : `I'm sorry you're still waiting. I can't see the courier's tracking for ${which} from here.`],
      handoff: 'delivery delay: tracking is not available to the agent',
    };
  }

  private async plan(): Promise<Outcome> {
    const { state } = this;
    if (state.dataGb === null) {
      if (state.lastAgent.askedUsage) return { parts: [], handoff: 'data use still unknown after asking' };
      return { parts: [], question: say.askUsage(this.ctx) };
    }
    const r = await this.tools.call('recommend_plan', { data_gb: state.dataGb, ...(state.minutes === null ? {} : { minutes: state.minutes }) });
    return { parts: say.planRecommendation(this.ctx, { dataGb: state.dataGb, plan: r.plan, current: r.current_plan, effective_from: r.effective_from }) };
  }
}

function join(lang: Language, parts: readonly string[]): string {
  return parts.map((p) => p.trim()).filter((p) => p !== '').join(lang === 'zh' ? '' : ' ');
}

function emptySeed(c: SuiteCase): BackOfficeState {
  return BackOfficeState.parse({ today: c.contact_date, customer: { customer_id: 'unknown', tier: 'standard', language: c.language }, orders: [], tickets: [], returns: [], address_changes: [], transfers: [] });
}

/** The case's turns, its customer's latest message last (a case's history may stop before it). */
function turnsOf(c: SuiteCase): SuiteCase['history'] {
  const turns = [...c.history];
  const lastCustomer = [...turns].reverse().find((t) => t.role === 'customer');
  if (lastCustomer?.text !== c.customer_message && c.customer_message.trim() !== '') turns.push({ role: 'customer', text: c.customer_message });
  return turns;
}

export async function answerCase(c: SuiteCase, template: PromptTemplate, options: LocalAgentOptions = {}, signal?: AbortSignal): Promise<GenerateResult> {
  const lang = c.language;
  const policy = policyFromTemplate(template);
  const state = conversationState(turnsOf(c), lang, c.contact_date);
  const sandbox = options.sandboxFor?.(c, policy) ?? createSandbox(c.customer === null ? emptySeed(c) : seedFromCustomer(c.customer, c.contact_date, { statuses: state.logged.statuses }), policy);
  const tools = createToolRunner({ sandbox, ...(options.bindings ? { bindings: options.bindings } : {}), ...(options.fetch ? { fetch: options.fetch } : {}), ...(signal ? { signal } : {}) });
  const ctx: ReplyContext = { lang, style: template.style, policy };
  const tier = c.customer?.tier ?? null;

  const decision = decideHandoff({ language: lang, customerTurns: state.customerTurns, tier, predictedIntent: state.intent ?? undefined }, options.rules);
  let outcome: Outcome;
  if (decision?.reason === 'explicit_request') outcome = { parts: [], handoff: 'the customer asked for a person' };
  else {
    outcome = await new AgentTurn(state, tools, ctx, c.contact_date).run();
    // Angry, complaining or VIP-complex: first whatever the record and policy settle, then a person.
    if (decision !== null) outcome = { parts: outcome.parts, handoff: outcome.handoff ?? decision.reason.replace('_', ' '), queue: outcome.queue ?? (decision.queue === 'complaints' ? 'complaints' : 'default') };
  }

  const greeting = state.firstReply && template.greeting ? [template.greeting[lang]] : [];
  let text: string;
  if (outcome.handoff !== undefined) {
    const queues = template.escalation.queues;
    const queue = tier === 'vip' ? queues.vip : outcome.queue === 'complaints' ? queues.complaints : queues.default;
    const intent = state.intent;
    const done = tools.calls.filter((call) => (call.result as { ok?: boolean }).ok === true && !['lookup_customer', 'check_warranty'].includes(call.name)).map((call) => call.name);
    const orderId = (tools.calls.find((call) => 'order_id' in call.arguments)?.arguments.order_id as string | undefined) ?? null;
    await tools.call('transfer_to_human', { queue, summary: say.transferSummary(lang, { intent, reason: outcome.handoff, orderId, done, latest: state.customerTurns.at(-1) ?? '' }) });
    const unclear = intent === null || outcome.handoff.includes('still');
    const message = unclear ? template.fallback_message[lang] : template.escalation.message[lang];
    text = `${join(lang, [...greeting, ...outcome.parts, message])} [[handoff:${queue}]]`;
  } else if (outcome.question !== undefined) {
    text = join(lang, [...greeting, ...outcome.parts, ...outcome.question]);
  } else {
    text = join(lang, [...greeting, ...outcome.parts, ...(template.sign_off ? [template.sign_off[lang]] : [])]);
  }
  return { text, model: LOCAL_AGENT_ID, tool_calls: [...tools.calls] };
}

export function createLocalAgentProvider(options: LocalAgentOptions = {}): Provider {
  return {
    id: LOCAL_AGENT_ID,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      if (request.signal?.aborted) throw abortedError(LOCAL_AGENT_ID);
      if (request.case === undefined || request.template === undefined) {
        throw new AppError('usage', `${LOCAL_AGENT_ID} answers from the case and the prompt template: pass request.case and request.template`);
      }
      return answerCase(request.case, request.template, options, request.signal);
    },
  };
}
