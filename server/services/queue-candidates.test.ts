import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { tempDir } from '../test-support/temp.ts';
import { importLabels } from './label-files.ts';
import type { QueueCandidateRepository } from '../storage/queue-candidate-repository.ts';
import { QueueCandidates } from './queue-candidates.ts';
import { LabelingService } from './labeling.ts';
import { putSettings } from './settings.ts';
import type { SaveLabelBody } from '../domain/api.ts';
import type { ApiKeyInfo } from '../domain/label.ts';

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

describe('the labeling queue and imported reviewer labels', () => {
  it("never hands out again a dialogue a reviewer's imported label says they have done, and counts it done", async () => {
    const dialogues = ['i-1', 'i-2', 'i-3'].map((id, i) => fixtureDialogue(id, { customer_id: `c-${i + 1}` }));
    const { db, keys } = await labelingStore(dialogues);
    const app = await buildApp({ db, maxAuthFailures: 1000 });
    try {
      const next = () => app.inject({ url: '/api/queue/next', headers: as(keys.reviewer) });
      const first = (await next()).json();
      expect(first.progress).toEqual({ done: 0, remaining: 3 });
      // The server is running (its review state loaded) when alice's labels of all three come in.
      const file = join(tempDir(), 'labels.jsonl');
      const label = (id: string) => ({ dialogue_id: id, reviewer: 'alice', status: 'submitted', intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4 });
      writeFileSync(file, dialogues.map((d) => JSON.stringify(label(d.id))).join('\n'));
      await importLabels(db, file);
      const after = (await next()).json();
      expect(after.item).toBeNull(); // not even the item she had open
      expect(after.progress).toEqual({ done: 3, remaining: 0 });
    } finally {
      await app.close();
    }
  });
});

describe("the queue's remaining count", () => {
  const reviewer = (name: string): ApiKeyInfo => ({ id: `k-${name}`, name, role: 'reviewer', created_at: '2026-01-01T00:00:00Z' });
  const [alice, bob, carol] = ['alice', 'bob', 'carol'].map(reviewer) as [ApiKeyInfo, ApiKeyInfo, ApiKeyInfo];
  const fields: SaveLabelBody['fields'] = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] };
  const store = async (overlap: number) => {
    const { db } = await labelingStore(['m-1', 'm-2', 'm-3'].map((id, i) => fixtureDialogue(id, { customer_id: `c-${i + 1}` })));
    await putSettings(db, { overlap, fcr_window_days: 7 }, 'admin');
    return { db, labeling: new LabelingService(db) };
  };

  it("counts a dialogue out as soon as other reviewers' labels fill it", async () => {
    const { labeling } = await store(1);
    expect((await labeling.next(alice)).progress.remaining).toBe(3);
    const theirs = (await labeling.next(bob)).item!.dialogue.id;
    await labeling.save(theirs, bob, { fields, status: 'submitted', version: null });
    const next = await labeling.next(alice);
    expect(next.progress.remaining).toBe(2);
    expect(next.item!.dialogue.id).not.toBe(theirs);
  });

  it('still counts out what others filled after dialogues are added (a new list, counted again)', async () => {
    const { db, labeling } = await store(1);
    expect((await labeling.next(alice)).progress.remaining).toBe(3);
    const theirs = (await labeling.next(bob)).item!.dialogue.id;
    await labeling.save(theirs, bob, { fields, status: 'submitted', version: null });
    expect((await labeling.next(alice)).progress.remaining).toBe(2);
    const file = join(tempDir(), 'more.jsonl');
    writeFileSync(file, ['m-4', 'm-5'].map((id) => JSON.stringify(fixtureDialogue(id, { customer_id: 'c-9' }))).join('\n'));
    await ingestFiles(db, { paths: [file] });
    await new Promise((resolve) => setTimeout(resolve, 1100)); // the queue checks the store's version at most once a second
    // Requests are served from the list as it was while the new dialogues are merged in.
    let remaining = (await labeling.next(alice)).progress.remaining;
    for (let i = 0; i < 100 && remaining === 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      remaining = (await labeling.next(alice)).progress.remaining;
    }
    expect(remaining).toBe(4);
  });

  it('keeps counting, and handing out, a dialogue the reviewer has started though others filled it meanwhile', async () => {
    const { labeling } = await store(2);
    const mine = (await labeling.next(alice)).item!.dialogue.id;
    await labeling.save(mine, alice, { fields, status: 'draft', version: null });
    for (const other of [bob, carol]) await labeling.save(mine, other, { fields, status: 'submitted', version: null });
    const next = await labeling.next(alice);
    expect(next.item!.dialogue.id).toBe(mine);
    expect(next.progress.remaining).toBe(3);
    // Another reviewer no longer gets it, nor counts it.
    const dave = await labeling.next(reviewer('dave'));
    expect(dave.item!.dialogue.id).not.toBe(mine);
    expect(dave.progress.remaining).toBe(2);
  });
});

