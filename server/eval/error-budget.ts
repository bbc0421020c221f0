// How many failed cases a run may have and still count as complete (`--max-errors N|P%`), and the
// sentence that says why a run is incomplete. A case fails when it could not be run (the call failed
// after its retries, no recorded response) or could not be scored (a scorer or the judge failed).
// Pure.
import { usageError } from '../domain/errors.ts';
import type { Completeness } from '../domain/runs-api.ts';

export type ErrorBudget = { kind: 'count'; n: number } | { kind: 'percent'; p: number };

/** The default: any failed case makes the run incomplete. */
export const NO_ERRORS: ErrorBudget = Object.freeze({ kind: 'count', n: 0 });

/** `3` -> at most 3 failed cases; `5%` -> at most 5% of them. Anything else is a usage error. */
export function parseMaxErrors(text: string): ErrorBudget {
  const t = text.trim();
  const count = /^\d+$/.exec(t);
  if (count) return { kind: 'count', n: Number(t) };
  const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(t);
  if (percent && Number(percent[1]) <= 100) return { kind: 'percent', p: Number(percent[1]) };
  throw usageError(`--max-errors wants a number of cases (e.g. 3) or a percentage from 0% to 100% (e.g. 5%), got "${text}"`);
}

export function formatBudget(budget: ErrorBudget): string {
  return budget.kind === 'count' ? String(budget.n) : `${budget.p}%`;
}

/** The most failed results a run of `total` results may have. */
export function allowedErrors(budget: ErrorBudget, total: number): number {
  return budget.kind === 'count' ? budget.n : Math.floor((budget.p / 100) * total + 1e-9);
}

export function checkCompleteness(
  input: { errors: number; total: number; first_error: string | null; unit?: 'cases' | 'trials' },
  budget: ErrorBudget = NO_ERRORS,
): Completeness {
  const allowed = allowedErrors(budget, input.total);
  const complete = input.errors <= allowed;
  const unit = input.unit ?? 'cases';
  const over = budget.kind === 'count' && budget.n === 0 ? '' : `, more than --max-errors ${formatBudget(budget)} allows`;
  const first = input.first_error ? ` (first error: ${oneLine(input.first_error)})` : '';
  return {
    complete,
    errors: input.errors,
    total: input.total,
    allowed,
    max_errors: formatBudget(budget),
    first_error: input.first_error,
    reason: complete ? null : `${input.errors} of ${input.total} ${unit} failed${over}${first}`,
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 297)}…` : flat;
}

/**
 * Why a finished run cannot be trusted, or null when it can: it ended `incomplete`, or it is an
 * older `done` run (stored before runs recorded their completeness) with any failed case.
 */
export function incompleteReason(run: {
  status: string;
  summary: { errors: number; trials: number; first_error?: string | null; completeness?: Completeness } | null;
}): string | null {
  if (run.status === 'incomplete') return run.summary?.completeness?.reason ?? 'the run is incomplete';
  if (run.status !== 'done' || !run.summary || run.summary.completeness) return null;
  return checkCompleteness({ errors: run.summary.errors, total: run.summary.trials, first_error: run.summary.first_error ?? null }).reason;
}
