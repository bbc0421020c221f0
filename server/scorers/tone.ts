// Tone, offline: a 1–5 rubric mapped to 0–1 as (r - 1) / 4. Politeness and, for an upset customer,
// empathy raise it; blame, rudeness, dismissiveness and an unprofessional register cap or lower it.
// The customer's emotion is read from their messages (anger words, frustration words, shouting).
import { z } from 'zod';
import type { ScoreInput, Scorer, SuiteCase } from '../domain/eval.ts';
import { customerTexts } from './case-context.ts';
import {
  ANGRY_WORDS,
  BLAME,
  DISMISSIVE,
  EMOJI,
  EMPATHY,
  FRUSTRATED_WORDS,
  POLITE,
  RUDE,
  SHOUTING,
  SHOUTING_HARD,
  UNPROFESSIONAL,
} from '../text/lexicons.ts';
import { memoByText } from './memo.ts';
import { fmt, scoreResult } from './scorer-result.ts';
import { shoutedWords } from './shouting.ts';
import { distinct, findPhrases, quoteList } from '../text/text-match.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

export const ToneOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.tone),
});
export type ToneOptions = z.input<typeof ToneOptions>;

export type Emotion = 'calm' | 'frustrated' | 'angry';

export interface EmotionReading {
  emotion: Emotion;
  /** What gave it away: words and punctuation. */
  signals: string[];
}

/**
 * One message's emotion: an anger word, three or more exclamation marks or shouted capitals (not codes
 * or placeholders: see shouting.ts) make it angry; frustration words (1 each) and "!!"/"？？" (2 each) add up, 3 or more being angry too.
 */
export const detectEmotion: (text: string) => Readonly<EmotionReading> = memoByText(readEmotion);

/** Customers repeat themselves ("还没到", "any update?") and a conversation's turns recur in its later cases: each text is read once. */
function readEmotion(text: string): EmotionReading {
  const angry = distinct(findPhrases(text, ANGRY_WORDS).filter((h) => !h.negated), 6);
  const frustrated = distinct(findPhrases(text, FRUSTRATED_WORDS).filter((h) => !h.negated), 6);
  const hard = [...text.matchAll(SHOUTING_HARD)].map((m) => m[0]);
  const shouting = [...text.matchAll(SHOUTING)].map((m) => m[0]);
  const caps = shoutedWords(text);
  const signals = [...new Set([...angry, ...hard, ...caps, ...frustrated, ...shouting])];
  const heat = frustrated.length + 2 * Math.min(2, shouting.length);
  const emotion: Emotion = angry.length > 0 || hard.length > 0 || caps.length > 0 || heat >= 3 ? 'angry' : heat >= 1 ? 'frustrated' : 'calm';
  return { emotion, signals };
}

const LEVEL: Readonly<Record<Emotion, number>> = { calm: 0, frustrated: 1, angry: 2 };

/** The customer's emotion over the whole conversation: the strongest of their messages. */
export function customerEmotion(c: SuiteCase): Readonly<EmotionReading> {
  let best: Readonly<EmotionReading> = { emotion: 'calm', signals: [] };
  for (const text of customerTexts(c)) {
    const r = detectEmotion(text);
    if (LEVEL[r.emotion] > LEVEL[best.emotion]) best = r;
    else if (r.emotion === best.emotion) best = { emotion: best.emotion, signals: [...new Set([...best.signals, ...r.signals])].slice(0, 6) };
  }
  return best;
}

export interface ToneAnalysis {
  customer: EmotionReading;
  polite: string[];
  empathy: string[];
  blame: string[];
  rude: string[];
  dismissive: string[];
  unprofessional: string[];
  /** Why the reply reads as curt (much shorter than the reference, or a few words), or null. */
  curt: string | null;
  /** 1–5. */
  rubric: number;
  score: number;
}

