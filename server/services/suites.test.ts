import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Suite } from '../domain/eval.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import { createApiKey } from './api-keys.ts';
import { LabelingService } from './labeling.ts';
import { splitOf } from './splits.ts';
import { buildSuite, caseFromDialogue, loadSuite, suiteDialogueIds } from './suites.ts';

const ids = Array.from({ length: 60 }, (_, i) => `s-${i}`);
const testIds = ids.filter((id) => splitOf(id) === 'test');

async function labeledStore() {
  const store = await labelingStore(
    ids.map((id, i) =>
      fixtureDialogue(id, {
        language: i % 2 ? 'zh' : 'en',
        turns: [
          { role: 'customer', text: i % 2 ? '屏幕碎了' : 'My screen cracked' },
          { role: 'agent', text: i % 2 ? '可以免费维修' : 'We can repair it for free' },
          { role: 'customer', text: i % 2 ? '怎么寄修？' : 'How do I send it in?' },
          { role: 'agent', text: i % 2 ? '请到门店' : 'Bring it to a store' },
        ],
        metadata: { intent: i % 3 ? 'screen_repair' : 'refund_request' },
      }),
    ),
  );
  const viewer = { ...(await createApiKey(store.db, 'reviewer', 'alice')).info };
  const labeling = new LabelingService(store.db);
  for (const id of ids) {
    await labeling.save(id, viewer, {
      fields: { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, reference_answer: `ideal answer for ${id}`, required_facts: ['free repair'], escalation_needed: 'no' },
      status: 'submitted',
      version: null,
    });
  }
  return { ...store, labeling, viewer };
}

describe('splitOf', () => {
  it('puts every dialogue in one split, the same one every time, about 80/10/10', () => {
    const counts = { train: 0, dev: 0, test: 0 };
    for (let i = 0; i < 10_000; i++) counts[splitOf(`d-${i}`)]++;
    expect(counts.train).toBeGreaterThan(7_700);
    expect(counts.dev).toBeGreaterThan(850);
    expect(counts.test).toBeGreaterThan(850);
    expect(splitOf('d-42')).toBe(splitOf('d-42'));
  });
});

describe('buildSuite', () => {
  it('freezes the labeled test-split dialogues into cases with history, last message, profile and reference', async () => {
    const { db } = await labeledStore();
    const dir = tempDir();
    const { suite, created, path } = await buildSuite(db, { name: 'smoke', dir });
    expect(created).toBe(true);
    expect(suite.version).toBe(1);
    expect(suite.cases.map((c) => c.dialogue_id).sort()).toEqual([...testIds].sort());
    const c = suite.cases[0]!;
    expect(c.history.at(-1)!.role).toBe('customer');
    expect(c.customer_message).toBe(c.history.at(-1)!.text);
    expect(c.human_reply).toMatch(/store|门店/);
    expect(c.reference_answer).toBe(`ideal answer for ${c.dialogue_id}`);
    expect(c.required_facts).toEqual(['free repair']);
    expect(c.expected_escalation).toBe(false);
    expect(c.customer!.purchases.map((p) => p.warranty.status)).toEqual(['in_warranty', 'expired']);
    expect(c.customer).not.toHaveProperty('name');
    const file = Suite.parse(JSON.parse(readFileSync(path, 'utf8')));
    expect(file.hash).toBe(suite.hash);
    expect(existsSync(join(dir, 'smoke', 'v1.json'))).toBe(true);
  });

  it('keeps the version when rebuilt from the same labels, and makes a new one when a label changes', async () => {
    const { db, labeling, viewer } = await labeledStore();
    const dir = tempDir();
    const first = await buildSuite(db, { name: 'ver', dir });
    const again = await buildSuite(db, { name: 'ver', dir });
    expect(again).toMatchObject({ created: false });
    expect(again.suite.hash).toBe(first.suite.hash);
    const target = first.suite.cases[0]!.dialogue_id;
    const label = (await labeling.view(target, viewer)).my_label!;
    await labeling.save(target, viewer, { fields: { ...label, reference_answer: 'changed' }, status: 'submitted', version: label.version });
    const changed = await buildSuite(db, { name: 'ver', dir });
    expect(changed.created).toBe(true);
    expect(changed.suite.version).toBe(2);
    expect((await loadSuite(db, 'ver', 1)).hash).toBe(first.suite.hash);
    expect((await loadSuite(db, 'ver')).version).toBe(2);
  });

  it('limits the size while keeping every language represented, and filters', async () => {
    const { db } = await labeledStore();
    const dir = tempDir();
    const small = await buildSuite(db, { name: 'small', size: 2, dir, split: 'train' });
    expect(small.suite.cases).toHaveLength(2);
    expect(new Set(small.suite.cases.map((c) => c.language))).toEqual(new Set(['en', 'zh']));
    const zh = await buildSuite(db, { name: 'zh', dir, split: 'train', filters: { language: 'zh' } });
    expect(zh.suite.cases.every((c) => c.language === 'zh')).toBe(true);
    expect(await suiteDialogueIds(db)).toEqual(new Set([...small.suite.cases, ...zh.suite.cases].map((c) => c.dialogue_id)));
  });

  it('explains what is missing when no dialogue qualifies', async () => {
    const { db } = await labelingStore([fixtureDialogue('lonely')]);
    await expect(buildSuite(db, { name: 'empty', dir: tempDir() })).rejects.toThrow(/no cases for suite empty/);
  });
});

describe('caseFromDialogue', () => {
  it('gives the case only the purchases made by its contact date, with warranty as of that day, and no name', () => {
    const dialogue = { ...fixtureDialogue('asof', { started_at: '2026-04-07T10:00:00+08:00' }), language: 'zh', channel: 'web', source: 'jsonl', content_hash: '' } as never;
    const c = caseFromDialogue(dialogue, undefined, {
      customer_id: 'c-1',
      name: '李娜',
      tier: 'standard',
      purchases: [
        { product: 'Phone 9', purchased_at: '2025-04-07', warranty_months: 12 },
        { product: 'Phone X', purchased_at: '2026-04-10', warranty_months: 12 },
      ],
    });
    expect(c!.contact_date).toBe('2026-04-07');
    expect(c!.customer!.purchases.map((p) => p.product)).toEqual(['Phone 9']);
    expect(c!.customer!.purchases[0]!.warranty).toMatchObject({ status: 'expired', expires_on: '2026-04-06' });
    expect(c!.customer).not.toHaveProperty('name');
  });

  it('uses the reference answer and facts carried in the logs when there is no gold label', () => {
    const c = caseFromDialogue(
      { ...fixtureDialogue('m'), language: 'zh', channel: 'web', source: 'jsonl', content_hash: '', metadata: { intent: 'x', reference_answer: 'ref', required_facts: ['a'], expected_escalation: true } } as never,
      undefined,
      undefined,
    );
    expect(c).toMatchObject({ reference_answer: 'ref', required_facts: ['a'], expected_escalation: true, customer: null, human_reply: '您好，您的手机在保修期内，可以免费维修。' });
  });
});