describe('the queue candidates when dialogues are added', () => {
  it('merges a new batch into the cached list in the same order a full read gives, per filter', async () => {
    const { db } = await labelingStore(
      Array.from({ length: 40 }, (_, i) => fixtureDialogue(`a-${i}`, { channel: i % 3 === 0 ? 'phone' : 'web', customer_id: `c-${i % 5}` })),
    );
    const queue = new QueueCandidates(db);
    const before = await queue.get({});
    const phoneBefore = await queue.get({ channel: 'phone' });
    expect(before.ids).toHaveLength(40);

    for (const round of [1, 2]) {
      const file = join(tempDir(), 'more.jsonl');
      const batch = Array.from({ length: 25 }, (_, i) => fixtureDialogue(`b${round}-${i}`, { channel: i % 2 === 0 ? 'phone' : 'web', customer_id: `c-${i % 7}` }));
      writeFileSync(file, [...batch, fixtureDialogue('a-1')].map((d) => JSON.stringify(d)).join('\n')); // one already stored
      await ingestFiles(db, { paths: [file] });
      await new Promise((resolve) => setTimeout(resolve, 1100)); // the queue checks the store's version at most once a second

      // the first request after the batch is served from the list as it was, while the batch is merged in
      expect((await queue.get({})).ids).toHaveLength(40 + 25 * (round - 1));
      await vi.waitFor(async () => expect((await queue.get({})).ids).toHaveLength(40 + 25 * round));
      await queue.get({ channel: 'phone' });
      await vi.waitFor(async () => expect((await queue.get({ channel: 'phone' })).ids).toHaveLength(14 + 13 * round));
      const all = await queue.get({});
      const phone = await queue.get({ channel: 'phone' });
      const fresh = new QueueCandidates(db); // reads the lists whole
      expect(all.ids).toEqual((await fresh.get({})).ids);
      expect(phone.ids).toEqual((await fresh.get({ channel: 'phone' })).ids);
      expect(all.ids).toHaveLength(40 + 25 * round);
      expect(all.has(`b${round}-3`) && !phone.has(`b${round}-3`)).toBe(true);
      // the order is one total order: compare agrees with the list
      for (let i = 1; i < all.ids.length; i++) expect(all.compare(all.ids[i - 1]!, all.ids[i]!)).toBeLessThan(0);
    }
    // a request holding the earlier list keeps it unchanged
    expect(before.ids).toHaveLength(40);
    expect(phoneBefore.ids).toHaveLength(14);
  });

  it('reads the list whole again when gold labels are imported alongside a new batch', async () => {
    const { db } = await labelingStore([fixtureDialogue('q-1'), fixtureDialogue('q-2', { customer_id: 'c-2' })]);
    const queue = new QueueCandidates(db);
    expect((await queue.get({})).ids).toHaveLength(2);
    const dir = tempDir();
    writeFileSync(join(dir, 'more.jsonl'), JSON.stringify(fixtureDialogue('q-3', { customer_id: 'c-3' })));
    await ingestFiles(db, { paths: [join(dir, 'more.jsonl')] });
    writeFileSync(join(dir, 'gold.jsonl'), JSON.stringify({ dialogue_id: 'q-1', decided_by: 'vendor', intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4 }));
    await importLabels(db, join(dir, 'gold.jsonl'));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect([...(await queue.get({})).ids].sort()).toEqual(['q-2', 'q-3']);
  });
});

describe("the queue's check of the store's version", () => {
  it('starts the next check in the background once half the interval has passed, so requests do not wait for it', async () => {
    const { db } = await labelingStore([fixtureDialogue('v-1'), fixtureDialogue('v-2', { customer_id: 'c-2' })]);
    const queue = new QueueCandidates(db);
    let now = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      await queue.get({});
      // From here on a version check waits until released.
      const repository = (queue as unknown as { repository: QueueCandidateRepository }).repository;
      const version = repository.version.bind(repository);
      let checks = 0;
      let release = () => {};
      repository.version = async (uncertain) => {
        checks++;
        await new Promise<void>((resolve) => (release = resolve));
        return version(uncertain);
      };
      now = 400; // within the first half: nothing is checked
      expect((await queue.get({})).ids).toHaveLength(2);
      expect(checks).toBe(0);
      now = 600; // a check starts, and the request is answered without it
      expect((await queue.get({})).ids).toHaveLength(2);
      expect(checks).toBe(1);
      now = 700; // one check at a time
      await queue.get({});
      expect(checks).toBe(1);
      now = 1100; // past the interval: the request waits for the running check, which started 500 ms ago
      let answered = false;
      const waiting = queue.get({}).then(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(answered).toBe(false);
      release();
      await waiting;
      expect(checks).toBe(1);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
