// The canonical dialogue and customer formats of DESIGN.md, as zod schemas (no I/O).
import { z } from 'zod';

export const TURN_ROLES = ['customer', 'agent', 'tool', 'system'] as const;
export const TurnRole = z.enum(TURN_ROLES);
export type TurnRole = z.infer<typeof TurnRole>;

export const LANGUAGES = ['zh', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const AGENT_KINDS = ['human', 'bot'] as const;
export const AgentKind = z.enum(AGENT_KINDS);

/** Where a dialogue came from: an importer name, or `production` for logged answer-endpoint traffic. */
export const SOURCES = ['jsonl', 'csv', 'bitext', 'taubench', 'abcd', 'dstc11', 'synthetic', 'production'] as const;
export const Source = z.enum(SOURCES);
export type Source = z.infer<typeof Source>;

/** ISO-8601 timestamp with an offset (or Z); kept as text so the customer's local offset survives. */
export const Timestamp = z.iso.datetime({ offset: true, local: false });

export const MAX_TURNS = 2000;
export const MAX_TEXT = 100_000;

export const Turn = z.object({
  role: TurnRole,
  text: z.string().max(MAX_TEXT).refine((s) => s.trim().length > 0, 'text is empty'),
  at: Timestamp.optional(),
  agent_kind: AgentKind.optional(),
  name: z.string().max(200).optional(),
});
export type Turn = z.infer<typeof Turn>;

export const Outcome = z.object({
  escalated: z.boolean().optional(),
  resolved: z.boolean().optional(),
  csat: z.number().int().min(1).max(5).optional(),
});
export type Outcome = z.infer<typeof Outcome>;

export const DialogueId = z.string().min(1).max(200);

/** A dialogue as it arrives (canonical JSONL line); optional fields may be absent. */
export const DialogueInput = z.object({
  id: DialogueId,
  channel: z.string().min(1).max(40).default('unknown'),
  customer_id: z.string().min(1).max(200).optional(),
  language: Language.optional(),
  started_at: Timestamp.optional(),
  turns: z.array(Turn).min(1, 'a dialogue needs at least one turn').max(MAX_TURNS),
  outcome: Outcome.optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
});
export type DialogueInput = z.input<typeof DialogueInput>;
export type ParsedDialogue = z.output<typeof DialogueInput>;

/** A stored dialogue: language is always known and the source is recorded. */
export const Dialogue = DialogueInput.extend({
  language: Language,
  source: Source,
  content_hash: z.string(),
});
export type Dialogue = z.infer<typeof Dialogue>;

export const CUSTOMER_TIERS = ['standard', 'silver', 'gold', 'vip'] as const;
export const CustomerTier = z.enum(CUSTOMER_TIERS);
export type CustomerTier = z.infer<typeof CustomerTier>;

export const Purchase = z.object({
  product: z.string().min(1).max(200),
  purchased_at: z.iso.date(),
  warranty_months: z.number().int().min(0).max(240),
  order_id: z.string().max(100).optional(),
  category: z.string().max(60).optional(),
  price: z.number().nonnegative().optional(),
});
export type Purchase = z.infer<typeof Purchase>;

/** The CRM profile, the sibling format of dialogues (one JSON object per line with `customer_id`, no `turns`). */
export const Customer = z.object({
  customer_id: z.string().min(1).max(200),
  name: z.string().max(200).optional(),
  tier: CustomerTier.default('standard'),
  language: Language.optional(),
  since: z.iso.date().optional(),
  purchases: z.array(Purchase).max(1000).default([]),
});
export type CustomerInput = z.input<typeof Customer>;
export type Customer = z.output<typeof Customer>;
