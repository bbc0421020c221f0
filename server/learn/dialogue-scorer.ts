// Scores a whole logged dialogue (also one that ends with the customer's turn) with the learned
// models of its language: FCR probability, predicted CSAT 1–5, tone, and the evidence behind each.
import type { Language, TurnRole } from '../domain/dialogue.ts';
import { detectLanguage } from '../text/detect-language.ts';
import type { Contribution, LearnedModel, LearnedTarget, ScorerTarget } from './learned-model.ts';

export type LearnedModels = Partial<Record<Language, Partial<Record<ScorerTarget, LearnedModel>>>>;

export interface ScorableDialogue {
  language?: Language;
  turns: ReadonlyArray<{ role: TurnRole; text: string }>;
}

export interface DialogueScores {
  language: Language;
  /** Probability (0–1) that the customer's problem was solved in this contact; null without a model. */
  fcr: { probability: number; resolved: boolean } | null;
  /** Predicted satisfaction, 1–5, and the same on 0–1 ((csat − 1) / 4). */
  csat: { value: number; score: number } | null;
  /** Agent-side tone on the 1–5 rubric and 0–1. */
  tone: { rubric: number; score: number } | null;
  reasons: Partial<Record<LearnedTarget, string>>;
}

export function scoreDialogue(dialogue: ScorableDialogue, models: LearnedModels): DialogueScores {
  const language = dialogue.language ?? detectLanguage(dialogue.turns.map((t) => t.text));
  const forLanguage = models[language] ?? {};
  const result: DialogueScores = { language, fcr: null, csat: null, tone: null, reasons: {} };
  const fcr = forLanguage.fcr;
  if (fcr !== undefined) {
    const e = fcr.explain(dialogue);
    result.fcr = { probability: round(e.probability), resolved: e.probability >= 0.5 };
    result.reasons.fcr = reason(e.probability, 'resolved', e.contributions);
  }
  const csat = forLanguage.csat;
  if (csat !== undefined) {
    const e = csat.explain(dialogue);
    result.csat = { value: round(1 + 4 * e.probability), score: round(e.probability) };
    result.reasons.csat = reason(e.probability, 'satisfied', e.contributions);
  }
  const tone = forLanguage.tone;
  if (tone !== undefined) {
    const e = tone.explain(dialogue);
    result.tone = { rubric: round(1 + 4 * e.probability), score: round(e.probability) };
    result.reasons.tone = reason(e.probability, 'well received', e.contributions);
  }
  return result;
}

/** One model's probability for a dialogue and the evidence behind it, as a sentence about `outcome`. */
export function explainScore(model: LearnedModel, dialogue: ScorableDialogue, outcome: string): { probability: number; reason: string } {
  const e = model.explain(dialogue);
  return { probability: round(e.probability), reason: reason(e.probability, outcome, e.contributions) };
}

/**
 * The evidence on the side the prediction fell, then the strongest on the other side. N-grams are
 * grouped by where they were read (hundreds of small character n-grams add up to one block's push),
 * each group named with its strongest n-grams; shape features stand alone.
 */
function reason(p: number, outcome: string, contributions: readonly Contribution[]): string {
  const sign = p >= 0.5 ? 1 : -1;
  const lead = groups(contributions, sign).slice(0, 3);
  const other = groups(contributions, -sign).slice(0, 2);
  const label = sign > 0 ? `for ${outcome}` : `against ${outcome}`;
  const parts = [`strongest evidence ${label}: ${lead.length > 0 ? lead.join(', ') : 'none'}`];
  if (other.length > 0) parts.push(`${sign > 0 ? 'against' : 'for'}: ${other.join(', ')}`);
  return `${parts.join('; ')} -> ${p.toFixed(2)}`;
}

function groups(contributions: readonly Contribution[], sign: number): string[] {
  const byBlock = new Map<string, { total: number; top: Contribution[] }>();
  for (const c of contributions) {
    const key = c.block === 'shape' ? `shape:${c.text}` : c.block;
    const g = byBlock.get(key) ?? { total: 0, top: [] };
    g.total += c.value;
    if (Math.sign(c.value) === sign && g.top.length < 2) g.top.push(c); // contributions come largest first
    byBlock.set(key, g);
  }
  return [...byBlock.entries()]
    .filter(([, g]) => Math.sign(g.total) === sign && g.top.length > 0)
    .sort((a, b) => Math.abs(b[1].total) - Math.abs(a[1].total))
    .map(([key, g]) =>
      key.startsWith('shape:')
        ? `${key.slice(6)} (${signed(g.total)})`
        : `${key} ${signed(g.total)} (${g.top.map((c) => `“${c.text}” ${signed(c.value)}`).join(', ')})`,
    );
}

const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
const round = (x: number) => Math.round(x * 1000) / 1000;
