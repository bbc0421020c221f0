// How run data reads in the UI: scorer names in the UI language, token usage that may not exist.
import { DICTIONARIES, type MessageKey, type MessageVars } from '../../../lib/i18n.ts';

type T = (key: MessageKey, vars?: MessageVars) => string;

/** `accuracy` -> 准确性 in Chinese; a scorer the dictionary does not know keeps its id. */
export function scorerName(t: T, name: string): string {
  const key = `scorer.${name}`;
  return Object.hasOwn(DICTIONARIES.en, key) ? t(key as MessageKey) : name;
}

/** Input plus output tokens, or null when the candidate reported none (an offline candidate makes no model calls). */
export function tokenTotal(tokens: { input: number; output: number } | undefined): number | null {
  if (!tokens) return null;
  const total = tokens.input + tokens.output;
  return total > 0 ? total : null;
}
