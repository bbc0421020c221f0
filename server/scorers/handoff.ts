// Did a reply hand the customer off to a human? Either the provider's hand-off marker (already
// parsed into ScoreInput.handoff) or words that transfer the customer (转人工, "transfer you to").
// An offer or a question ("I can transfer you — would you like me to?", "需要的话我可以帮您转人工")
// is not a hand-off: the customer is still with the bot until someone transfers them.
import type { ScoreInput } from '../domain/eval.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { memoByText } from './memo.ts';
import { EMPATHY, HANDOFF, POLITE } from '../text/lexicons.ts';
import { findPhrases, matchFacts, sentences, terms, type FactMatch } from '../text/text-match.ts';

export { isTransferOffer, textualHandoff } from '../text/handoff-phrases.ts';

export interface HandoffDecision {
  handedOff: boolean;
  /** `marker` when the reply carried [[handoff:…]], `text` when only its words transfer. */
  via: 'marker' | 'text' | null;
  /** The marker's queue, or the words that transfer. */
  detail: string | null;
}

/** fcr, accuracy and escalation each ask this of the same reply: it is read once. */
const replyHandoff = memoByText((reply: string) => ({ phrase: textualHandoff(reply) }));
const readHandoff = (reply: string): string | null => replyHandoff(reply).phrase;

export function detectHandoff(input: Pick<ScoreInput, 'reply' | 'handoff'>): HandoffDecision {
  if (input.handoff !== null) return { handedOff: true, via: 'marker', detail: input.handoff.queue };
  const phrase = readHandoff(input.reply);
  return phrase === null ? { handedOff: false, via: null, detail: null } : { handedOff: true, via: 'text', detail: phrase };
}

export function describeHandoff(d: HandoffDecision): string {
  if (d.via === 'marker') return `hands off (marker, queue ${d.detail})`;
  if (d.via === 'text') return `hands off (“${d.detail}”)`;
  return 'does not hand off';
}

const HANDOFF_FACT = /转人工|人工客服|人工服务|转接|human agent|live agent|a human|transfer|specialist|supervisor|colleague|主管|专员|同事/iu;

/**
 * The case's facts and reference as a reply that hands off correctly is held to: a fact about the
 * hand-off ("转接人工", "transfer to a human agent") counts as found, and reference sentences that
 * hand off, or are only a pleasantry around it ("Of course.", "请稍候。"), are left out: the reply's
 * own words for the hand-off need not echo them. With `leftToPerson` (the hand-off is for an action
 * its author cannot take), the facts and sentences it says state such an action ("已为您催促") are
 * left to the person it hands to as well. Whatever else the reference says the reply must still say:
 * handing off does not excuse a wrong or missing answer.
 */
export function factsBeyondHandoff(facts: readonly string[], reference: string, reply: string, leftToPerson?: (text: string) => boolean): { facts: FactMatch[]; reference: string } {
  const isHandoff = (text: string) => findPhrases(text, HANDOFF).some((h) => !h.negated) || HANDOFF_FACT.test(text);
  const leftToThem = (text: string) => isHandoff(text) || leftToPerson?.(text) === true;
  const about = facts.filter((f) => f.trim() !== '' && leftToThem(f));
  const rest = facts.filter((f) => !about.includes(f));
  const matched = [...about.map((fact) => ({ fact, coverage: 1, credit: 1 })), ...matchFacts(rest, reply)];
  const kept = sentences(reference).filter((s) => !findPhrases(s, HANDOFF).some((h) => !h.negated) && leftToPerson?.(s) !== true && !isPleasantry(s));
  return { facts: matched, reference: kept.join('') };
}

/** A short sentence of courtesy or apology only: "Of course.", "非常抱歉。", "请稍候。" */
function isPleasantry(sentence: string): boolean {
  const t = terms(sentence);
  const size = t.bigrams.size + [...t.words].filter((w) => !/\p{Script=Han}/u.test(w)).length;
  return size < 6 && (findPhrases(sentence, POLITE).length > 0 || findPhrases(sentence, EMPATHY).length > 0);
}
