// Intents for every dialogue on a real store: a generated corpus (zh and en, metadata intents) plus
// Chinese-keyed intents, unlabeled "production" dialogues and a planted new topic per language.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LabelFields } from '../domain/label.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { DialogueIntentRepository } from '../storage/dialogue-intent-repository.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';
import { IntentModelRepository } from '../storage/intent-model-repository.ts';
import { IntentRepository } from '../storage/intent-repository.ts';
import { TopicRepository } from '../storage/topic-repository.ts';
import { writeCorpus } from '../synthetic/write-corpus.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { assignIntents, discoverTopics, fitIntents, nameTopic } from './intents.ts';

const ZH_KEYED: Record<string, string[]> = {
  话费查询: ['我这个月话费多少', '帮我查一下话费余额', '话费怎么扣了这么多', '查询本月话费账单', '我的话费还剩多少钱', '想知道上个月话费', '话费明细在哪看', '话费是不是多扣了'],
  宽带报修: ['家里宽带断网了', '宽带连不上网怎么办', '宽带网速特别慢要报修', '光猫红灯宽带没网', '宽带坏了请派人来修', '宽带一直掉线', '宽带报修进度怎么样', '宽带没有信号'],
};
const ZH_INVOICE = ['我要开电子发票', '发票抬头怎么填写', '怎么申请增值税发票', '上个月的发票还没收到', '发票开错了能重开吗', '公司报销需要发票', '电子发票在哪里下载', '发票税号写错了', '能不能把发票寄给我', '专用发票怎么开', '订单的发票什么时候开', '补开一张发票'];
const EN_POINTS = ['how do I redeem loyalty points', 'my reward points expired', 'where can I spend my loyalty points', 'points missing after my purchase', 'how many points do I earn per order', 'can points pay for shipping', 'check my points balance', 'transfer points to my partner', 'loyalty points not credited', 'do points expire at year end', 'redeem points for a voucher', 'why did my points drop'];

const one = (id: string, language: 'zh' | 'en', text: string, intent?: string) => ({
  id,
  language,
  channel: 'web',
  turns: [
    { role: 'customer', text },
    { role: 'agent', text: language === 'zh' ? '好的，我来帮您处理。' : 'Sure, let me help with that.' },
  ],
  ...(intent ? { metadata: { intent } } : {}),
});

