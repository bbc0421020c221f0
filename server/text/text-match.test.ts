import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import * as lexicons from './lexicons.ts';
import { tokenize } from './segment.ts';
import {
  asciiWords,
  clauses,
  compact,
  coverage,
  findPhrases,
  hasDenial,
  loose,
  matchFacts,
  negatedBefore,
  nonHanWords,
  quickMatchAll,
  quickTest,
  referenceRecall,
  sentences,
  stem,
  terms,
  type PhraseHit,
} from './text-match.ts';

describe('stem', () => {
  it.each([
    ['days', 'day'],
    ['covered', 'cover'],
    ['transferring', 'transfer'],
    ['transferred', 'transfer'],
    ['replies', 'reply'],
    ['business', 'business'],
    ['boxes', 'box'],
    ['apologise', 'sorry'],
  ])('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });
});

describe('fact coverage', () => {
  const cov = (fact: string, reply: string) => coverage(fact, terms(reply), compact(reply));

  it('is 1 for a verbatim fact, ignoring spaces, case and punctuation', () => {
    expect(cov('7天无理由退货', '支持 7 天无理由退货。')).toBe(1);
    expect(cov('Out of warranty', "it's out-of-warranty now")).toBe(1);
  });

  it('finds reworded Chinese through bigrams and English through stems', () => {
    expect(cov('已过保修期', '保修期已过，现在已经过保修期了')).toBeGreaterThanOrEqual(0.7);
    expect(cov('within 30 days', 'you are still within the 30 day window')).toBe(1);
  });

  it('treats a fact without its number as missing', () => {
    expect(cov('59元/月', '畅享套餐39元/月')).toBeLessThan(0.4);
    expect(cov('SF1234567890123', 'tracking SF1234567890999')).toBeLessThan(0.4);
  });

  it('does not credit a fact the reply denies', () => {
    const [cancelled] = matchFacts(['已为您取消'], '订单一旦支付就不能取消了，为您查询到物流。');
    expect(cancelled!.credit).toBe(0);
    const [refund] = matchFacts(['refund'], 'After 7 days we can only repair it, not refund it.');
    expect(refund!.credit).toBe(0);
    const [denial] = matchFacts(['无法办理退款'], '很抱歉，无法办理退款。');
    expect(denial!.credit).toBe(1);
  });
});

describe('referenceRecall', () => {
  it('is higher for a paraphrase than for an unrelated reply', () => {
    const ref = '您的订单已发货，运单号SF1234567890123，预计3月14日送达。';
    expect(referenceRecall(ref, '订单已经发货了，运单号SF1234567890123，3月14日能到。')).toBeGreaterThan(referenceRecall(ref, '请问还有什么可以帮您？'));
  });
});

describe('negatedBefore', () => {
  it.each([
    ['不', true],
    ['我无法为您', true],
    ["I can't ", true],
    ['it is not ', true],
    ["I'm now ", false],
    ['非常高兴为您', false],
    ['', false],
  ])('%j -> %s', (prefix, expected) => {
    expect(negatedBefore(prefix)).toBe(expected);
  });
});

/** Real customer-service texts: Chinese and English helpdesk dialogues (STC-3), bitext requests and answers, tau-bench retail. */
function realTexts(): string[] {
  const root = new URL('../../', import.meta.url);
  const texts: string[] = [];
  for (const file of ['stc3-dq-cn.jsonl', 'stc3-dq-en.jsonl']) {
    const lines = readFileSync(new URL(`../shared/data/stc3-helpdesk/${file}`, root), 'utf8').split('\n').filter((l) => l.trim() !== '');
    for (const line of lines.slice(0, 120)) {
      for (const turn of (JSON.parse(line) as { turns: { utterances: string[] }[] }).turns) texts.push(turn.utterances.join('\n'));
    }
  }
  const bitext = parse(readFileSync(new URL('datasets/bitext-customer-support/bitext-sample.csv', root), 'utf8'), { columns: true }) as { instruction: string; response: string }[];
  for (const row of bitext.slice(0, 120)) texts.push(row.instruction, row.response);
  for (const line of readFileSync(new URL('datasets/tau-bench-retail/retail-sample.jsonl', root), 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    texts.push(...(JSON.parse(line) as { messages_display: string }).messages_display.split('\n'));
  }
  return texts;
}

/** findPhrases as plainly as it can be said: every pattern tried in every piece. */
function findPhrasesPlainly(text: string, patterns: readonly RegExp[], unit: 'clause' | 'sentence'): PhraseHit[] {
  const hits: PhraseHit[] = [];
  const globals = patterns.map((p) => new RegExp(p.source, p.flags.includes('g') ? p.flags : p.flags + 'g'));
  for (const [p, piece] of (unit === 'clause' ? clauses(text) : sentences(text)).entries()) {
    for (const pattern of globals) {
      for (const m of piece.matchAll(pattern)) {
        hits.push({ text: m[0], clause: piece, piece: p, at: m.index, negated: negatedBefore(piece.slice(0, m.index)) });
      }
    }
  }
  return hits;
}

describe('findPhrases', () => {
  it('finds exactly what trying every pattern in every clause finds, on real texts in both languages with every lexicon', () => {
    const texts = realTexts();
    const lists = Object.entries(lexicons).filter((e): e is [string, RegExp[]] => Array.isArray(e[1]) && e[1][0] instanceof RegExp);
    expect(lists.length).toBeGreaterThan(10);
    let found = 0;
    for (const [name, patterns] of lists) {
      for (const unit of ['clause', 'sentence'] as const) {
        const quick = texts.map((t) => findPhrases(t, patterns, unit));
        const plain = texts.map((t) => findPhrasesPlainly(t, patterns, unit));
        expect(quick, `${name} by ${unit}`).toEqual(plain);
        found += plain.reduce((n, hits) => n + hits.length, 0);
      }
    }
    expect(found).toBeGreaterThan(1000);
  });

  it('skips nothing a pattern would match even when its alternation cannot be joined with the others', () => {
    const clashing = [/(?<x>refund)/i, /(?<x>return)/i];
    expect(findPhrases('I can refund it, or return it.', clashing).map((h) => h.text)).toEqual(['refund', 'return']);
  });
});

describe('loose', () => {
  it('takes word boundaries out, so it matches wherever the pattern does and more', () => {
    expect(loose(/\b(?:sorry)\b/iu).source).toBe('(?:sorry)');
    expect(loose(/\bnot\B/u).source).toBe('not');
    expect(loose(/\bsorry\b/iu).test('sorryyy')).toBe(true);
    expect(loose(/\bsorry\b/giu).flags).toBe('iu');
  });

  it('keeps an escaped backslash before b, a backspace in a class and boundaries inside negative lookarounds', () => {
    expect(loose(/a\\b/u).source).toBe('a\\\\b');
    expect(loose(/[\b]x\b/u).source).toBe('[\\b]x');
    expect(loose(/(?<!\bnot )\brefund/u).source).toBe('(?<!\\bnot )refund');
    expect(loose(/(?!\bno\b)\w+/u).source).toBe('(?!\\bno\\b)\\w+');
    // Outside the lookaround, boundaries go again.
    expect(loose(/(?!x)\bab\b/u).source).toBe('(?!x)ab');
  });
});

describe('asciiWords', () => {
  it('finds the words Intl.Segmenter finds (tokenize) in real ASCII texts', () => {
    const texts = realTexts().filter((t) => /^[\x00-\x7f]*$/.test(t));
    expect(texts.length).toBeGreaterThan(500);
    for (const text of texts) expect(asciiWords(text), text).toEqual(tokenize(text));
  });

  it('finds the words Intl.Segmenter finds in random ASCII strings, every character and the joining ones often', () => {
    const alphabet = [...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)), ...'aaeeZ11__..,,;;::\'\'  '];
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
    for (let n = 0; n < 40_000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 14) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(asciiWords(text), JSON.stringify(text)).toEqual(tokenize(text));
    }
  });

  it("joins letters across : . ' and digits across , ; . ' as ICU does", () => {
    expect(asciiWords("Don't pay 1,299.00 at 9:30 a.m.; e-mail x_y or __")).toEqual(["don't", 'pay', '1,299.00', 'at', '9', '30', 'a.m', 'e', 'mail', 'x_y', 'or', '__']);
  });
});

