// How far to trust an automatic scorer: its verdicts on the logged human replies against the
// reviewers' gold labels — Cohen's kappa and a confusion matrix for FCR and accuracy, Spearman's
// rho (and weighted kappa on the 1–5 scale) for tone.
import { usageError } from '../domain/errors.ts';
import { parseReply, type Scorer, type SuiteCase } from '../domain/eval.ts';
import { cohenKappa } from '../metrics/cohen-kappa.ts';
import { confusionMatrix } from '../metrics/confusion-matrix.ts';
import { spearmanRho } from '../metrics/rank-correlation.ts';

export const CALIBRATABLE = ['fcr', 'accuracy', 'tone'] as const;
export type Calibratable = (typeof CALIBRATABLE)[number];

export interface CalibrationReport {
  scorer: string;
  method: string;
  n: number;
  /** Cohen's kappa between the scorer's verdict and the reviewers' (linear-weighted on tone's 1–5 scale). */
  kappa: number | null;
  spearman: number | null;
  agreement: number | null;
  labels: string[];
  /** Rows: reviewers' label; columns: the scorer's. */
  confusion: number[][];
  verdict: string;
}

/** Cases with a logged reply and a gold judgement on this field. */
export function calibrationCases(cases: readonly SuiteCase[], field: Calibratable): SuiteCase[] {
  return cases.filter((c) => c.human_reply && c.gold[field] !== null && !(field === 'fcr' && c.gold.fcr === 'unclear'));
}

export async function calibrate(scorer: Scorer, cases: readonly SuiteCase[]): Promise<CalibrationReport> {
  const field = scorer.name as Calibratable;
  if (!CALIBRATABLE.includes(field)) throw usageError(`calibrate compares ${CALIBRATABLE.join(', ')} with reviewers' labels; ${scorer.name} has no label to compare with`);
  const usable = calibrationCases(cases, field);
  const truth: string[] = [];
  const predicted: string[] = [];
  const truthRank: number[] = [];
  const scores: number[] = [];
  for (const c of usable) {
    const reply = parseReply(c.human_reply!);
    const r = await scorer.score({ case: c, reply: reply.answer, handoff: reply.handoff, latency_ms: 0, model: 'logged:human' });
    scores.push(r.score);
    if (field === 'tone') {
      truth.push(String(c.gold.tone));
      predicted.push(String(Math.min(5, Math.max(1, Math.round(r.score * 4 + 1)))));
      truthRank.push(c.gold.tone!);
    } else if (field === 'fcr') {
      truth.push(c.gold.fcr === 'yes' ? 'pass' : 'fail');
      predicted.push(r.pass ? 'pass' : 'fail');
      truthRank.push(c.gold.fcr === 'yes' ? 1 : 0);
    } else {
      truth.push(c.gold.accuracy === 'correct' ? 'pass' : 'fail');
      predicted.push(r.pass ? 'pass' : 'fail');
      truthRank.push({ incorrect: 0, partial: 0.5, correct: 1 }[c.gold.accuracy!]);
    }
  }
  const labels = field === 'tone' ? ['1', '2', '3', '4', '5'] : ['pass', 'fail'];
  const n = truth.length;
  const kappaResult = n > 0 ? cohenKappa(truth, predicted, field === 'tone' ? { weights: 'linear', labels } : { labels }) : null;
  const kappa = kappaResult && Number.isFinite(kappaResult.kappa) ? kappaResult.kappa : null;
  const rho = n > 2 ? spearmanRho(truthRank, scores) : null;
  const spearman = rho !== null && Number.isFinite(rho) ? rho : null;
  const agreement = n > 0 ? truth.filter((t, i) => t === predicted[i]).length / n : null;
  const round = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
  return {
    scorer: scorer.name,
    method: scorer.method,
    n,
    kappa: round(kappa),
    spearman: round(spearman),
    agreement: round(agreement),
    labels,
    confusion: n > 0 ? confusionMatrix(truth, predicted, labels).counts : [],
    verdict: verdictOf(field === 'tone' ? (spearman ?? kappa) : kappa, n),
  };
}

/** Landis & Koch's bands, stated plainly. */
function verdictOf(value: number | null, n: number): string {
  if (n < 20) return `only ${n} labeled cases: too few to tell; label more before trusting this scorer`;
  if (value === null) return 'no variation in the labels or the scores: agreement cannot be measured';
  if (value >= 0.8) return 'almost perfect agreement with reviewers: safe to gate on';
  if (value >= 0.6) return 'substantial agreement: fine for trends and gates with some margin';
  if (value >= 0.4) return 'moderate agreement: use for trends, check gate failures by hand';
  if (value >= 0.2) return 'fair agreement: a rough signal only';
  return 'slight or no agreement: do not rely on this scorer';
}
