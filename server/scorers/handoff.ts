// Did a reply hand the customer off to a human? Either the provider's hand-off marker (already
// parsed into ScoreInput.handoff) or words that transfer the customer (转人工, "transfer you to").
// An offer or a question ("I can transfer you — would you like me to?", "需要的话我可以帮您转人工")
// is not a hand-off: the customer is still with the bot until someone transfers them.
import type { ScoreInput } from '../domain/eval.ts';
import { EMPATHY, HANDOFF, POLITE } from './lexicons.ts';
import { findPhrases, matchFacts, sentences, terms, type FactMatch } from './text-match.ts';

export interface HandoffDecision {
  handedOff: boolean;
  /** `marker` when the reply carried [[handoff:…]], `text` when only its words transfer. */
  via: 'marker' | 'text' | null;
  /** The marker's queue, or the words that transfer. */
  detail: string | null;
}

/** Transfer phrases in the text, ignoring negated ones ("无法为您转接", "I can't transfer you") and offers or questions. */
export function textualHandoff(reply: string): string | null {
  for (const sentence of sentences(reply)) {
    const hit = findPhrases(sentence, HANDOFF).find((h) => !h.negated);
    if (hit !== undefined && !isTransferOffer(sentence)) return hit.text;
  }
  return null;
}

/** Words that make a sentence an offer, a condition or a question rather than a transfer. */
const OFFER_EN = /\b(?:i|we) (?:can|could|may|am able to|are able to|would be happy to|'d be happy to)\b|\b(?:i|we)(?:'d| would) be (?:happy|glad) to\b|\bwould you (?:like|prefer)\b|\bdo you (?:want|wish|need)\b|\b(?:shall|should|can|may) (?:i|we)\b|\bwant me to\b|\bif (?:you(?:'d)? (?:like|want|prefer|wish|need)|needed|necessary|you're not satisfied)\b|\bif so\b|\boption\b|\bjust (?:say|reply|type|let me know)\b|\blet me know\b/iu;
const OFFER_ZH = /需要的话|如果(?:您)?需要|如有需要|如需|若需|若您需要|要不要|是否需要|需不需要|需要我|(?:我|这边)?可以(?:帮|为|给)?(?:您|你)?(?:转|安排|联系)|我(?:们)?可以|您可以(?:选择|申请|回复|输入)|(?:回复|输入)[“"'「]?转人工|的话|[吗么嘛呢][？?。]?$/u;

/** An offer ("I can transfer you if you like", "需要的话可以帮您转人工") or a question ("…，好吗？"). */
export function isTransferOffer(sentence: string): boolean {
  const s = sentence.trim();
  return /[?？]$/u.test(s) || OFFER_EN.test(s) || OFFER_ZH.test(s);
}

export function detectHandoff(input: Pick<ScoreInput, 'reply' | 'handoff'>): HandoffDecision {
  if (input.handoff !== null) return { handedOff: true, via: 'marker', detail: input.handoff.queue };
  const phrase = textualHandoff(input.reply);
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
 * own words for the hand-off need not echo them. Whatever else the
 * reference says the reply must still say: handing off does not excuse a wrong or missing answer.
 */
export function factsBeyondHandoff(facts: readonly string[], reference: string, reply: string): { facts: FactMatch[]; reference: string } {
  const isHandoff = (text: string) => findPhrases(text, HANDOFF).some((h) => !h.negated) || HANDOFF_FACT.test(text);
  const about = facts.filter((f) => f.trim() !== '' && isHandoff(f));
  const rest = facts.filter((f) => !about.includes(f));
  const matched = [...about.map((fact) => ({ fact, coverage: 1, credit: 1 })), ...matchFacts(rest, reply)];
  const kept = sentences(reference).filter((s) => !findPhrases(s, HANDOFF).some((h) => !h.negated) && !isPleasantry(s));
  return { facts: matched, reference: kept.join('') };
}

/** A short sentence of courtesy or apology only: "Of course.", "非常抱歉。", "请稍候。" */
function isPleasantry(sentence: string): boolean {
  const t = terms(sentence);
  const size = t.bigrams.size + [...t.words].filter((w) => !/\p{Script=Han}/u.test(w)).length;
  return size < 6 && (findPhrases(sentence, POLITE).length > 0 || findPhrases(sentence, EMPATHY).length > 0);
}
