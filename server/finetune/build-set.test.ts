import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPromptTemplate } from '../candidates/load-candidate.ts';
import { renderMessages } from '../candidates/render-prompt.ts';
import type { DialogueInput } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { LABEL_SCHEMA_VERSION, LabelFields, type LabelFieldsInput } from '../domain/label.ts';
import { goldLabels } from '../services/gold-labels.ts';
import { splitOf } from '../services/splits.ts';
import { buildSuite, caseFromDialogue } from '../services/suites.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import { REPO_ROOT, buildFinetuneSet } from './build-set.ts';
import { validateJsonlFile } from './validate.ts';

/** Dialogue ids in a given split (the split is a hash of the id). */
function idsIn(split: string, prefix: string, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; ids.length < n; i++) if (splitOf(`${prefix}-${i}`) === split) ids.push(`${prefix}-${i}`);
  return ids;
}

const good = idsIn('train', 'good', 12);
const [fixed, noRef, rude, flagged, inSuite, nearCopy, enGood] = idsIn('train', 'case', 7) as [string, string, string, string, string, string, string];
const [suiteSource] = idsIn('test', 'suite', 1) as [string];

const GOOD: LabelFieldsInput = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 5 };
const LONG_COMPLAINT = '我上周在你们官网买的笔记本电脑开机以后一直蓝屏，重装系统也没有用，现在完全没法办公，请问能不能直接换一台新的？';

const dialogues: DialogueInput[] = [
  ...good.map((id, i) => fixtureDialogue(id, { turns: [{ role: 'customer', text: `第${i}号：我刚买的手机屏幕碎了怎么办` }, { role: 'agent', text: `您好，手机在保修期内，可以免费维修（${i}）。` }] })),
  fixtureDialogue(fixed, { turns: [{ role: 'customer', text: '耳机能退吗' }, { role: 'agent', text: '不能退。' }] }),
  fixtureDialogue(noRef, { turns: [{ role: 'customer', text: '路由器保修多久' }, { role: 'agent', text: '三天。' }] }),
  fixtureDialogue(rude, { turns: [{ role: 'customer', text: '订单什么时候发货' }, { role: 'agent', text: '自己去查。' }] }),
  fixtureDialogue(flagged, {
    turns: [
      { role: 'customer', text: '平板充不进电' },
      { role: 'agent', text: '你是不是不会用？' },
      { role: 'customer', text: '我用原装充电器也不行' },
      { role: 'agent', text: '抱歉，请带上平板到门店检测，保修期内免费。' },
    ],
  }),
  fixtureDialogue(inSuite, { turns: [{ role: 'customer', text: '手表的保修状态怎么查' }, { role: 'agent', text: '在订单页可以查看。' }], metadata: { intent: 'warranty_check' } }),
  fixtureDialogue(nearCopy, { turns: [{ role: 'customer', text: `${LONG_COMPLAINT}谢谢` }, { role: 'agent', text: '可以为您办理换货。' }] }),
  fixtureDialogue(enGood, { language: 'en', turns: [{ role: 'customer', text: 'My screen cracked, what can I do?' }, { role: 'agent', text: 'Your phone is under warranty: we repair it for free.' }] }),
  fixtureDialogue(suiteSource, { turns: [{ role: 'customer', text: LONG_COMPLAINT }, { role: 'agent', text: '可以换货。' }] }),
];

const labels: Record<string, LabelFieldsInput> = {
  ...Object.fromEntries(good.map((id) => [id, GOOD])),
  [fixed]: { intent: 'returns', accuracy: 'incorrect', tone: 3, reference_answer: '可以，7天内支持无理由退货。' },
  [noRef]: { intent: 'warranty_check', accuracy: 'incorrect', tone: 4 },
  [rude]: { intent: 'order_status', accuracy: 'correct', tone: 1, reference_answer: '您的订单已出库，预计明天送达。' },
  [flagged]: { ...GOOD, intent: 'charging', turn_flags: [] },
  [inSuite]: { ...GOOD, intent: 'warranty_check' },
  [nearCopy]: { ...GOOD, intent: 'exchange' },
  [enGood]: GOOD,
  [suiteSource]: { ...GOOD, intent: 'exchange' },
};

let db: Database;
const out = tempDir('firstcall-finetune-');

async function label(database: Database, byId: Record<string, LabelFieldsInput>, reviewer = 'alice'): Promise<void> {
  await new LabelRepository(database).upsertMany(
    Object.entries(byId).map(([dialogue_id, fields]) => ({ ...LabelFields.parse(fields), dialogue_id, reviewer, status: 'submitted' as const, schema_version: LABEL_SCHEMA_VERSION })),
  );
}

