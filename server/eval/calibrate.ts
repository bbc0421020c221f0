// How far to trust an automatic scorer: its verdicts on the logged human replies against the
// reviewers' gold labels — Cohen's kappa and a confusion matrix for FCR and accuracy, Spearman's
// rho (and weighted kappa on the 1–5 scale) for tone. The verdict is always read from kappa on the
// shared Landis & Koch scale (server/metrics/agreement-scale.ts), the same words the Agreement page
// uses; Spearman's rho is reported beside it, never in its place.
import { usageError } from '../domain/errors.ts';
import { parseReply, type Scorer, type SuiteCase } from '../domain/eval.ts';
import { agreementBand, BAND_ADVICE, type AgreementBand } from '../metrics/agreement-scale.ts';
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
  /** Kappa's band on the shared scale (null when it cannot be measured). */
  band: AgreementBand | null;
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
    if (r.na) continue; // nothing to score against: not a verdict to compare
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
    band: agreementBand(round(kappa)),
    verdict: verdictOf(round(kappa), n),
  };
}

/** Kappa's band on the shared scale, stated plainly. */
function verdictOf(kappa: number | null, n: number): string {
  if (n < 20) return `only ${n} labeled cases: too few to tell; label more before trusting this scorer`;
  const band = agreementBand(kappa);
  if (band === null) return 'no variation in the labels or the scores: agreement cannot be measured';
  return `κ ${kappa!.toFixed(2)}: ${BAND_ADVICE[band]}`;
}

export interface CalibrationComparison {
  /** The LLM judge on the labeled cases. */
  judge: CalibrationReport;
  /** The offline (or learned) scorer on the same cases. */
  offline: CalibrationReport;
  /** judge kappa − offline kappa (null when either is unmeasurable). */
  kappa_difference: number | null;
  /** Which agrees better with reviewers, by kappa; `tie` within 0.02. */
  better: 'judge' | 'offline' | 'tie' | null;
}

/**
 * `calibrate --judge`: the judge and the offline scorer of the same name on the same labeled cases,
 * so a team can see whether paying for the judge buys agreement with its reviewers.
 */
export async function calibrateCompare(judge: Scorer, offline: Scorer, cases: readonly SuiteCase[]): Promise<CalibrationComparison> {
  if (judge.name !== offline.name) throw usageError(`compare a judge and an offline scorer of the same metric (got ${judge.name} and ${offline.name})`);
  const [j, o] = [await calibrate(judge, cases), await calibrate(offline, cases)];
  const diff = j.kappa === null || o.kappa === null ? null : Math.round((j.kappa - o.kappa) * 1000) / 1000;
  return { judge: j, offline: o, kappa_difference: diff, better: diff === null ? null : Math.abs(diff) <= 0.02 ? 'tie' : diff > 0 ? 'judge' : 'offline' };
}
