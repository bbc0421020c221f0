// Which scorers may gate: a scorer that judges (fcr, accuracy, tone) gates only when it agrees with
// this store's reviewers, measured on the suite's gold-labeled cases: Cohen's kappa (linear-weighted
// on tone's 1–5 scale) at least gate_min_kappa, or ROC AUC at least gate_min_auc, on at least
// gate_min_labels labels. Measurements (latency, cost) and the rule checks of labeled facts
// (escalation, safety) are not judgements and always gate.
//
// A gold label judges the logged agent's reply, so the scorer is checked on that reply: the run's
// own score when the run replayed it (replay:human), otherwise the offline scorer's score of it (pure,
// no model call). A judge is not called again: on other runs it has no labels here and is checked
// with `firstcall calibrate --judge`.
import { parseReply, type Scorer, type SuiteCase } from '../domain/eval.ts';
import { agreementBand, BAND_WORDS } from '../metrics/agreement-scale.ts';
import { cohenKappa } from '../metrics/cohen-kappa.ts';
import { rocAuc } from '../metrics/roc-auc.ts';
import { applies, type CaseResult } from '../domain/runs-api.ts';
import type { GateSettings } from '../domain/settings.ts';
import { SCORERS, type ScorerRegistry } from '../scorers/registry.ts';


/** One labeled case: the reviewers' judgement and the scorer's on the same reply. */
export interface TrustSample {
  /** fcr: 1 yes / 0 no; accuracy: 1 correct / 0 partial or incorrect; tone: the 1–5 rubric. */
  gold: number;
  score: number;
  pass: boolean;
}

export interface ScorerTrust {
  scorer: string;
  /** May gate: calibrated well enough, not a judgement, or gate_untrusted is set. */
  trusted: boolean;
  n: number;
  kappa: number | null;
  auc: number | null;
  /** "tone not gated: κ 0.19 (slight) on 120 labels", "latency: a measurement, gated". */
  reason: string;
}

const round = (x: number | null) => (x === null || !Number.isFinite(x) ? null : Math.round(x * 1000) / 1000);

/** Trust of one scorer from its samples, under the store's gate settings. Pure. */
export function scorerTrust(scorer: string, samples: readonly TrustSample[] | undefined, settings: GateSettings, registry: ScorerRegistry = SCORERS): ScorerTrust {
  // A name the registry does not know (an older run's metric) is treated as a rule check, as before.
  const kind = registry.get(scorer)?.traits.kind ?? 'rule';
  if (kind !== 'judgement') {
    return { scorer, trusted: true, n: 0, kappa: null, auc: null, reason: `${scorer}: ${kind === 'measurement' ? 'a measurement' : 'a rule check of labeled facts'}, gated` };
  }
  const list = samples ?? [];
  const n = list.length;
  const tone = scorer === 'tone';
  let kappa: number | null = null;
  let auc: number | null = null;
  if (n > 0) {
    const labels = tone ? ['1', '2', '3', '4', '5'] : ['pass', 'fail'];
    const truth = list.map((s) => (tone ? String(s.gold) : s.gold >= 1 ? 'pass' : 'fail'));
    const predicted = list.map((s) => (tone ? String(Math.min(5, Math.max(1, Math.round(s.score * 4 + 1)))) : s.pass ? 'pass' : 'fail'));
    const k = cohenKappa(truth, predicted, tone ? { weights: 'linear', labels } : { labels })?.kappa ?? NaN;
    kappa = round(Number.isFinite(k) ? k : null);
    // Tone's AUC: does the score rank good tone (4–5) above the rest?
    auc = round(rocAuc(list.map((s) => s.score), list.map((s) => (tone ? s.gold >= 4 : s.gold >= 1))));
  }
  const forced = settings.gate_untrusted ? ' (gated anyway: gate_untrusted)' : '';
  if (n < settings.gate_min_labels) {
    return { scorer, trusted: settings.gate_untrusted, n, kappa, auc, reason: `${scorer} not gated: only ${n} label${n === 1 ? '' : 's'} to check it against (needs ${settings.gate_min_labels})${forced}` };
  }
  const stats = `κ ${kappa === null ? '-' : kappa.toFixed(2)}${kappa === null ? '' : ` (${BAND_WORDS[agreementBand(kappa)!]})`}${auc === null ? '' : `, AUC ${auc.toFixed(2)}`} on ${n} labels`;
  const good = (kappa !== null && kappa >= settings.gate_min_kappa) || (auc !== null && auc >= settings.gate_min_auc);
  if (good) return { scorer, trusted: true, n, kappa, auc, reason: `${scorer} gated: ${stats}` };
  return { scorer, trusted: settings.gate_untrusted, n, kappa, auc, reason: `${scorer} not gated: ${stats} (needs κ ≥ ${settings.gate_min_kappa} or AUC ≥ ${settings.gate_min_auc})${forced}` };
}

