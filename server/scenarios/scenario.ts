// A scenario for a simulated conversation: a customer's goal, persona and what they know, their CRM
// record as of the contact date, their script, and what the sandboxed back office should look like
// at the end (judged as τ-bench judges: by the final state). No I/O.
import { z } from 'zod';
import { Customer, CustomerTier, Language } from '../domain/dialogue.ts';
import { ExpectedState, OrderStatus } from '../tools/sandbox.ts';

/** What the customer should end up with; the offline simulator listens for the bot confirming it. */
export const GOAL_OUTCOMES = [
  'repair_ticket', // a free repair ticket (in warranty, covered)
  'paid_repair', // a paid repair booked after the customer accepted the offer
  'repair_declined', // a paid repair offered, the customer said no: nothing booked
  'return', // a return with refund opened
  'refund_refused', // outside the windows: refused, with the reason
  'cancelled',
  'cancel_refused', // already shipped: refuse the delivery or return it
  'address_changed',
  'address_refused', // already shipped: the courier redirects it
  'plan_recommended',
  'human_handoff', // a person takes over (complaints, explicit requests)
  'information', // an answer, no back-office change
] as const;
export const GoalOutcome = z.enum(GOAL_OUTCOMES);
export type GoalOutcome = z.infer<typeof GoalOutcome>;

export const EMOTIONS = ['calm', 'frustrated', 'angry'] as const;
export const Emotion = z.enum(EMOTIONS);
export type Emotion = z.infer<typeof Emotion>;

export const ScenarioGoal = z.strictObject({
  /** The intent key (screen_repair, refund_request, …). */
  intent: z.string().min(1).max(80),
  outcome: GoalOutcome,
  /** What should happen, in words a reviewer (or an LLM customer) reads. */
  description: z.string().min(1).max(1000),
});
export type ScenarioGoal = z.infer<typeof ScenarioGoal>;

export const Persona = z.strictObject({
  emotion: Emotion.default('calm'),
  /** How many needless questions or ignored requests the customer takes before asking for a person (1–5). */
  patience: z.number().int().min(1).max(5).default(3),
  tier: CustomerTier.default('standard'),
});
export type Persona = z.infer<typeof Persona>;

/** What the customer can answer when asked, in their own words. */
export const CustomerKnows = z.strictObject({
  order_id: z.string().min(1).max(100).optional(),
  /** How they name the item: "my Nova X5 phone", "我的Nova X5手机". */
  product: z.string().min(1).max(200).optional(),
  /** When they bought it, as they say it: "three weeks ago", "三周前". */
  bought: z.string().min(1).max(100).optional(),
  /** The problem, as they describe it. */
  problem: z.string().min(1).max(500).optional(),
  new_address: z.string().min(4).max(300).optional(),
  data_gb: z.number().min(0).max(10_000).optional(),
  minutes: z.number().int().min(0).max(100_000).optional(),
  phone: z.string().min(1).max(40).optional(),
  /** Yes or no to an offer (a paid repair, a booking), as the goal wants. */
  accepts_offer: z.boolean().default(true),
});
export type CustomerKnows = z.infer<typeof CustomerKnows>;

export const ScenarioExpectation = z.strictObject({
  /**
   * The back office's end state (see ExpectedState: listed records must exist, unlisted collections
   * must have no new records). Null when unknown (a labeled dialogue that says nothing of it): the goal
   * is then judged on the escalation decision and the required facts.
   */
  state: ExpectedState.nullable().default(null),
  /** Should a person take over? */
  escalation: z.boolean(),
  /** Facts a good agent states at some point (reported as coverage; part of the goal when state is null). */
  required_facts: z.array(z.string().min(1).max(300)).max(30).default([]),
  /** Phrases the agent must say for the goal to count (e.g. the recommended plan's name). */
  must_say: z.array(z.string().min(1).max(300)).max(30).default([]),
  /** The logged or labeled outcome, when the scenario comes from a dialogue. */
  resolved: z.boolean().nullable().default(null),
});
export type ScenarioExpectation = z.infer<typeof ScenarioExpectation>;

export const SCENARIO_SOURCES = ['file', 'synthetic', 'labeled'] as const;

export const Scenario = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a scenario id is letters, digits, dot, dash, underscore').max(200),
    /** Bump when the scenario's meaning changes; the set's hash changes with any edit anyway. */
    version: z.number().int().min(1).default(1),
    source: z.enum(SCENARIO_SOURCES).default('file'),
    /** The dialogue it was derived from. */
    source_dialogue_id: z.string().nullable().default(null),
    language: Language,
    channel: z.string().min(1).max(40).default('web'),
    /** The customer's local date of the contact: warranty and windows are judged as of it. */
    contact_date: z.iso.date(),
    goal: ScenarioGoal,
    persona: Persona.default({ emotion: 'calm', patience: 3, tier: 'standard' }),
    knows: CustomerKnows.default({ accepts_offer: true }),
    /** The CRM record as of the contact date (no purchase after it); null for an unknown customer. */
    customer: Customer.nullable(),
    /** Fulfilment statuses the record does not hold (else inferred from purchase age), by order id. */
    order_statuses: z.record(z.string(), OrderStatus).default({}),
    /** The customer's turns: the first opens the conversation; the rest are said when the bot asks nothing they can answer. */
    script: z.array(z.string().min(1).max(2000)).min(1).max(20),
    expected: ScenarioExpectation,
    /** Agent replies after which the conversation stops anyway. */
    max_turns: z.number().int().min(1).max(30).default(8),
    tags: z.array(z.string().min(1).max(60)).max(20).default([]),
  })
  .superRefine((s, ctx) => {
    for (const [i, p] of (s.customer?.purchases ?? []).entries()) {
      if (p.purchased_at > s.contact_date) {
        ctx.addIssue({ code: 'custom', path: ['customer', 'purchases', i, 'purchased_at'], message: `bought after the contact date ${s.contact_date}: the record is as of the contact date` });
      }
    }
  });
export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
