// Per-candidate summary of simulated conversations: goal success, FCR, pass^k (DESIGN.md: mean over
// scenarios of C(c,k)/C(n,k)), turns, handling time, repeated asks, escalation accuracy and tone, each
// with a 95% interval, overall and by language and intent. Trials of one scenario are not independent,
// so every interval is over scenarios (each scenario's mean over its trials), not over conversations.
import { meanConfidenceInterval, wilsonInterval, type Interval } from '../metrics/confidence-interval.ts';
import { casePassHatK } from '../metrics/pass-at-k.ts';
import type { ConversationResult } from './run-conversation.ts';

export interface ConversationMetrics {
  /** Scenarios, and conversations (scenarios × trials). */
  scenarios: number;
  conversations: number;
  /** The k of pass_k: the fewest trials any scenario had (unless set). */
  k: number;
  goal_success: Interval | null;
  fcr: Interval | null;
  pass_k: Interval | null;
  turns: Interval | null;
  handling_time_s: Interval | null;
  repeated_asks: Interval | null;
  escalation_accuracy: Interval | null;
  tone: Interval | null;
  /** Conversations that ended in a provider or simulator error (counted as not meeting the goal). */
  errors: number;
  /** How conversations ended (goal_met, handed_off, gave_up, max_turns, error, …). */
  ended: Record<string, number>;
}

export interface CandidateConversationSummary extends ConversationMetrics {
  candidate: string;
  model: string;
  by_language: Record<string, ConversationMetrics>;
  by_intent: Record<string, ConversationMetrics>;
}

/** A 0–1 mean over scenarios: Wilson when every scenario is all-pass or all-fail (t would give a zero-width interval), else Student t clipped to [0, 1]. */
function shareInterval(values: readonly number[]): Interval | null {
  if (values.length === 0) return null;
  if (values.every((v) => v === 0 || v === 1)) return wilsonInterval(values.filter((v) => v === 1).length, values.length);
  return meanConfidenceInterval(values, { range: [0, 1] });
}

/** A mean of counts or seconds (never below 0; one scenario leaves the upper end unbounded). */
function countInterval(values: readonly number[]): Interval | null {
  const interval = meanConfidenceInterval(values);
  return interval === null ? null : { ...interval, low: Math.max(0, interval.low) };
}

const meanOf = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

export function conversationMetrics(results: readonly ConversationResult[], k?: number): ConversationMetrics {
  const byScenario = new Map<string, ConversationResult[]>();
  for (const r of results) byScenario.set(r.scenario_id, [...(byScenario.get(r.scenario_id) ?? []), r]);
  const groups = [...byScenario.values()];
  const kk = k ?? (groups.length === 0 ? 1 : Math.min(...groups.map((g) => g.length)));
  const per = (f: (r: ConversationResult) => number | null) =>
    groups.flatMap((g) => {
      const values = g.map(f).filter((v): v is number => v !== null);
      return values.length === 0 ? [] : [meanOf(values)];
    });
  const ended: Record<string, number> = {};
  for (const r of results) ended[r.ended] = (ended[r.ended] ?? 0) + 1;
  return {
    scenarios: groups.length,
    conversations: results.length,
    k: kk,
    goal_success: shareInterval(per((r) => (r.judgement.goal_met ? 1 : 0))),
    fcr: shareInterval(per((r) => (r.judgement.fcr ? 1 : 0))),
    pass_k: shareInterval(groups.filter((g) => g.length >= kk).map((g) => casePassHatK(g.length, g.filter((r) => r.judgement.goal_met).length, kk))),
    turns: countInterval(per((r) => r.judgement.agent_turns)),
    handling_time_s: countInterval(per((r) => r.judgement.handling_time_s)),
    repeated_asks: countInterval(per((r) => r.judgement.repeated_asks)),
    escalation_accuracy: shareInterval(per((r) => (r.judgement.escalation_correct ? 1 : 0))),
    tone: shareInterval(per((r) => r.judgement.tone)),
    errors: results.filter((r) => r.ended === 'error').length,
    ended,
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** One summary per candidate (in first-seen order), with the same k everywhere (the overall one unless given). */
export function summarizeConversations(results: readonly ConversationResult[], options: { k?: number } = {}): CandidateConversationSummary[] {
  return [...groupBy(results, (r) => r.candidate).entries()]
    .sort(([a], [b]) => results.findIndex((r) => r.candidate === a) - results.findIndex((r) => r.candidate === b))
    .map(([candidate, rs]) => {
      const overall = conversationMetrics(rs, options.k);
      const sub = (key: (r: ConversationResult) => string) => Object.fromEntries([...groupBy(rs, key)].map(([name, group]) => [name, conversationMetrics(group, Math.min(overall.k, minTrials(group)))]));
      return { candidate, model: rs[0]!.model, ...overall, by_language: sub((r) => r.language), by_intent: sub((r) => r.intent) };
    });
}

function minTrials(results: readonly ConversationResult[]): number {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.scenario_id, (counts.get(r.scenario_id) ?? 0) + 1);
  return Math.min(...counts.values());
}