/** Trust of every scorer, and of the composite (trusted when every composite scorer measured is). */
export function scorersTrust(scorers: readonly string[], samples: Readonly<Record<string, readonly TrustSample[]>>, settings: GateSettings, registry: ScorerRegistry = SCORERS): Record<string, ScorerTrust> {
  const out: Record<string, ScorerTrust> = {};
  for (const name of scorers) out[name] = scorerTrust(name, samples[name], settings, registry);
  const composite = registry.withTrait('composite');
  const parts = scorers.filter((s) => composite.includes(s));
  if (parts.length > 0) {
    const untrusted = parts.filter((p) => !out[p]!.trusted);
    out.composite = {
      scorer: 'composite',
      trusted: untrusted.length === 0,
      n: Math.min(...parts.map((p) => out[p]!.n)),
      kappa: null,
      auc: null,
      reason: untrusted.length === 0 ? `composite gated: ${parts.join(', ')} are` : `composite not gated: ${untrusted.map((u) => out[u]!.reason.replace(/^\S+ not gated: /, `${u} `)).join('; ')}`,
    };
  }
  return out;
}

/** The gold value of a case for a judging scorer, or null when the case has no usable label. */
export function goldValue(c: SuiteCase, scorer: string): number | null {
  if (scorer === 'fcr') return c.gold.fcr === 'yes' ? 1 : c.gold.fcr === 'no' ? 0 : null;
  if (scorer === 'accuracy') return c.gold.accuracy === null ? null : c.gold.accuracy === 'correct' ? 1 : 0;
  if (scorer === 'tone') return c.gold.tone;
  return null;
}

/**
 * The samples behind scorersTrust, from a run on the suite: for each labeled case with a logged
 * reply, the run's score when the run's reply is that logged reply, else the offline scorer's score
 * of the logged reply. Judge scorers contribute only replayed cases. n/a scores are left out.
 */
export async function collectTrustSamples(cases: readonly SuiteCase[], scorers: readonly Scorer[], results: readonly CaseResult[] = [], registry: ScorerRegistry = SCORERS): Promise<Record<string, TrustSample[]>> {
  const byCase = new Map<string, CaseResult[]>();
  for (const r of results) if (!r.error && r.output !== null) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  const out: Record<string, TrustSample[]> = {};
  for (const scorer of scorers) {
    if (registry.get(scorer.name)?.traits.kind !== 'judgement') continue;
    const name = scorer.name;
    const list: TrustSample[] = (out[name] = []);
    for (const c of cases) {
      const gold = goldValue(c, name);
      if (gold === null || !c.human_reply) continue;
      const logged = parseReply(c.human_reply);
      const replay = (byCase.get(c.case_id) ?? []).find((r) => r.scores[name] !== undefined && parseReply(r.output!).answer === logged.answer);
      let result = replay?.scores[name];
      if (result === undefined && scorer.method === 'offline') {
        result = await scorer.score({ case: c, reply: logged.answer, handoff: logged.handoff, latency_ms: 0, model: 'logged:human' });
      }
      if (result !== undefined && applies(result)) list.push({ gold, score: result.score, pass: result.pass });
    }
  }
  return out;
}
