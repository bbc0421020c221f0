import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateJsonlFile } from '../server/finetune/validate.ts';
import { startMockFineTuneServer } from '../server/test-support/mock-finetune-server.ts';
import { LabelRepository } from '../server/storage/label-repository.ts';
import { splitOf } from '../server/services/splits.ts';
import { fixtureDialogue, labelingStore } from '../server/test-support/labeling-fixture.ts';
import { tempDir } from '../server/test-support/temp.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  return { code: await main(argv, io), out, err };
}

describe('firstcall finetune build then submit', () => {
  it('writes an OpenAI set that passes the validator and holds no suite dialogue, then uploads it as a job', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `ft-${i}`);
    const { db } = await labelingStore(
      ids.map((id, i) =>
        fixtureDialogue(id, {
          customer_id: `c-${i}`,
          language: i % 2 ? 'zh' : 'en',
          turns: [
            { role: 'customer', text: i % 2 ? `第${i}号订单什么时候到？` : `When does order ${i} arrive?` },
            { role: 'agent', text: i % 2 ? '您的订单明天送达。' : 'Your order arrives tomorrow.' },
          ],
        }),
      ),
    );
    await new LabelRepository(db).upsertMany(
      ids.map((id) => ({ dialogue_id: id, reviewer: 'alice', status: 'submitted', schema_version: 1, intent: 'delivery_delay', fcr: 'yes', accuracy: 'correct', tone: 5, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] })),
    );
    const file = db.path;
    db.close();
    const dir = tempDir();
    expect((await run('suite', 'build', '--name', 'hold-out', '--db', file, '--dir', join(dir, 'suites'), '--split', 'train', '--size', '5')).code).toBe(0);
    const suiteIds = new Set((JSON.parse((await run('suite', 'show', 'hold-out', '--db', file, '--json')).out).cases as { dialogue_id: string }[]).map((c) => c.dialogue_id));

    const out = join(dir, 'sets', 'delivery');
    const built = await run('finetune', 'build', '--name', 'delivery', '--format', 'openai', '--db', file, '--out', out, '--json');
    expect(built.err).not.toContain('firstcall:');
    expect(built.code).toBe(0);
    for (const part of ['train', 'val']) {
      const lines = readFileSync(join(out, `${part}.jsonl`), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      for (const line of lines) expect(line.messages.some((m: { role: string }) => m.role === 'assistant')).toBe(true);
    }
    expect((await validateJsonlFile(join(out, 'train.jsonl'), 'openai')).valid).toBe(true);
    const card = JSON.parse(readFileSync(join(out, 'card.json'), 'utf8'));
    // Every train-split dialogue is either an example or excluded with a reason (the suite's own, and near copies of them).
    expect(card.examples.train + card.examples.val + card.exclusions.total).toBe(ids.filter((id) => splitOf(id) === 'train').length);
    expect(card.exclusions.total).toBeGreaterThanOrEqual(suiteIds.size);
    const text = readFileSync(join(out, 'train.jsonl'), 'utf8') + readFileSync(join(out, 'val.jsonl'), 'utf8');
    for (const id of suiteIds) expect(text).not.toContain(`order ${id.slice(3)} arrive`);

    const server = await startMockFineTuneServer();
    try {
      const submitted = await run('finetune', 'submit', '--set', 'delivery', '--dir', join(dir, 'sets'), '--model', 'gpt-4o-mini-2024-07-18', '--base-url', server.url, '--api-key', server.apiKey ?? '', '--json');
      expect(submitted.code).toBe(0);
      expect(JSON.parse(submitted.out)).toMatchObject({ job_id: expect.any(String), model: 'gpt-4o-mini-2024-07-18' });
    } finally {
      await server.close();
    }
  });
});
