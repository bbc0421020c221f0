import { describe, expect, it } from 'vitest';
import { discoverTopics, topicTerms } from './topic-discovery.ts';
import { clusterPurity, normalisedMutualInformation, shuffledClusters } from './topic-quality.ts';

// Two groups of requests, varied in wording, each sharing its topic's words.
const ZH_INVOICE = ['我要开电子发票', '发票抬头怎么填写', '怎么申请增值税发票', '上个月的发票还没收到', '发票开错了能重开吗', '公司报销需要发票', '电子发票在哪里下载', '发票税号写错了', '能不能把发票寄给我', '专用发票怎么开', '订单的发票什么时候开', '补开一张发票'];
const ZH_POINTS = ['积分怎么兑换礼品', '我的会员积分过期了吗', '积分兑换商城在哪里', '积分为什么少了', '买东西送多少积分', '积分可以抵现金吗', '会员积分怎么查', '积分兑换的礼品没到', '积分能转给家人吗', '签到积分没有加上', '积分有效期多久', '用积分换话费'];
const EN_INVOICE = ['I need an invoice copy for my purchase', 'please send the VAT invoice again', 'how do I download my invoice', 'the invoice has the wrong company name', 'can you reissue the invoice', 'my invoice never arrived by email', 'I need an invoice for expenses', 'where do I find invoices in my account', 'the invoice total looks wrong', 'add my tax number to the invoice', 'invoice for order 5521 please', 'can the invoice show my address'];
const EN_POINTS = ['how do I redeem loyalty points', 'my reward points expired', 'where can I spend my loyalty points', 'points missing after my purchase', 'how many points do I earn per order', 'can points pay for shipping', 'check my points balance', 'transfer points to my partner', 'loyalty points not credited', 'do points expire at year end', 'redeem points for a voucher', 'why did my points drop'];

const inputs = (texts: string[], prefix: string) => texts.map((text, i) => ({ id: `${prefix}-${String(i).padStart(2, '0')}`, text }));

describe('topic discovery', () => {
  it('never mixes two clearly distinct groups of Chinese requests, and names each topic by its key terms and most central examples', () => {
    const all = [...inputs(ZH_INVOICE, 'inv'), ...inputs(ZH_POINTS, 'pts')];
    const found = discoverTopics(all, 'zh', { seed: 7 });
    expect(found.topics.length).toBeGreaterThanOrEqual(2);
    // Every topic holds one group only; most texts land in a topic (on so few texts it may split a group).
    for (const t of found.topics) expect(new Set(t.members.map((m) => m.slice(0, 3))).size, t.members.join(' ')).toBe(1);
    expect(found.assignment.filter((a) => a >= 0).length).toBeGreaterThanOrEqual(0.6 * all.length);
    for (const t of found.topics) expect(t.keyTerms.map((k) => k.term)).toContain(t.members[0]!.startsWith('inv') ? '发票' : '积分');
    const top = found.topics[0]!;
    expect(top.examples.length).toBe(Math.min(5, top.members.length));
    expect(top.examples[0]!.similarity).toBeGreaterThanOrEqual(top.examples.at(-1)!.similarity);
    expect(top.examples.map((e) => e.id)).toEqual(top.members.slice(0, top.examples.length));
  });

  it('does the same for English, deterministically for a seed', () => {
    const all = [...inputs(EN_INVOICE, 'inv'), ...inputs(EN_POINTS, 'pts')];
    const a = discoverTopics(all, 'en', { seed: 3 });
    expect(discoverTopics(all, 'en', { seed: 3 })).toEqual(a);
    for (const t of a.topics) expect(new Set(t.members.map((m) => m.slice(0, 3))).size, t.members.join(' ')).toBe(1);
    const terms = a.topics.flatMap((t) => t.keyTerms.map((k) => k.term));
    expect(terms).toContain('invoice');
    expect(terms.some((t) => t.includes('points'))).toBe(true);
    // Texts in topics recover the groups far better than chance.
    const kept = all.flatMap((d, i) => (a.assignment[i]! >= 0 ? [{ truth: d.id.slice(0, 3), cluster: a.assignment[i]! }] : []));
    expect(clusterPurity(kept.map((k) => k.cluster), kept.map((k) => k.truth))).toBe(1);
  });

  it('finds nothing in too few texts, and drops stop words from terms', () => {
    expect(discoverTopics(inputs(['hello'], 'x'), 'en').topics).toEqual([]);
    expect(topicTerms('Hi, how do I redeem my loyalty points?', 'en')).toEqual(['redeem', 'loyalty', 'points', 'loyalty points']);
    expect(topicTerms('请问积分怎么兑换', 'zh')).toContain('积分');
  });
});

describe('cluster quality against known intents', () => {
  it('scores a perfect clustering 1 and a shuffled one far lower', () => {
    const truth = Array.from({ length: 60 }, (_, i) => `i${i % 3}`);
    const perfect = truth.map((t) => `c-${t}`);
    expect(clusterPurity(perfect, truth)).toBe(1);
    expect(normalisedMutualInformation(perfect, truth)).toBeCloseTo(1, 10);
    const shuffled = shuffledClusters(perfect, 1);
    expect(normalisedMutualInformation(shuffled, truth)).toBeLessThan(0.2);
    expect(normalisedMutualInformation(truth.map(() => 'one'), truth)).toBe(0);
  });
});
