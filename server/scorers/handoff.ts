// Did a reply hand the customer off to a human? Either the provider's hand-off marker (already
// parsed into ScoreInput.handoff) or words that transfer the customer (转人工, "transfer you to").
import type { ScoreInput } from '../domain/eval.ts';
import { HANDOFF } from './lexicons.ts';
import { findPhrases } from './text-match.ts';

export interface HandoffDecision {
  handedOff: boolean;
  /** `marker` when the reply carried [[handoff:…]], `text` when only its words transfer. */
  via: 'marker' | 'text' | null;
  /** The marker's queue, or the words that transfer. */
  detail: string | null;
}

/** Transfer phrases in the text, ignoring negated ones ("无法为您转接", "I can't transfer you"). */
export function textualHandoff(reply: string): string | null {
  const hit = findPhrases(reply, HANDOFF).find((h) => !h.negated);
  return hit === undefined ? null : hit.text;
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
