// Training examples before they take a file format's shape: one supervised conversation or one
// preference pair per labeled dialogue (formats and exclusion reasons: server/domain/finetune.ts). No I/O.
import type { ChatMessage } from '../domain/eval.ts';

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
