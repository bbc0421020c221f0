// A store with a suite and a candidate file for eval tests: dialogues carrying reference answers,
// a suite over their training split, and a candidate on openai pointing at a mock server.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSuite } from '../services/suites.ts';
import type { Suite } from '../domain/eval.ts';
import { fixtureDialogue, labelingStore } from './labeling-fixture.ts';
import { tempDir } from './temp.ts';

export const REPO = join(import.meta.dirname, '..', '..');

export async function evalStore(n = 40) {
  const { db, keys } = await labelingStore(
    Array.from({ length: n }, (_, i) =>
      fixtureDialogue(`ev-${String(i).padStart(3, '0')}`, {
        customer_id: `c-${i % 7}`,
        language: i % 2 ? 'zh' : 'en',
        turns: [
          { role: 'customer', text: i % 2 ? `我的订单 case-${i} 什么时候到？` : `Where is my order case-${i}?` },
          { role: 'agent', text: i % 2 ? '您的订单明天送达，很抱歉久等了。' : 'Sorry for the wait, your order arrives tomorrow.' },
        ],
        metadata: {
          intent: 'delivery_delay',
          reference_answer: i % 2 ? '很抱歉久等了，您的订单明天送达。' : 'Sorry for the wait — your order arrives tomorrow.',
          required_facts: [i % 2 ? '明天送达' : 'arrives tomorrow'],
        },
      }),
    ),
  );
  const dir = tempDir();
  const { suite } = await buildSuite(db, { name: 'eval-test', split: 'train', filters: { labeled_only: false }, dir });
  const candidate = join(dir, 'candidate.yaml');
  writeFileSync(candidate, `name: mock-concise\nprompt: ${join(REPO, 'prompts', 'concise-v1.yaml')}\nmodel: openai:mock-model\nparams:\n  temperature: 0\n  max_tokens: 200\n`);
  return { db, keys, suite: suite as Suite, candidate, dir };
}
