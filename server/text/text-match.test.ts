import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import * as lexicons from './lexicons.ts';
import { tokenize } from './segment.ts';
import { asciiWords, clauses, compact, coverage, findPhrases, loose, matchFacts, negatedBefore, referenceRecall, sentences, stem, terms, type PhraseHit } from './text-match.ts';

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
  for (const piece of unit === 'clause' ? clauses(text) : sentences(text)) {
    for (const pattern of globals) {
      for (const m of piece.matchAll(pattern)) {
        hits.push({ text: m[0], clause: piece, negated: negatedBefore(piece.slice(0, m.index)) });
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
