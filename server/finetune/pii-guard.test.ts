import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsPii } from '../text/pii-redaction.ts';
import { REPO_ROOT } from './build-set.ts';
import { PiiGuard } from './pii-guard.ts';

const corpus = readFileSync(join(REPO_ROOT, 'evals/pii/pii-corpus.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => (JSON.parse(l) as { text: string }).text);

describe('PiiGuard', () => {
  it('agrees with containsPii on every labeled text of the PII corpus', () => {
    const guard = new PiiGuard();
    for (const text of corpus) expect(guard.containsPii(text), text).toBe(containsPii(text));
  });

  it('agrees with containsPii on multi-line texts, cache warm or cold, whatever sits around the line breaks', () => {
    // Lines that reach across a break: a label before a number on the next line, an extension after it,
    // a number split over two lines, full-width and Chinese-numeral digits at line starts.
    const joins = [
      '订单号：\n13812345678',
      '订单号\n\n13812345678',
      '版本号：\n8.8.8.8',
      '请拨打 021-12345678\nx1234',
      '请拨打 021 12345678\n转123',
      '订单号 02112345678\n分机12',
      'tel\n13812345678',
      '138\n1234 5678',
      '电话\n１３８１２３４５６７８',
      '电话：一三八一二三四\n五六七八',
      'Order no.\n4111 1111 1111 1111',
      'mail\nli.na@example.com',
      '- Nova X5 Pro 手机，订单号DD20260113198379，购买日期2026-01-13，金额5999\n- 保修至2027-01-12',
      '- Aero 14 laptop, order DD20260225624183, bought 2026-02-25, price 749, 24-month warranty, under warranty until 2028-02-24 (714 days left)',
      '订单号DD20260113198379\ntel13812345678',
      'order DD2026011319837\n9 13812345678',
    ];
    let seed = 11;
    const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const texts: string[] = [...joins];
    for (let i = 0; i < 3000; i++) {
      const parts = Array.from({ length: 1 + rand(6) }, () => (rand(4) === 0 ? joins[rand(joins.length)]! : corpus[rand(corpus.length)]!));
      texts.push(parts.join(rand(3) === 0 ? '\n\n' : '\n'));
    }
    const warm = new PiiGuard();
    for (const text of texts) {
      const expected = containsPii(text);
      expect(warm.containsPii(text), text).toBe(expected);
      expect(new PiiGuard().containsPii(text), text).toBe(expected);
    }
  });

  it('skips known clean texts only where that cannot change the answer, and agrees with containsPii around them', () => {
    const policy = '服务政策：\n1. 保修\n1.1 所有设备自购买之日起保修12个月。\n4.4 国际漫游流量按0.5元/MB计费，漫游日包25元/天。\nCall 400-820-8820 never: we do not give numbers.';
    const rules = 'Hand-off rules:\n1. The customer asks for a person.\n2. A refund over 5000 needs approval.';
    const dirty = 'Escalate to the supervisor on 13812345678 at once.\nThen tell the customer.'; // holds a phone number: never skipped
    const glued = '订单号：'; // a line that exempts the number on the next: checked as part of the text around it
    const known = [policy, rules, dirty, `${glued}\n99 kept apart`];
    const pieces = [policy, rules, dirty, 'tel', '13812345678', 'x1234', '转123', '订单号：', '- Nova X5，订单号DD20260113198379', ...corpus.slice(0, 200)];
    let seed = 29;
    const rand = (n: number) => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    const texts: string[] = [`${policy}\n${rules}`, `tel${policy}`, `${policy}\nx1234`, `${policy}\n转123`, `${rules}13812345678`, `${policy}\n\n${policy}\n138 1234 5678`];
    for (let i = 0; i < 4000; i++) {
      const parts = Array.from({ length: 1 + rand(7) }, () => (rand(3) === 0 ? pieces[rand(3)]! : pieces[rand(pieces.length)]!));
      texts.push(parts.join(['\n', '\n\n', '', ' '][rand(4)]!));
    }
    const guard = new PiiGuard(known);
    let skipped = 0;
    for (const text of texts) {
      if (text.includes(policy) || text.includes(rules)) skipped++;
      expect(guard.containsPii(text), text).toBe(containsPii(text));
    }
    expect(skipped).toBeGreaterThan(1000);
    expect(containsPii(dirty)).toBe(true);
  });
});

