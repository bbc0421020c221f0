// A tokenizer-free token estimate for fine-tuning files: good enough to warn about long examples and
// to size a set, never used for billing.

/**
 * ≈ one token per CJK character (Han, kana, hangul: BPE vocabularies of GPT-4-class and Qwen models
 * spend about one token on each) plus 1.3 tokens per English word or number (the usual words-to-tokens
 * ratio for English prose). Punctuation and spaces are not counted. Rounded up.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(rawEstimate(text));
}

/** Per UTF-16 unit: 1 a CJK character, 2 a word character (ASCII letter or digit, Latin-1/Extended-A/B letter), 0 anything else. */
const CLASS = (() => {
  const t = new Uint8Array(0x10000);
  const fill = (from: number, to: number, k: number) => t.fill(k, from, to + 1);
  fill(48, 57, 2); // 0-9
  fill(65, 90, 2); // A-Z
  fill(97, 122, 2); // a-z
  fill(0xc0, 0x24f, 2); // Latin-1 letters, Latin Extended-A and -B
  fill(0x4e00, 0x9fff, 1); // CJK unified ideographs
  fill(0x3400, 0x4dbf, 1); // extension A
  fill(0x3040, 0x30ff, 1); // kana
  fill(0xac00, 0xd7af, 1); // hangul
  fill(0xf900, 0xfaff, 1); // compatibility ideographs
  return t;
})();

function rawEstimate(text: string): number {
  let cjk = 0;
  let words = 0;
  let inWord = 0; // 1 inside a word
  for (let i = 0; i < text.length; i++) {
    // Without branches (the classes alternate too often to predict): a word counts where one starts.
    const k = CLASS[text.charCodeAt(i)]!;
    const word = k >> 1;
    cjk += k & 1;
    words += word & ~inWord;
    inWord = word;
  }
  return cjk + words * 1.3;
}

/** Every string in a record except the values of `role` and `from` keys (markup, not text). */
export function recordTexts(value: unknown, path = '', out: { path: string; text: string }[] = []): { path: string; text: string }[] {
  if (typeof value === 'string') out.push({ path, text: value });
  else if (Array.isArray(value)) value.forEach((item, i) => recordTexts(item, `${path}[${i}]`, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) if (key !== 'role' && key !== 'from') recordTexts(item, path === '' ? key : `${path}.${key}`, out);
  }
  return out;
}

/** Calls `visit` with every text of a record (as recordTexts, without building paths: the hot path of a build). */
export function forEachText(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (Array.isArray(value)) for (const item of value) forEachText(item, visit);
  else if (typeof value === 'object' && value !== null) {
    for (const key in value) if (key !== 'role' && key !== 'from') forEachText((value as Record<string, unknown>)[key], visit);
  }
}

export function recordTokens(record: unknown): number {
  let total = 0;
  forEachText(record, (text) => (total += rawEstimate(text)));
  return Math.ceil(total);
}
