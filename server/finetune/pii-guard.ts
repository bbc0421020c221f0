// The final personal-data check of a fine-tuning build, made cheap: a rendered example repeats most of
// its text (the policy, the hand-off rules, the few-shot pairs), so texts are checked a line at a time
// with a cache of clean lines, and only a line that looks dirty is settled on the whole text.
import { containsPii } from '../text/pii-redaction.ts';

/** Clean lines remembered per guard before the cache starts over (bounds memory on any set size). */
const MAX_CACHED_LINES = 100_000;
/** Shorter lines are checked directly: hashing them costs about as much as scanning them. */
const MIN_CACHED_LENGTH = 24;

/**
 * A newline splits a text where no PII pattern can see across it, except the optional extension of a
 * phone number (`\s?` then ext / x / 转 / 分机). So a line break counts as a boundary only when the next
 * character is one that can start nothing of the kind: ASCII other than E, e, X, x (NFKC leaves ASCII
 * alone), or a CJK unified ideograph other than 转 and 分 (NFKC leaves those alone too).
 */
function isBoundary(text: string, newline: number): boolean {
  if (newline + 1 >= text.length) return true;
  const c = text.charCodeAt(newline + 1);
  if (c < 128) return c !== 69 && c !== 101 && c !== 88 && c !== 120;
  return c >= 0x4e00 && c <= 0x9fff && c !== 0x8f6c && c !== 0x5206;
}

export class PiiGuard {
  private clean = new Set<string>();

  /**
   * Exactly `containsPii(text)`. Every pattern of the redactor stays within a line (see isBoundary),
   * and the only context that reaches across a line break, a label such as "订单号：" right before a
   * number, can only exempt a match: so when every line is clean the text is clean, and when a line is
   * not, the whole text decides.
   */
  containsPii(text: string): boolean {
    if (text.length < 2 * MIN_CACHED_LENGTH || text.indexOf('\n') === -1) return this.check(text);
    let start = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
      if (!isBoundary(text, i)) continue;
      if (this.check(text.slice(start, i))) return containsPii(text);
      start = i + 1;
    }
    return start < text.length && this.check(text.slice(start)) ? containsPii(text) : false;
  }

  private check(piece: string): boolean {
    if (piece.length < MIN_CACHED_LENGTH) return containsPii(piece);
    if (this.clean.has(piece)) return false;
    if (containsPii(piece)) return true;
    if (this.clean.size >= MAX_CACHED_LINES) this.clean = new Set();
    this.clean.add(piece);
    return false;
  }
}