const lines = (dir: string, file: string) =>
  readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
const all = (dir: string) => [...lines(dir, 'train.jsonl'), ...lines(dir, 'val.jsonl')];

beforeAll(async () => {
  ({ db } = await labelingStore(dialogues));
  await label(db, labels);
  // A second reviewer flags the first agent turn of `flagged` as rude: only that reviewer's label says so.
  await label(db, { [flagged]: { ...GOOD, intent: 'charging', turn_flags: [{ seq: 1, flag: 'rude' }] } }, 'bob');
  await new GoldLabelRepository(db).putAdjudication(flagged, LabelFields.parse({ ...GOOD, intent: 'charging' }), 'ada');
  await buildSuite(db, { name: 'train-overlap', split: 'train', filters: { intent: 'warranty_check' }, dir: out });
  await buildSuite(db, { name: 'held-out', split: 'test', dir: out });
}, 60_000);

describe('buildFinetuneSet', () => {
  it('writes OpenAI chat examples rendered as production renders them, with weights and exclusions', async () => {
    const dir = join(out, 'openai');
    const { card, created } = await buildFinetuneSet(db, { name: 'support', format: 'openai', out: dir });
    expect(created).toBe(true);
    expect(card.version).toBe(1);
    expect(all(dir)).toHaveLength(card.examples.total);
    expect(card.examples).toEqual({ train: 14, val: 2, total: 16 });

    // Field by field for one good dialogue: the system prompt equals renderMessages' output.
    const template = await loadPromptTemplate('prompts/concise-v1.yaml', { root: REPO_ROOT });
    const dialogue = (await new DialogueRepository(db).get(good[0]!))!;
    const customer = await new CustomerRepository(db).get('c-1');
    const gold = (await goldLabels(db)).find((g) => g.dialogue_id === good[0]);
    const expected = renderMessages(template, caseFromDialogue(dialogue, gold, customer)!);
    const record = all(dir).find((r) => JSON.stringify(r).includes('第0号'))! as { messages: { role: string; content: string; weight?: number }[] };
    expect(record.messages.slice(0, expected.length).map(({ role, content }) => ({ role, content }))).toEqual(expected);
    expect(record.messages[0]!.content).toContain('灯塔数码');
    // Few-shot pairs are context only.
    expect(record.messages.slice(1, 5).map((m) => [m.role, m.weight])).toEqual([['user', undefined], ['assistant', 0], ['user', undefined], ['assistant', 0]]);
    expect(record.messages.at(-2)).toEqual({ role: 'user', content: '第0号：我刚买的手机屏幕碎了怎么办' });
    expect(record.messages.at(-1)).toEqual({ role: 'assistant', content: '您好，手机在保修期内，可以免费维修（0）。', weight: 1 });
    expect(Object.keys(record)).toEqual(['messages']);

    const find = (needle: string) => all(dir).find((r) => JSON.stringify(r).includes(needle)) as typeof record | undefined;
    // The reference answer replaces an incorrect reply and a rude one.
    expect(find('耳机能退吗')!.messages.at(-1)).toEqual({ role: 'assistant', content: '可以，7天内支持无理由退货。', weight: 1 });
    expect(find('订单什么时候发货')!.messages.at(-1)!.content).toBe('您的订单已出库，预计明天送达。');
    expect(JSON.stringify(all(dir))).not.toContain('不能退。');
    // An earlier rude turn (flagged by one reviewer) stays as context with weight 0.
    const f = find('平板充不进电')!;
    expect(f.messages.slice(-4)).toEqual([
      { role: 'user', content: '平板充不进电' },
      { role: 'assistant', content: '你是不是不会用？', weight: 0 },
      { role: 'user', content: '我用原装充电器也不行' },
      { role: 'assistant', content: '抱歉，请带上平板到门店检测，保修期内免费。', weight: 1 },
    ]);
    expect(find('My screen cracked')!.messages[0]!.content).toContain('Beacon Electronics');

    // Guards and exclusions.
    expect(card.exclusions.by_reason).toEqual({ in_suite: 1, near_duplicate_of_suite: 1, incorrect_without_reference: 1 });
    const near = card.exclusions.examples.find((e) => e.reason === 'near_duplicate_of_suite')!;
    expect(near.dialogue_id).toBe(nearCopy);
    expect(near.detail).toContain(suiteSource);
    expect(card.exclusions.examples.find((e) => e.reason === 'in_suite')!.dialogue_id).toBe(inSuite);
    expect(find('蓝屏')).toBeUndefined();
    expect(find(suiteSource)).toBeUndefined();
    expect(card.reply_sources).toEqual({ logged: 14, reference: 2 });
    expect(card.by_language).toEqual({ zh: 15, en: 1 });
    expect(card.label_schema_version.sources).toEqual([LABEL_SCHEMA_VERSION]);
    expect(card.tokens.total).toBeGreaterThan(0);
    expect(card.tokens.max).toBeGreaterThanOrEqual(card.tokens.p95);
    expect(JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')).hash).toBe(card.hash);
    expect(readFileSync(join(dir, 'card.md'), 'utf8')).toContain('near_duplicate_of_suite');
    expect((await validateJsonlFile(join(dir, 'train.jsonl'), 'openai')).valid).toBe(true);

    // Same content, same version; a changed threshold (copy no longer excluded) gives v2.
    expect((await buildFinetuneSet(db, { name: 'support', format: 'openai', out: dir })).created).toBe(false);
    const again = await buildFinetuneSet(db, { name: 'support', format: 'openai', out: dir, nearDuplicateThreshold: 0.99 });
    expect(again.card.version).toBe(2);
    expect(again.card.exclusions.by_reason.near_duplicate_of_suite).toBeUndefined();
    const rows = await db.all<{ version: number }>("SELECT version FROM finetune_sets WHERE name = 'support' ORDER BY version");
    expect(rows.map((r) => Number(r.version))).toEqual([1, 2]);
  });

  it('writes the same files from worker threads as from the calling thread, for every format', async () => {
    for (const format of ['openai', 'trl-preference'] as const) {
      const inline = await buildFinetuneSet(db, { name: `w-${format}`, format, out: join(out, `w0-${format}`), valFraction: 0.25, workers: 0 });
      const pooled = await buildFinetuneSet(db, { name: `w-${format}`, format, out: join(out, `w2-${format}`), valFraction: 0.25, workers: 2 });
      expect(pooled.card.hash).toBe(inline.card.hash);
      expect({ ...pooled.card, created_at: '', version: 0 }).toEqual({ ...inline.card, created_at: '', version: 0 });
      for (const file of ['train.jsonl', 'val.jsonl']) expect(readFileSync(join(out, `w2-${format}`, file), 'utf8')).toBe(readFileSync(join(out, `w0-${format}`, file), 'utf8'));
    }
  }, 60_000);

  it('splits train and val deterministically and stratified', async () => {
    const a = await buildFinetuneSet(db, { name: 'split-a', format: 'trl', out: join(out, 'split-a'), valFraction: 0.25 });
    const b = await buildFinetuneSet(db, { name: 'split-b', format: 'trl', out: join(out, 'split-b'), valFraction: 0.25 });
    expect(a.card.hash).toBe(b.card.hash);
    expect(a.card.examples.val).toBe(Math.round(a.card.examples.total * 0.25));
    // The largest group (screen_repair|zh, 12 examples) gets its 3.
    const val = lines(join(out, 'split-a'), 'val.jsonl');
    expect(val.filter((r) => JSON.stringify(r).includes('屏幕碎了')).length).toBe(3);
  });

  it('writes TRL SFT, ShareGPT and Alpaca, leaving out what they cannot mask', async () => {
    const trl = await buildFinetuneSet(db, { name: 'trl', format: 'trl', out: join(out, 'trl'), valFraction: 0 });
    expect(trl.card.exclusions.by_reason.unmaskable_bad_turn).toBe(1);
    const t = lines(join(out, 'trl'), 'train.jsonl').find((r) => JSON.stringify(r).includes('第1号'))! as { messages: { role: string; content: string }[] };
    expect(t.messages.at(-1)).toEqual({ role: 'assistant', content: '您好，手机在保修期内，可以免费维修（1）。' });
    expect(t.messages[0]!.role).toBe('system');
    expect(t.messages.some((m) => 'weight' in m)).toBe(false);

    await buildFinetuneSet(db, { name: 'sg', format: 'sharegpt', out: join(out, 'sg'), valFraction: 0 });
    const s = lines(join(out, 'sg'), 'train.jsonl').find((r) => JSON.stringify(r).includes('第1号'))! as { conversations: { from: string; value: string }[] };
    expect(s.conversations.map((c) => c.from)).toEqual(['system', 'human', 'gpt', 'human', 'gpt', 'human', 'gpt']);
    expect(s.conversations.at(-1)!.value).toBe('您好，手机在保修期内，可以免费维修（1）。');

    const al = await buildFinetuneSet(db, { name: 'al', format: 'alpaca', out: join(out, 'al'), valFraction: 0 });
    expect(al.card.exclusions.by_reason.unmaskable_bad_turn).toBeUndefined();
    const records = lines(join(out, 'al'), 'train.jsonl') as { instruction: string; input: string; output: string }[];
    const x = records.find((r) => r.input === '我用原装充电器也不行')!;
    expect(Object.keys(x)).toEqual(['instruction', 'input', 'output']);
    expect(x.output).toBe('抱歉，请带上平板到门店检测，保修期内免费。');
    expect(x.instruction).toContain('灯塔数码');
    expect(x.instruction).toContain('客户: 平板充不进电\n客服: 你是不是不会用？');
  });

  it('writes preference pairs in OpenAI DPO and TRL shapes', async () => {
    // Too few pairs for OpenAI's minimum of 10: the build refuses.
    await expect(buildFinetuneSet(db, { name: 'dpo', format: 'openai-dpo', out: join(out, 'dpo') })).rejects.toThrow(/at least 10/);
    const trl = await buildFinetuneSet(db, { name: 'pref', format: 'trl-preference', out: join(out, 'pref'), valFraction: 0 });
    expect(trl.card.examples.total).toBe(2);
    expect(trl.card.exclusions.by_reason.no_rejected_reply).toBe(14);
    const pairs = lines(join(out, 'pref'), 'train.jsonl') as { prompt: { role: string; content: string }[]; chosen: unknown[]; rejected: unknown[] }[];
    const p = pairs.find((r) => r.prompt.at(-1)!.content === '订单什么时候发货')!;
    expect(Object.keys(p)).toEqual(['prompt', 'chosen', 'rejected']);
    expect(p.prompt[0]!.role).toBe('system');
    expect(p.chosen).toEqual([{ role: 'assistant', content: '您的订单已出库，预计明天送达。' }]);
    expect(p.rejected).toEqual([{ role: 'assistant', content: '自己去查。' }]);
  });
});

describe('the PII guard', () => {
  it('fails the build on a phone number in a reference answer, without printing it', async () => {
    const ids = idsIn('train', 'pii', 11);
    const { db: store } = await labelingStore(ids.map((id, i) => fixtureDialogue(id, { turns: [{ role: 'customer', text: `问题${i}：耳机坏了` }, { role: 'agent', text: '请到门店检测。' }] })));
    await label(store, Object.fromEntries(ids.map((id, i) => [id, i === 0 ? { accuracy: 'incorrect', tone: 3, reference_answer: '请拨打13812345678联系售后。' } : GOOD])));
    const dir = join(out, 'pii');
    const error = await buildFinetuneSet(store, { name: 'pii', format: 'openai', out: dir }).catch((e: unknown) => e);
    expect(AppError.isInstance(error) && error.code).toBe('validation');
    expect((error as Error).message).toContain(ids[0]);
    expect((error as Error).message).toContain('PHONE');
    expect((error as Error).message).not.toContain('13812345678');
    // The same from a worker thread, and no scratch file is left behind.
    const pooled = await buildFinetuneSet(store, { name: 'pii', format: 'openai', out: dir, workers: 2 }).catch((e: unknown) => e);
    expect(AppError.isInstance(pooled) && pooled.code).toBe('validation');
    expect((pooled as Error).message).toBe((error as Error).message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails the build on a dialogue ingested without redaction', async () => {
    const ids = idsIn('train', 'raw', 11);
    const { db: store } = await labelingStore([]);
    const { writeFileSync } = await import('node:fs');
    const { ingestFiles } = await import('../ingest/ingest-service.ts');
    const file = join(out, 'raw.jsonl');
    writeFileSync(file, ids.map((id, i) => JSON.stringify(fixtureDialogue(id, { turns: [{ role: 'customer', text: i === 3 ? '我的邮箱是li.na@example.com' : `问题${i}` }, { role: 'agent', text: '好的。' }] }))).join('\n'));
    await ingestFiles(store, { paths: [file], redact: false });
    await label(store, Object.fromEntries(ids.map((id) => [id, GOOD])));
    await expect(buildFinetuneSet(store, { name: 'raw', format: 'openai', out: join(out, 'raw') })).rejects.toThrow(new RegExp(`${ids[3]}.*EMAIL`));
  });
});