/** Deterministic pseudo-random strings over `alphabet`. */
function randomStrings(alphabet: readonly string[], count: number, maxLength: number, seed = 11): string[] {
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff) / 0x7fffffff;
  return Array.from({ length: count }, () => Array.from({ length: 1 + Math.floor(random() * maxLength) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
}

const HAN = /\p{Script=Han}/u;

describe('nonHanWords', () => {
  it('finds the non-Han words Intl.Segmenter finds in real texts of Han, ASCII and CJK punctuation', () => {
    const texts = realTexts().filter((t) => nonHanWords(t) !== null && HAN.test(t));
    expect(texts.length).toBeGreaterThan(300);
    for (const text of texts) expect(nonHanWords(text), text).toEqual(tokenize(text).filter((w) => !HAN.test(w)));
  });

  it('finds the non-Han words Intl.Segmenter finds in random strings of Han, ASCII and CJK punctuation, joining characters often', () => {
    const alphabet = [
      ...Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)),
      ...'aZ19_.,;:\'  ',
      ...'我们的订单已经发货了您好请问退款保修期内维修手机屏幕人工客服转接元月日号天小时分钟抱歉不能没有是否',
      ...'、。“”《》〈〉【】「」『』〔〕—',
      ...'\u2018\u2019', // curly apostrophes, which tokenize makes straight
    ];
    const texts = randomStrings(alphabet, 30_000, 16);
    for (const text of texts) expect(nonHanWords(text), JSON.stringify(text)).toEqual(tokenize(text).filter((w) => !HAN.test(w)));
  });

  it('declines text with characters whose words it cannot vouch for: kana, a middle dot, other scripts', () => {
    for (const text of ['手机カバー', '约翰·史密斯', 'café 订单', '한국어 주문', '〇号', '㐀字']) expect(nonHanWords(text), text).toBeNull();
    expect(nonHanWords('订单SF1234567890123已发货，3月14日到。')).toEqual(['sf1234567890123', '3', '14']);
  });
});

