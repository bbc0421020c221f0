// Actions a text states as done by its speaker: "I've refunded the duplicate $25", "so I've
// cancelled it for you", "已为您取消订单", "小沃已为您登记反馈". A bot that cannot act on the account
// must not say them (local:kb prefers answers that make none); lookups, noticing and the record's
// own statuses ("has been shipped") are not actions. Sentences that state a condition or ask
// ("if you confirm, I'll cancel it", "是否已经提交？") and negated phrases are left out.
import { ACTION_DONE, CONDITIONAL } from './lexicons.ts';
import { findPhrases, quickTest, sentences } from './text-match.ts';

const conditional = quickTest(CONDITIONAL);

/** The phrases stating an action as done, in order of appearance; empty when the text states none. */
export function actionClaims(text: string): string[] {
  const claims: string[] = [];
  for (const sentence of sentences(text)) {
    if (conditional(sentence)) continue;
    for (const hit of findPhrases(sentence, ACTION_DONE)) if (!hit.negated) claims.push(hit.text);
  }
  return claims;
}