export function analyzeTone(input: Pick<ScoreInput, 'case' | 'reply'>): ToneAnalysis {
  const reply = input.reply;
  const customer = customerEmotion(input.case);
  const found = (list: readonly RegExp[]) => distinct(findPhrases(reply, list).filter((h) => !h.negated));
  const polite = found(POLITE);
  const empathy = found(EMPATHY);
  const blame = found(BLAME);
  const rude = found(RUDE);
  const dismissive = found(DISMISSIVE);
  const unprofessional = [...found(UNPROFESSIONAL), ...[...reply.matchAll(SHOUTING_HARD), ...reply.matchAll(SHOUTING)].map((m) => m[0]), ...(EMOJI.test(reply) ? ['emoji'] : [])];

  // Warmth the customer's state calls for: courtesy is enough for a calm customer (a plain,
  // professional answer is a 3.5, a pass), an upset one needs the apology or acknowledgement too
  // (without it at most 3, a fail). Curtness, slang, dismissiveness, blame and rudeness then lower or cap it.
  const p = polite.length > 0;
  const e = empathy.length > 0;
  let rubric = customer.emotion === 'calm' ? 3.5 + (p ? 1 : 0) + (e ? 0.5 : 0) : 2.5 + (p ? 0.5 : 0) + (e ? 2 : 0);
  const curt = curtness(reply, input.case.reference_answer);
  if (curt !== null) rubric -= 1.5;
  if (unprofessional.length > 0) rubric -= 1;
  if (dismissive.length > 0) rubric = Math.min(rubric, 2.5) - 0.5 * (dismissive.length - 1);
  if (blame.length > 0) rubric = Math.min(rubric, 2);
  if (rude.length > 0) rubric = Math.min(rubric, 1.5);
  if (blame.length > 0 && (rude.length > 0 || dismissive.length > 0)) rubric = 1;
  rubric = Math.min(5, Math.max(1, rubric));
  return { customer, polite, empathy, blame, rude, dismissive, unprofessional, curt, rubric, score: (rubric - 1) / 4 };
}

const HAN_CHAR = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z0-9]+(?:['’][A-Za-z]+)?/g;

/** Length in Han-character units: a Latin word counts as 1.5 (English takes more words than Chinese takes characters). */
export function textSize(text: string): number {
  return count(HAN_CHAR, text) + 1.5 * count(LATIN_WORD, text);
}

/** How many matches `text.match(re)` would list, for a global pattern whose matches are never empty, without listing them. */
function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.test(text)) n++;
  return n;
}

/** A reply under 10 units, or under 35 % of the reference and under 40 units, reads as curt. */
export function curtness(reply: string, reference: string): string | null {
  const r = textSize(reply);
  if (r < 10) return `${Math.round(r)} characters/words`;
  const ref = textSize(reference);
  if (ref > 0 && r < 0.35 * ref && r < 40) return `${Math.round((100 * r) / ref)}% of the reference's length`;
  return null;
}

export function toneReason(a: ToneAnalysis): string {
  const parts: string[] = [];
  parts.push(`customer ${a.customer.emotion}` + (a.customer.signals.length > 0 ? ` (${quoteList(a.customer.signals.slice(0, 4))})` : ''));
  parts.push(a.polite.length > 0 ? `polite ${quoteList(a.polite.slice(0, 3))}` : 'no courtesy words');
  if (a.empathy.length > 0) parts.push(`empathy ${quoteList(a.empathy.slice(0, 3))}`);
  else if (a.customer.emotion !== 'calm') parts.push('no empathy for an upset customer');
  if (a.blame.length > 0) parts.push(`BLAME ${quoteList(a.blame)}`);
  if (a.rude.length > 0) parts.push(`RUDE ${quoteList(a.rude)}`);
  if (a.dismissive.length > 0) parts.push(`dismissive ${quoteList(a.dismissive)}`);
  if (a.unprofessional.length > 0) parts.push(`unprofessional ${quoteList(a.unprofessional)}`);
  if (a.curt !== null) parts.push(`curt (${a.curt})`);
  return `${parts.join('; ')} -> rubric ${a.rubric.toFixed(1)}/5 = ${fmt(a.score)}`;
}

export function createToneScorer(options: ToneOptions = {}): Scorer {
  const o = ToneOptions.parse(options);
  return {
    name: 'tone',
    threshold: o.threshold,
    method: 'offline',
    async score(input) {
      const a = analyzeTone(input);
      return scoreResult(a.score, o.threshold, toneReason(a));
    },
  };
}
