// Training examples before they take a file format's shape: one supervised conversation or one
// preference pair per labeled dialogue, and why a dialogue gave none. No I/O.
import { z } from 'zod';
import type { ChatMessage } from '../domain/eval.ts';

export const FINETUNE_FORMATS = ['openai', 'openai-dpo', 'trl', 'trl-preference', 'sharegpt', 'alpaca'] as const;
export const FinetuneFormat = z.enum(FINETUNE_FORMATS);
export type FinetuneFormat = z.infer<typeof FinetuneFormat>;

export const EXCLUSION_REASONS = [
  'in_suite',
  'near_duplicate_of_suite',
  'no_customer_turn',
  'no_agent_reply',
  'incorrect_without_reference',
  'not_approved_without_reference',
  'unmaskable_bad_turn',
  'no_rejected_reply',
  'no_reference_answer',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface Exclusion {
  dialogue_id: string;
  reason: ExclusionReason;
  detail?: string;
}

export interface ExampleMeta {
  dialogue_id: string;
  intent: string;
  language: string;
  channel: string;
}

/** A user or assistant message of the conversation; weight 0 marks an assistant turn not to learn from. */
export interface WeightedMessage {
  role: 'user' | 'assistant';
  content: string;
  weight: 0 | 1;
}

interface Prompted {
  meta: ExampleMeta;
  /** The system prompt as production renders it. */
  system: string;
  /** The template's few-shot pairs for the dialogue's language (never learned: they repeat in every example). */
  few_shot: ChatMessage[];
  /** The conversation through the customer's last message (ends with a user message). */
  history: WeightedMessage[];
}

export interface SftExample extends Prompted {
  kind: 'sft';
  reply: string;
  reply_source: 'logged' | 'reference';
}

export interface PreferenceExample extends Prompted {
  kind: 'preference';
  chosen: string;
  rejected: string;
}

export type TrainingExample = SftExample | PreferenceExample;
