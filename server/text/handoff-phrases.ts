// A transfer to a person said in words (转人工, "I'm transferring you"), as opposed to an offer or a
// question about one. Text only, so the scorers, the learned models and the bots can all use it.
import { HANDOFF } from './lexicons.ts';
import { findPhrases, sentences } from './text-match.ts';

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

