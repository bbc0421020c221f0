// End to end in a real Chromium: what a new reviewer tripped over (issue "Insights for team leads",
// item 5). The CRM card lists the purchase the dialogue is about first and reaches every purchase
// without an inner scroll box; a service plan is not an expired warranty; imported gold labels stay
// out of the queue; intents are grouped by domain; the FCR reason, the channel and the date filters
// follow the UI language; a "good example" flag looks like praise.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { importLabels } from '../../server/services/label-files.ts';
import { fixtureDialogue } from '../../server/test-support/labeling-fixture.ts';
import { tempDir, tempStore } from '../../server/test-support/temp.ts';
import { buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';

const CUSTOMER = {
  customer_id: 'c-9',
  name: 'Wang Fang',
  tier: 'standard',
  purchases: [
    { product: 'Phone 9', purchased_at: '2024-05-01', warranty_months: 12, order_id: 'ORD-1001' },
    { product: 'Aero 14 笔记本电脑', purchased_at: '2025-02-18', warranty_months: 24, order_id: 'DD20250218649216' },
    { product: 'Care+ 服务套餐', purchased_at: '2025-06-01', warranty_months: 0 },
    { product: 'Pulse Buds 2 无线耳机', purchased_at: '2025-12-12', warranty_months: 12 },
    { product: 'Phone X', purchased_at: '2026-02-09', warranty_months: 12 },
  ],
};

const other = (id: string, intent: string, customer: string) => fixtureDialogue(id, { customer_id: customer, channel: 'web', metadata: { intent } });

async function store() {
  const dir = tempDir();
  const file = join(dir, 'fixture.jsonl');
  const dialogues = [
    fixtureDialogue('rf-crm', {
      channel: 'unknown',
      customer_id: 'c-9',
      turns: [
        { role: 'customer', text: '我的订单 DD20250218649216 的电脑开不了机' },
        { role: 'agent', text: '您好，您的电脑在保修期内，可以免费维修。', agent_kind: 'human' },
      ],
    }),
    // decided elsewhere: its gold label is imported, so the queue never offers it
    fixtureDialogue('rf-gold', { channel: 'unknown', customer_id: 'c-8', metadata: { intent: 'cancel_order' } }),
    other('rf-bank-1', 'CheckCreditCardBalance', 'c-1'),
    other('rf-bank-2', 'CheckCreditCardBalance', 'c-2'),
    other('rf-bank-3', 'PayLoan', 'c-3'),
    other('rf-retail', 'cancel_order', 'c-4'),
  ];
  writeFileSync(file, [CUSTOMER, ...dialogues].map((d) => JSON.stringify(d)).join('\n'));
  const db = await tempStore(dir);
  await ingestFiles(db, { paths: [file] });
  await refreshFcrEstimates(db);
  const gold = join(dir, 'gold.jsonl');
  writeFileSync(gold, JSON.stringify({ dialogue_id: 'rf-gold', decided_by: 'vendor', intent: 'cancel_order', fcr: 'yes', accuracy: 'correct', tone: 4 }));
  await importLabels(db, gold);
  return { db, reviewer: (await createApiKey(db, 'reviewer', 'alice')).key };
}

let app: FastifyInstance;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-fixes-'));

describe.skipIf(skipBrowserTests)('reviewer fixes in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const { db, reviewer } = await store();
    app = await buildApp({ db, uiDir, maxAuthFailures: 1000 });
    const base = await listen(app);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(base);
    await page.getByLabel('API key').fill(reviewer);
    await page.keyboard.press('Enter');
    await page.locator('.dialogue-id').waitFor();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('keeps the dialogue with an imported gold label out of the queue', async () => {
    const channel = page.getByRole('textbox', { name: 'Channel' });
    await channel.fill('unknown');
    await channel.press('Enter');
    await expect.poll(() => page.locator('.dialogue-id').innerText()).toBe('rf-crm');
    await expect.poll(() => page.getByTestId('progress-text').innerText()).toBe('0 done · 1 remaining');
  });

  it('lists the purchase under discussion first, then newest first, all reachable without an inner scroll', async () => {
    const crm = page.locator('.crm');
    const items = crm.getByTestId('purchase');
    await expect.poll(() => items.count()).toBe(3);
    const first = await items.nth(0).innerText();
    expect(first).toContain('Aero 14');
    expect(first).toContain('discussed here');
    expect((await items.allInnerTexts()).map((t) => t.split('\n')[0])).toEqual(['Aero 14 笔记本电脑 discussed here', 'Phone X', 'Pulse Buds 2 无线耳机']);
    const box = await crm.evaluate((el) => ({ overflow: getComputedStyle(el).overflowY, scroll: el.scrollHeight, client: el.clientHeight }));
    expect(box.overflow).toBe('visible');
    expect(box.scroll).toBeLessThanOrEqual(box.client);

    await crm.getByRole('button', { name: 'Show all 5 purchases' }).click();
    await expect.poll(() => items.count()).toBe(5);
    // a service plan (warranty_months 0) is a service, not a warranty that ran out
    const plan = items.filter({ hasText: 'Care+' });
    expect(await plan.innerText()).toContain('Service or plan (no warranty)');
    expect(await plan.innerText()).not.toMatch(/0-month|expired/);
    expect(await plan.locator('.badge-bad').count()).toBe(0);
    expect(await items.nth(4).innerText()).toContain('Warranty expired');
  });

  it('groups intents by domain, most used first, and finds CamelCase keys by their words', async () => {
    await page.keyboard.press('/');
    const groups = page.locator('.combobox-list .combobox-group');
    await expect.poll(() => groups.allInnerTexts()).toEqual(['RETAIL AND ORDERS', 'BANKING AND FINANCE', 'TELECOM AND DEVICES']);
    expect(await page.locator('.combobox-list').innerText()).toMatch(/RETAIL AND ORDERS\s+cancel_order[\s\S]*BANKING AND FINANCE\s+CheckCreditCardBalance\s+2\s+PayLoan/);
    await page.keyboard.type('credit card');
    await expect.poll(() => page.locator('.combobox-list [role="option"]').first().innerText()).toContain('CheckCreditCardBalance');
    await page.keyboard.press('Enter');
    expect(await page.locator('.combobox-input').inputValue()).toBe('CheckCreditCardBalance');
  });

  it('shows a good-example flag as praise, not as an error', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('g');
    await page.keyboard.press('6');
    const chip = page.locator('.transcript .chip-flag');
    await expect.poll(() => chip.innerText()).toContain('good example');
    expect(await chip.getAttribute('class')).toContain('chip-flag-good');
    expect(await chip.evaluate((el) => getComputedStyle(el).color)).toBe('rgb(31, 122, 77)'); // --ok, not --bad
  });

  it('says the channel, the FCR reason and the date filter in Chinese', async () => {
    await page.locator('input[type="date"]').first().fill('2026-03-02');
    await expect.poll(() => page.getByTestId('date-shown').innerText()).toBe('Mar 2, 2026');
    expect(await page.locator('input[type="date"]').first().getAttribute('lang')).toBe('en');
    await expect.poll(() => page.locator('.dialogue-id').innerText()).toBe('rf-crm');
    expect(await page.getByTestId('fcr-reason').innerText()).toBe('fewer than 7 days of later logs to look for a repeat contact');

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('.dialogue-header').innerText()).toContain('未知渠道');
    expect(await page.getByTestId('fcr-reason').innerText()).toBe('之后的日志不足 7 天，无法查找重复联系');
    expect(await page.locator('input[type="date"]').first().getAttribute('lang')).toBe('zh-CN');
    expect(await page.getByTestId('date-shown').innerText()).toBe('2026年3月2日');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.locator('.crm').getByRole('button', { name: '显示全部 5 件购买' }).click();
    expect(await page.locator('.crm').innerText()).toContain('服务或套餐（不适用保修）');
    await page.screenshot({ path: '/tmp/firstcall-reviewer-fixes-zh.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
