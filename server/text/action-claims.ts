// Actions a text states as done by its speaker: "I've refunded the duplicate $25", "so I've
// cancelled it for you", "已为您取消订单", "小沃已为您登记反馈". A bot that cannot act on the account
// must not say them (local:kb prefers answers that make none; accuracy flags a candidate that says
// one without having taken any); lookups, noticing and the record's own statuses ("has been
// shipped") are not actions. Phrases in a sentence that states a condition or asks ("if you confirm,
// I'll cancel it", "是否已经提交？") and negated ones are left out.
import { ACTION_DONE, CONDITIONAL } from './lexicons.ts';
import { findPhrases, quickTest, sentences } from './text-match.ts';

const conditional = quickTest(CONDITIONAL);

/** The phrases stating an action as done, in order of appearance; empty when the text states none. */
export function actionClaims(text: string): string[] {
  const hits = findPhrases(text, ACTION_DONE);
  if (hits.length === 0) return [];
  const hedged = sentences(text).filter(conditional);
  return hits.filter((h) => !h.negated && !hedged.some((s) => s.includes(h.clause))).map((h) => h.text);
}
