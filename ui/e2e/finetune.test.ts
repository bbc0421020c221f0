// End to end in a real Chromium: an engineer opens the fine-tuning sets page on a store with one
// built set, reads its data card, and downloads train.jsonl (fetched with the API key, saved as a Blob).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { buildFinetuneSet, type FinetuneSetResult } from '../../server/finetune/build-set.ts';
import { LabelRepository } from '../../server/storage/label-repository.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../../server/test-support/labeling-fixture.ts';

const SCREENSHOTS = '/tmp';

let app: FastifyInstance;
let base: string;
let keys: Keys;
let built: FinetuneSetResult;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-finetune-'));
const setsDir = mkdtempSync(join(tmpdir(), 'firstcall-finetune-sets-'));

interface Card {
  examples: { train: number; val: number; total: number };
  tokens: { total: number };
  by_intent: Record<string, number>;
}

describe.skipIf(skipBrowserTests)('fine-tuning sets UI in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const ids = Array.from({ length: 50 }, (_, i) => `fs-${i}`);
    const store = await labelingStore(
      ids.map((id, i) => fixtureDialogue(id, { customer_id: `c-${i}`, turns: [{ role: 'customer', text: `Where is parcel ${i * 7919}?` }, { role: 'agent', text: 'It arrives tomorrow.' }] })),
    );
    keys = store.keys;
    await new LabelRepository(store.db).upsertMany(
      ids.map((id) => ({ dialogue_id: id, reviewer: 'alice', status: 'submitted' as const, schema_version: 1, intent: 'delivery_delay', fcr: 'yes' as const, accuracy: 'correct' as const, tone: 5, tone_tags: [], escalation_needed: 'no' as const, escalated: 'no' as const, reference_answer: '', required_facts: [], notes: '', turn_flags: [] })),
    );
    built = await buildFinetuneSet(store.db, { name: 'parcels', format: 'openai', out: setsDir });
    app = await buildApp({ db: store.db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
    rmSync(setsDir, { recursive: true, force: true });
  });

  it('shows the card of the set and downloads train.jsonl with one line per train example', async () => {
    const response = await fetch(`${base}/api/finetune/sets`, { headers: { authorization: `Bearer ${keys.engineer}` } });
    const { sets } = (await response.json()) as { sets: { name: string; version: number; card: Card }[] };
    expect(sets).toHaveLength(1);
    const card = sets[0]!.card;
    expect(card.examples.train).toBeGreaterThan(0);
    expect(card.examples).toEqual(built.card.examples);

    await page.goto(base);
    await page.getByLabel('API key').fill(keys.engineer);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Fine-tuning', exact: true }).click();
    await page.getByRole('heading', { name: 'Fine-tuning sets' }).waitFor();

    const row = page.locator('[data-testid="finetune-sets"] tr[data-set="parcels@1"]');
    await row.waitFor();
    const rowText = await row.innerText();
    expect(rowText).toContain('openai');
    expect(rowText).toContain(String(card.examples.total));
    expect(rowText).toContain(String(card.tokens.total));

    const setCard = page.getByTestId('set-card');
    await setCard.waitFor();
    expect(await setCard.getByRole('heading', { level: 2 }).innerText()).toBe('Data card: parcels v1');
    expect(await page.getByTestId('card-examples').innerText()).toBe(`train ${card.examples.train}, validation ${card.examples.val}, total ${card.examples.total}`);
    expect(await page.locator('[data-testid="by-intent"] tr[data-value="delivery_delay"]').innerText()).toContain(String(card.by_intent.delivery_delay));
    expect(await page.getByTestId('card-tokens').innerText()).toContain(String(card.tokens.total));
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-finetune.png'), fullPage: true });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download train.jsonl' }).click()]);
    expect(download.suggestedFilename()).toBe('parcels-v1-train.jsonl');
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(card.examples.train);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('messages');

    // the same page in Chinese
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('微调数据集');
    // the card says how tokens were counted in Chinese too, not in the English the card stores
    expect(await setCard.innerText()).toContain('Token 计数：估算值：中日韩字符数 + 英文词数 × 1.3（未使用分词器）');
    await page.getByRole('button', { name: 'English' }).click();

    expect(pageErrors).toEqual([]);
  });

  it('hides the page from reviewers', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(keys.reviewer);
    await page.keyboard.press('Enter');
    await page.locator('.nav').waitFor();
    expect(await page.locator('.nav').innerText()).not.toContain('Fine-tuning');
  });
});
