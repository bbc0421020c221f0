// What a scenario (one intent's script family) gives the dialogue builder, and the shared enums.
import type { Language } from '../domain/dialogue.ts';
import type { MobilePlan, Product } from './catalog.ts';
import type { PiiKind } from './pii.ts';
import type { Rng, Weighted } from './rng.ts';

export const INTENTS = [
  'screen_repair', 'warranty_claim', 'refund_request', 'delivery_delay', 'plan_recommendation',
  'billing_dispute', 'device_setup', 'cancel_order', 'change_address', 'complaint', 'human_request',
] as const;
export type Intent = (typeof INTENTS)[number];

export const EMOTIONS = ['calm', 'frustrated', 'angry'] as const;
export type Emotion = (typeof EMOTIONS)[number];

export const AGENT_QUALITIES = ['good', 'curt', 'wrong', 'rude'] as const;
export type AgentQuality = (typeof AGENT_QUALITIES)[number];

export const CHANNELS = ['web', 'app', 'wechat', 'phone'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One CRM purchase while the corpus is being planned (day numbers, not strings). */
export interface PurchaseRecord {
  product?: Product;
  plan?: MobilePlan;
  name: string;
  category: string;
  day: number;
  warrantyMonths: number;
  orderId: string;
  price: number;
}

/** What an episode needs from the customer's record, decided when the customer is planned. */
export type PurchaseNeed =
  | { kind: 'device'; product: Product; daysBefore: number; warrantyMonths: number }
  | { kind: 'plan' };

export interface EpisodePlan {
  variant: string;
  need?: PurchaseNeed;
}

export interface PersonInfo {
  fullName: string;
  surname: string;
  /** How an agent addresses the customer: 王女士, Mr. Smith. */
  address: string;
  tier: 'standard' | 'silver' | 'gold' | 'vip';
  birthDay: number;
  /** The customer's own phone (11 digits for mainland numbers) and e-mail, stable across contacts. */
  phone: string;
  email: string;
}

export interface BuildContext {
  /** Phrasing: differs between an episode's first contact and its repeat. */
  rng: Rng;
  /** Facts of the case (which fault, which tracking number): the same for every contact of an episode. */
  caseRng: Rng;
  zh: boolean;
  language: Language;
  offsetMin: number;
  /** Local day number of this dialogue and of the episode's first contact (policies run from it). */
  day: number;
  episodeDay: number;
  variant: string;
  purchase: PurchaseRecord | undefined;
  mobilePlan: PurchaseRecord | undefined;
  person: PersonInfo;
}

/** The final agent reply in every quality, plus the ground truth a correct reply must contain. */
export interface Answer {
  reference: string;
  good: string;
  facts: readonly string[];
  curt: string;
  wrong: string;
  rude: string;
}

export type PiiContext = 'order' | 'refund' | 'billing' | 'identity' | 'none';

export interface ScenarioScript {
  scenario: string;
  /** The customer's first message, before emotional colouring; no final punctuation unless a question. */
  opener: string;
  /** The agent's request for details and the customer's reply (omitted in short dialogues). */
  ask?: string;
  details?: string;
  /** Always include the ask/details exchange (the case makes no sense without it). */
  askRequired?: boolean;
  pii: PiiContext;
  /** Personal data the scenario's own text already contains (e.g. a new delivery address). */
  ownPii?: readonly PiiKind[];
  clarify?: readonly [agent: string, customer: string];
  tool?: { name: string; payload: Record<string, unknown> };
  answer: Answer;
  /** The case itself needs a human (complaint, explicit request), whatever the emotion. */
  escalate?: boolean;
  /** The correct answer must apologise (delays), so the builder's empathy always does. */
  apologise?: boolean;
  /** The answer already says it transfers (explicit request for a human). */
  transferInAnswer?: boolean;
  /** A good answer settles it (false for cases only a human can settle). */
  resolvable: boolean;
  meta?: Record<string, unknown>;
}

export interface ScenarioDef {
  intent: Intent;
  emotions: Weighted<Emotion>;
  /** Only a chat bot meets this case (explicit requests for a human). */
  botOnly?: boolean;
  plan(rng: Rng, zh: boolean): EpisodePlan;
  build(ctx: BuildContext): ScenarioScript;
}