describe('intents for every dialogue', async () => {
  const dir = tempDir();
  const db = await tempStore(dir);
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: 500, seed: 11, out: corpus });
  const extra = [
    ...Object.entries(ZH_KEYED).flatMap(([intent, texts]) => texts.map((t, i) => one(`zhk-${intent}-${i}`, 'zh', t, intent))),
    ...ZH_INVOICE.map((t, i) => one(`new-inv-${i}`, 'zh', t)),
    ...EN_POINTS.map((t, i) => one(`new-pts-${i}`, 'en', t)),
    one('prod-zh-bill', 'zh', '帮我查查这个月的话费余额'),
    one('prod-zh-broadband', 'zh', '宽带断网了，一直连不上'),
  ];
  const extraFile = join(dir, 'extra.jsonl');
  writeFileSync(extraFile, extra.map((d) => JSON.stringify(d)).join('\n'));
  await ingestFiles(db, { paths: [corpus, extraFile] });
  // A reviewer's gold label says otherwise for one metadata-labelled dialogue: the label wins.
  await new GoldLabelRepository(db).putAdjudication('zhk-宽带报修-0', LabelFields.parse({ intent: '话费查询' }), 'ada');

  it('learns zh and en intents (Chinese keys included) and reports cross-validated figures next to the majority class', async () => {
    const results = await fitIntents(db, { folds: 5 });
    for (const r of results) {
      expect(r.stored, r.language).toBe(`intents-${r.language}-v1`);
      expect(r.cv!.n).toBe(r.examples);
      expect(r.cv!.fitted.accuracy, r.language).toBeGreaterThan(r.cv!.majority.accuracy + 0.3);
      expect(r.cv!.fitted.macro_f1).toBeGreaterThan(r.cv!.majority.macro_f1);
    }
    const zh = results.find((r) => r.language === 'zh')!;
    expect(zh.intents.map((i) => i.intent)).toEqual(expect.arrayContaining(['话费查询', '宽带报修', 'screen_repair']));
    expect(zh.by_source.label).toBe(1);
    const stored = await new IntentModelRepository(db).latest();
    expect(stored.map((m) => m.id)).toEqual(['intents-en-v1', 'intents-zh-v1']);
    expect(stored.find((m) => m.language === 'zh')!.card).toMatchObject({ cv: { folds: 5 } });
  });

  it('assigns every dialogue an intent with a confidence; labels and metadata win over the classifier', async () => {
    const results = await assignIntents(db, { minConfidence: 0.5 });
    const zh = results.find((r) => r.language === 'zh')!;
    expect(zh.by_source.label).toBe(1);
    expect(zh.dialogues).toBe(zh.by_source.label + zh.by_source.metadata + zh.by_source.topic + zh.by_source.classifier);
    const repo = new DialogueIntentRepository(db);
    expect(await repo.get('zhk-宽带报修-0')).toMatchObject({ intent: '话费查询', source: 'label', confidence: 1 });
    expect(await repo.get('zhk-话费查询-1')).toMatchObject({ intent: '话费查询', source: 'metadata' });
    const bill = await repo.get('prod-zh-bill');
    expect(bill).toMatchObject({ intent: '话费查询', source: 'classifier', model_id: 'intents-zh-v1' });
    expect(bill!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(await repo.get('prod-zh-broadband')).toMatchObject({ intent: '宽带报修', source: 'classifier' });
    const all = await repo.all();
    expect(all.length).toBe(results.reduce((n, r) => n + r.dialogues, 0));
  });

  it('discovers the planted new topic among uncovered dialogues, with key terms and examples, and naming it labels its members', async () => {
    const results = await discoverTopics(db, { threshold: 0.5, seed: 1 });
    const zh = results.find((r) => r.language === 'zh')!;
    const invoice = zh.topics.filter((t) => t.key_terms.some((k) => k.term === '发票'));
    expect(invoice.length).toBeGreaterThanOrEqual(1);
    const topic = invoice.sort((a, b) => b.size - a.size)[0]!;
    expect(topic.size).toBeGreaterThanOrEqual(3);
    expect(topic.examples.every((e) => e.dialogue_id.startsWith('new-inv-') && e.text.includes('发票'))).toBe(true);
    const members = await new TopicRepository(db).members(topic.id);
    expect(members.every((m) => m.startsWith('new-inv-'))).toBe(true);
    const en = results.find((r) => r.language === 'en')!;
    expect(en.topics.some((t) => t.key_terms.some((k) => k.term.includes('points')))).toBe(true);

    const named = await nameTopic(db, topic.id, { intent: '发票申请', names: { zh: '发票申请', en: 'Invoice request' } }, 'ada');
    expect(named.topic).toMatchObject({ status: 'named', named_intent: '发票申请' });
    expect(named.labeled).toBe(members.length);
    expect(await new DialogueIntentRepository(db).get(members[0]!)).toMatchObject({ intent: '发票申请', source: 'topic', model_id: topic.id });
    const taxonomy = await new IntentRepository(db).list();
    expect(taxonomy.find((i) => i.key === '发票申请')).toMatchObject({ names: { zh: '发票申请', en: 'Invoice request' } });
    await expect(nameTopic(db, topic.id, { intent: 'x' }, 'ada')).rejects.toMatchObject({ code: 'conflict' });
    await expect(nameTopic(db, 'topic-zh-missing', { intent: 'x' }, 'ada')).rejects.toMatchObject({ code: 'not_found' });

    // The next fit learns the named intent; a re-assignment keeps the topic's label.
    const refit = await fitIntents(db, { languages: ['zh'] });
    expect(refit[0]!.by_source.topic).toBe(members.length);
    expect(refit[0]!.intents.map((i) => i.intent)).toContain('发票申请');
    await assignIntents(db);
    expect(await new DialogueIntentRepository(db).get(members[0]!)).toMatchObject({ intent: '发票申请', source: 'topic' });
  });
});