describe('referenceRecall', () => {
  /** The recall as first written: over terms(), Han words skipped (they count through their bigrams). */
  function recallPlainly(reference: string, reply: string): number {
    const ref = terms(reference);
    const rep = terms(reply);
    let hits = 0;
    let total = 0;
    for (const g of ref.bigrams) {
      total++;
      if (rep.bigrams.has(g)) hits++;
    }
    for (const w of ref.words) {
      if (HAN.test(w)) continue;
      total++;
      if (rep.words.has(w)) hits++;
    }
    return total === 0 ? 0 : hits / total;
  }

  it('is the recall over terms() on real text pairs, read with or without Intl.Segmenter', () => {
    const texts = realTexts();
    const pairs = texts.slice(1).map((t, i) => [texts[i]!, t] as const);
    // The recall first (texts unseen: its shortcut runs), then the plain one (which reads terms()).
    const quick = pairs.map(([a, b]) => referenceRecall(a, b));
    expect(quick.filter((x) => x > 0).length).toBeGreaterThan(100);
    expect(quick).toEqual(pairs.map(([a, b]) => recallPlainly(a, b)));
  });
});

describe('quickTest and quickMatchAll', () => {
  const tricky = ['notify me', 'another one', 'a gift card', 'knot', 'Nothing else', 'cannot', "isn't", 'iffy', 'Within 2 days we call', '非常好', 'may 5th', 'Mayday 5', 'if so', 'within 24 hours we will contact you', '3天内回电', '¥1,299.00 refund'];
  const texts = [...realTexts().filter((_, i) => i % 3 === 0), ...tricky];
  const patterns = Object.entries(lexicons).flatMap(([name, v]) => (v instanceof RegExp ? [[name, v] as const] : Array.isArray(v) && v[0] instanceof RegExp ? (v as RegExp[]).map((p, i) => [`${name}[${i}]`, p] as const) : []));

  it('answer as test() and matchAll() do for every lexicon pattern on real and tricky texts', () => {
    expect(patterns.length).toBeGreaterThan(100);
    let matched = 0;
    const wrong: string[] = [];
    const all = (it: Iterable<RegExpMatchArray>) => JSON.stringify([...it].map((m) => [m.index, ...m]));
    for (const [name, pattern] of patterns) {
      const plain = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
      const global = new RegExp(plain.source, plain.flags + 'g');
      const test = quickTest(plain);
      for (const text of texts) {
        const expected = plain.test(text);
        if (test(text) !== expected) wrong.push(`test ${name} on ${JSON.stringify(text)}`);
        if (all(quickMatchAll(text, pattern)) !== all(text.matchAll(global))) wrong.push(`matchAll ${name} on ${JSON.stringify(text)}`);
        if (expected) matched++;
      }
    }
    expect(wrong).toEqual([]);
    expect(matched).toBeGreaterThan(300);
  });

  it('keep word boundaries: a denial or a condition inside another word is none', () => {
    for (const text of ['notify me', 'another one', 'knot', 'Nothing else', '非常好']) expect(hasDenial(text), text).toBe(false);
    for (const text of ['cannot', "isn't", 'we will not', '不能取消']) expect(hasDenial(text), text).toBe(true);
    const conditional = quickTest(lexicons.CONDITIONAL);
    expect(conditional('a gift card')).toBe(false);
    expect(conditional('iffy')).toBe(false);
    expect(conditional('if so')).toBe(true);
  });
});

describe('sentences and clauses', () => {
  it('hand each caller its own list (the shared split stays as it was)', () => {
    const text = '您好，订单已发货。Thanks, see you.';
    const first = clauses(text);
    first.push('x');
    first[0] = 'changed';
    expect(clauses(text)).toEqual(['您好', '订单已发货。', 'Thanks', 'see you.']);
    const s = sentences(text);
    s.length = 0;
    expect(sentences(text)).toEqual(['您好，订单已发货。', 'Thanks, see you.']);
    expect(findPhrases(text, lexicons.POLITE).map((h) => h.text)).toEqual(['您好', '您', 'Thanks']);
  });
});
