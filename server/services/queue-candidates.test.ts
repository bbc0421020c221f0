import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import { importLabels } from './label-files.ts';

const as = (key: string) => ({ authorization: `Bearer ${key}` });

describe('the labeling queue and imported gold labels', () => {
  it('never hands out a dialogue whose gold label was imported, and counts it out of the remaining ones', async () => {
    const { db, keys } = await labelingStore([
      fixtureDialogue('q-1'),
      fixtureDialogue('q-2', { customer_id: 'c-2' }),
      fixtureDialogue('q-3', { customer_id: 'c-3' }),
    ]);
    const app = await buildApp({ db, maxAuthFailures: 1000 });
    try {
      const next = () => app.inject({ url: '/api/queue/next', headers: as(keys.reviewer) });
      expect((await next()).json().progress.remaining).toBe(3);

      // the server is running (its queue cached) when the gold labels come in
      const file = join(tempDir(), 'gold.jsonl');
      const gold = (id: string) => ({ dialogue_id: id, decided_by: 'vendor', intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4 });
      writeFileSync(file, [gold('q-1'), gold('q-3')].map((l) => JSON.stringify(l)).join('\n'));
      await importLabels(db, file);
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the queue checks the store's version at most once a second

      const after = await next(); // the item alice had open is dropped too if it was q-1 or q-3
      expect(after.statusCode).toBe(200);
      expect(after.json().item.dialogue.id).toBe('q-2');
      expect(after.json().progress.remaining).toBe(1);
      // nor through a filter
      const filtered = await app.inject({ url: '/api/queue/next?channel=web&language=zh', headers: as(keys.reviewer) });
      expect(filtered.json().item.dialogue.id).toBe('q-2');
    } finally {
      await app.close();
    }
  });
});
