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

function rawEstimate(text: string): number {
  let cjk = 0;
  let words = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isCjk(c)) {
      cjk++;
      inWord = false;
    } else if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xc0 && c <= 0x24f)) {
      if (!inWord) words++;
      inWord = true;
    } else {
      inWord = false;
    }
  }
  return cjk + words * 1.3;
}

function isCjk(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || // CJK unified ideographs
    (c >= 0x3400 && c <= 0x4dbf) || // extension A
    (c >= 0x3040 && c <= 0x30ff) || // kana
    (c >= 0xac00 && c <= 0xd7af) || // hangul
    (c >= 0xf900 && c <= 0xfaff) // compatibility ideographs
  );
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
