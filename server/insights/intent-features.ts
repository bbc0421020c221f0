// What the intent classifier reads of a dialogue: only the customer's words (what they came for),
// as hashed n-grams. Chinese: character 1–3-grams plus dictionary words; English: words and word
// pairs plus character 3–4-grams inside words, so typos ("cancle my order") still share features.
import { z } from 'zod';
import type { TurnRole } from '../domain/dialogue.ts';
import { Language } from '../domain/dialogue.ts';
import { FeatureBuilder, type SparseVector } from '../learn/feature-hashing.ts';
import { tokenize } from '../text/segment.ts';
import { normaliseForFeatures, placeholdersAsWords } from '../text/text-normalise.ts';

/** Bump when extraction changes in a way that invalidates saved weights. */
export const INTENT_FEATURES_VERSION = 1;

export const IntentFeatureSpec = z.object({
  version: z.literal(INTENT_FEATURES_VERSION),
  language: Language,
  /** The hashed space has 2^bits slots. */
  bits: z.number().int().min(10).max(24),
});
export type IntentFeatureSpec = z.infer<typeof IntentFeatureSpec>;

export function intentFeatureSpec(language: Language): IntentFeatureSpec {
  return { version: INTENT_FEATURES_VERSION, language, bits: 18 };
}

export interface CustomerTurns {
  turns: ReadonlyArray<{ role: TurnRole; text: string }>;
}

/** The customer's turns joined (what the dialogue is about); a snippet of it is what people see. */
export function customerText(dialogue: CustomerTurns): string {
  return dialogue.turns
    .filter((t) => t.role === 'customer' && t.text.trim() !== '')
    .map((t) => t.text.trim())
    .join('\n');
}

export function snippet(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function intentFeatures(text: string, spec: IntentFeatureSpec): SparseVector {
  const b = new FeatureBuilder(spec.bits);
  const t = normaliseForFeatures(text);
  const words = tokenize(placeholdersAsWords(t), spec.language);
  const wordCounts = new Map<string, number>();
  const add = (m: Map<string, number>, g: string) => m.set(g, (m.get(g) ?? 0) + 1);
  for (let i = 0; i < words.length; i++) {
    add(wordCounts, words[i]!);
    if (spec.language === 'en' && i + 1 < words.length) add(wordCounts, `${words[i]} ${words[i + 1]}`);
  }
  b.addBlock('w', wordCounts);
  const charCounts = new Map<string, number>();
  if (spec.language === 'zh') {
    const chars = Array.from(t.replace(/\s+/g, ' ').trim());
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const g = chars.slice(i, i + n).join('');
        if (g.trim() === g) add(charCounts, g);
      }
    }
  } else {
    for (const w of words) {
      const padded = `<${w}>`;
      for (let n = 3; n <= 4; n++) for (let i = 0; i + n <= padded.length; i++) add(charCounts, padded.slice(i, i + n));
    }
  }
  b.addBlock('c', charCounts, 0.7);
  return b.build();
}
