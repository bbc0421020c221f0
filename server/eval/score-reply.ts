// A reply scored by every scorer, in process or in the scoring worker alike: a scorer that throws
// scores 0 with its message as the reason and is listed as failed (the case then counts as failed).
// With the scores comes what the case needed of the reply (a hand-off or not), which the scorers
// have just worked out: the run's summary takes it from here rather than work it out again on the
// thread that drives the model calls.
import type { ScoreInput, ScoreResult, Scorer } from '../domain/eval.ts';
import { escalationExpectation } from '../scorers/escalation-expectation.ts';

export interface ScorerFailure {
  scorer: string;
  message: string;
}

export interface ReplyScores {
  scores: Record<string, ScoreResult>;
  /** Scorers that threw (their score is 0 and the case counts as failed). */
  failures: ScorerFailure[];
  /** Whether the case needed a hand-off from this reply's author, and whether anyone knows (RunSummaryFacts.escalation). */
  escalation: { expected: boolean; known: boolean };
}

export async function scoreReply(scorers: readonly Scorer[], input: ScoreInput): Promise<ReplyScores> {
  const scores: Record<string, ScoreResult> = {};
  const failures: ScorerFailure[] = [];
  for (const scorer of scorers) {
    try {
      scores[scorer.name] = await scorer.score(input);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      scores[scorer.name] = { score: 0, pass: false, reason: `scorer failed: ${message}` };
      failures.push({ scorer: scorer.name, message });
    }
  }
  const { expected, known } = escalationExpectation(input.case, input);
  return { scores, failures, escalation: { expected, known } };
}

/** `scorer fcr failed: …` or `scorers fcr, tone failed: <the first message>`; null when none failed. */
export function scoringError(failures: readonly ScorerFailure[]): string | null {
  if (failures.length === 0) return null;
  const names = failures.map((f) => f.scorer).join(', ');
  return `scorer${failures.length > 1 ? 's' : ''} ${names} failed: ${failures[0]!.message}`;
}
