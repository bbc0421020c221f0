// Actions a text states as done by its speaker: "I've refunded the duplicate $25", "so I've
// cancelled it for you", "已为您取消订单", "小沃已为您登记反馈". A bot that cannot act on the account
// must not say them (local:kb prefers answers that make none; accuracy flags a candidate that says
// one without having taken any); lookups, noticing and the record's own statuses ("has been
// shipped") are not actions. Phrases in a sentence that states a condition or asks ("if you confirm,
// I'll cancel it", "是否已经提交？") and negated ones are left out.
import type { ActionKind } from '../domain/eval.ts';
import { ACTION_DONE, ACTION_KINDS, CONDITIONAL } from './lexicons.ts';
import { findPhrases, quickTest, sentences, type PhraseHit } from './text-match.ts';

const conditional = quickTest(CONDITIONAL);

function claimHits(text: string): PhraseHit[] {
  const hits = findPhrases(text, ACTION_DONE);
  if (hits.length === 0) return [];
  const hedged = sentences(text).filter(conditional);
  return longestOfOverlapping(hits.filter((h) => !h.negated && !hedged.some((s) => s.includes(h.clause))));
}

/**
 * One hit per stated action: where patterns match overlapping text ("订单已为您取消" and "已为您取消"
 * in the same words), the longest is kept (the first of equals); the rest stay in order of appearance.
 */
function longestOfOverlapping(hits: PhraseHit[]): PhraseHit[] {
  if (hits.length < 2) return hits;
  const kept: PhraseHit[] = [];
  for (const hit of [...hits].sort((a, b) => b.text.length - a.text.length)) {
    const end = hit.at + hit.text.length;
    if (!kept.some((k) => k.piece === hit.piece && k.at < end && hit.at < k.at + k.text.length)) kept.push(hit);
  }
  return kept.sort((a, b) => a.piece - b.piece || a.at - b.at);
}

/** The phrases stating an action as done, in order of appearance; empty when the text states none. */
export function actionClaims(text: string): string[] {
  return claimHits(text).map((h) => h.text);
}

/** The actions a text states as done, each with its kind (null when its words name none: "I've processed it"). */
export function statedActions(text: string): { text: string; kind: ActionKind | null }[] {
  return claimHits(text).map((h) => ({ text: h.text, kind: actionKind(h.text, h.clause) }));
}

function actionKind(claim: string, clause: string): ActionKind | null {
  for (const rule of ACTION_KINDS) {
    if ((rule.verb === undefined || rule.verb.test(claim)) && (rule.object === undefined || rule.object.test(clause))) return rule.kind;
  }
  return null;
}
