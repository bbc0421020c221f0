import { describe, expect, it } from 'vitest';
import { defaultFeatureSpec, describeFeature, extractFeatures, structureFeatures } from './dialogue-features.ts';
import { featureIndex } from './feature-hashing.ts';

const zhDialogue = {
  turns: [
    { role: 'customer' as const, text: '我的宽带又断了，怎么回事？' },
    { role: 'agent' as const, text: '您好，请私信您的宽带账号，我们为您查询。' },
    { role: 'customer' as const, text: '好的，谢谢' },
  ],
};

function names(d: typeof zhDialogue, language: 'zh' | 'en' = 'zh'): string[] {
  return [...extractFeatures(d, defaultFeatureSpec(language), true).names!.values()];
}

describe('extractFeatures', () => {
  it('prefixes n-grams by role and keeps the customer’s last turn apart', () => {
    const n = names(zhDialogue);
    expect(n).toContain('c:宽带');
    expect(n).toContain('a:私信');
    expect(n).toContain('l:谢谢');
    expect(n).toContain('f:断了');
    expect(n).toContain('r:查询');
    expect(n).not.toContain('l:宽带'); // not in the last customer turn
    expect(n).toContain('s:last=customer');
    expect(n).toContain('s:last_customer_thanks_final');
  });

  it('uses word unigrams and bigrams for English, with placeholders as words', () => {
    const n = names({ turns: [{ role: 'customer', text: 'My phone [PHONE] has NO signal' }, { role: 'agent', text: 'Please restart it.' }] }, 'en');
    expect(n).toContain('c:no signal');
    expect(n).toContain('c:xxphone');
    expect(n).toContain('a:please restart');
    expect(describeFeature('c:xxphone has')).toBe('customer “[PHONE] has”');
  });

  it('does not count a placeholder or a code as shouting, but does count shouted words', () => {
    const calm = structureFeatures([{ role: 'customer', text: 'my code HXDUBJ does not work, call me at [PHONE]' }]);
    expect(calm.map(([n]) => n).some((n) => n.startsWith('customer_shouting'))).toBe(false);
    const loud = structureFeatures([{ role: 'customer', text: 'THIS IS RIDICULOUS' }]);
    expect(loud.map(([n]) => n)).toContain('customer_shouting=2'); // THIS, RIDICULOUS (two-letter IS joins the run but is not counted)
  });

  it('puts placeholders and codes into one feature whatever the value', () => {
    const spec = defaultFeatureSpec('zh');
    const a = extractFeatures({ turns: [{ role: 'customer', text: '验证码HXDUBJ不对' }] }, spec).vector;
    const b = extractFeatures({ turns: [{ role: 'customer', text: '验证码QWZKPT不对' }] }, spec).vector;
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
  });

  it('reads hand-offs, repeated asks and who spoke last', () => {
    const f = structureFeatures([
      { role: 'customer', text: '我的订单什么时候发货' },
      { role: 'agent', text: '正在为您转人工客服' },
      { role: 'customer', text: '我的订单到底什么时候发货' },
      { role: 'tool', text: '{"status":"shipped"}' },
    ]).map(([n]) => n);
    expect(f).toEqual(expect.arrayContaining(['handoff_any', 'handoff_last_agent', 'repeat_asks=1', 'last=customer', 'tools=1']));
  });

  it('is deterministic, sorted and unit-normalised per block', () => {
    const spec = defaultFeatureSpec('zh', ['last_customer']);
    const a = extractFeatures(zhDialogue, spec).vector;
    const b = extractFeatures(zhDialogue, spec).vector;
    expect(Array.from(a.indices)).toEqual(Array.from(b.indices));
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    for (let i = 1; i < a.indices.length; i++) expect(a.indices[i]!).toBeGreaterThan(a.indices[i - 1]!);
    const norm = Math.sqrt(Array.from(a.values).reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 10);
    expect(a.indices).toContain(featureIndex('l:谢谢', spec.bits));
  });

  it('handles a dialogue with only a customer turn', () => {
    const { vector } = extractFeatures({ turns: [{ role: 'customer', text: '在吗' }] }, defaultFeatureSpec('zh'));
    expect(vector.indices.length).toBeGreaterThan(0);
  });
});
