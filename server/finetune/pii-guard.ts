// The final personal-data check of a fine-tuning build, made cheap: texts are checked a line at a time,
// most lines (the policy, the hand-off rules, most turns) are cleared by the redactor's pre-scan alone,
// without slicing them, and only a line that may hold something is checked in full; only a dirty line
// is settled on the whole text. (A cache of clean lines paid for hashing every line and kept whole
// prompts alive through its slices, while nearly every line the pre-scan lets through is seen once.)
import { containsPii, mayContainPii } from '../text/pii-redaction.ts';

/** Shorter texts are checked whole. */
const MIN_SPLIT_LENGTH = 48;

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
  /** Texts known to be clean line by line, longest first (see the constructor). */
  private readonly clean: string[];

  /**
   * `known`: long texts that most checked texts hold whole (a prompt's policy and hand-off rules): where
   * one sits between line boundaries its lines are not scanned again. A text is kept only when each of
   * its own lines is clean, so skipping them is exactly what the line-by-line check would have found.
   */
  constructor(known: readonly string[] = []) {
    this.clean = [...new Set(known)].filter((t) => t.length >= MIN_SPLIT_LENGTH && !this.anyLine(t, 0, t.length)).sort((a, b) => b.length - a.length);
  }

  /**
   * Exactly `containsPii(text)`. Every pattern of the redactor stays within a line (see isBoundary),
   * and the only context that reaches across a line break, a label such as "订单号：" right before a
   * number, can only exempt a match: so when every line is clean the text is clean, and when a line is
   * not, the whole text decides.
   */
  containsPii(text: string): boolean {
    if (text.length < MIN_SPLIT_LENGTH || text.indexOf('\n') === -1) return this.check(text, 0, text.length);
    let start = 0;
    for (const [from, to] of this.cleanSpans(text)) {
      if (from > start && this.anyLine(text, start, from - 1)) return containsPii(text);
      start = to + 1;
    }
    return start < text.length && this.anyLine(text, start, text.length) ? containsPii(text) : false;
  }

  /**
   * Where known clean texts sit in `text` between line boundaries (from just after one to just before
   * the next, or the text's ends), in order and apart; each known text counts at its first place only.
   */
  private cleanSpans(text: string): [number, number][] {
    if (this.clean.length === 0 || text.length < this.clean.at(-1)!.length) return [];
    const spans: [number, number][] = [];
    for (const known of this.clean) {
      const from = text.indexOf(known);
      if (from === -1) continue;
      const to = from + known.length;
      const startsLine = from === 0 || (text.charCodeAt(from - 1) === 10 && isBoundary(text, from - 1));
      const endsLine = to === text.length || (text.charCodeAt(to) === 10 && isBoundary(text, to));
      if (startsLine && endsLine && spans.every(([a, b]) => to < a || from > b)) spans.push([from, to]);
    }
    return spans.sort((a, b) => a[0] - b[0]);
  }

  /** Whether a line of text[from, to) may hold PII (checked in full where the pre-scan cannot clear it); `to` is the text's end or a boundary. */
  private anyLine(text: string, from: number, to: number): boolean {
    let start = from;
    for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) {
      if (!isBoundary(text, i)) continue;
      if (this.check(text, start, i)) return true;
      start = i + 1;
    }
    return start < to && this.check(text, start, to);
  }

  /** containsPii(text.slice(from, to)), settled by the pre-scan when nothing there can start a match. */
  private check(text: string, from: number, to: number): boolean {
    if (!mayContainPii(text, from, to)) return false;
    return containsPii(from === 0 && to === text.length ? text : text.slice(from, to));
  }
}
