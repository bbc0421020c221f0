// What a simulated customer is: given the conversation so far, their next message, or a stop.
import type { Turn } from '../domain/dialogue.ts';
import type { Emotion, Scenario } from '../scenarios/scenario.ts';

export const STOP_REASONS = ['goal_met', 'gave_up', 'customer_done', 'script_end'] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export interface CustomerMove {
  /** What the customer says; null when they leave without a word. */
  text: string | null;
  /** The customer ends the conversation (after `text`, if any). */
  stop: boolean;
  reason?: StopReason;
  /** The customer's state after this move (the offline simulator tracks it; an LLM one does not). */
  emotion?: Emotion;
  patience?: number;
  /** What happened this move, for the transcript: repeated_ask, ignored, asked_for_human, … */
  events?: string[];
}

export interface CustomerSession {
  /** The next move, given every turn so far (customer, agent and tool turns); [] for the opener. */
  next(turns: readonly Turn[], signal?: AbortSignal): Promise<CustomerMove>;
}

/** Makes one customer for one trial of a scenario. */
export interface CustomerSimulator {
  /** `offline` or `llm:<provider id>`. */
  readonly id: string;
  start(scenario: Scenario, options: { seed: number; trial: number }): CustomerSession;
}
