// End to end in a real Chromium: on a store whose labels cannot vouch for the scorers, the promote
// dialog says, in English and Chinese, which checks were not gated and why the promotion is refused;
// an admin follows its link to the gate settings, is stopped from saving a κ above 1, turns on
// "gate on untrusted scorers anyway", and the same promotion goes through.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { evaluate } from '../../server/services/evaluate.ts';
import { evalStore } from '../../server/test-support/eval-fixture.ts';
import type { Keys } from '../../server/test-support/labeling-fixture.ts';
import { apiCall, buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';

const SCREENSHOTS = '/tmp';

let app: FastifyInstance;
let base: string;
let keys: Keys;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-gates-'));

const call = <T = unknown>(key: string, method: string, path: string, body?: unknown) => apiCall<T>(base, key, method, path, body);

async function openPromote(runs: string, promoteLabel: string, channel: string) {
  await page.getByRole('link', { name: runs, exact: true }).click();
  const row = page.locator('[data-testid="leaderboard"] tr[data-candidate="human-replay"]');
  await row.waitFor();
  await row.getByRole('button', { name: promoteLabel }).click();
  const dialog = page.getByTestId('promote-dialog');
  await dialog.waitFor();
  await dialog.getByRole('combobox', { name: channel }).selectOption('web');
  return dialog;
}

describe.skipIf(skipBrowserTests)('gate settings and untrusted scorers in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const store = await evalStore(60);
    keys = store.keys;
    await evaluate(store.db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml'], cache: 'off' });
    app = await buildApp({ db: store.db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('shows the refusal for want of trusted scorers and the checks that were not gated, in English', async () => {
    await page.goto(base);
    await page.getByLabel('API key').fill(keys.admin);
    await page.keyboard.press('Enter');
    const dialog = await openPromote('Runs', 'Promote human-replay', 'Channel');
    await dialog.getByRole('button', { name: 'Check and promote' }).click();
    await dialog.getByTestId('promote-refused').waitFor();
    const trusted = dialog.locator('tr[data-check="trusted_scorers"]');
    expect(await trusted.getAttribute('data-passed')).toBe('false');
    const text = await trusted.innerText();
    expect(text).toContain('Trusted scorers');
    expect(text).toContain('failed');
    expect(text).toContain('No quality scorer (fcr, accuracy, tone) agrees well enough');
    expect(text).toMatch(/fcr not gated: only 0 labels to check it against \(needs 30\)/);
    const notGated = dialog.locator('tr[data-gated="false"]');
    expect(await notGated.count()).toBeGreaterThan(0);
    expect(await notGated.first().innerText()).toContain('not gated');
    expect(await notGated.first().innerText()).toContain('Not applied: its scorers do not agree well enough');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-promote-untrusted-en.png'), fullPage: true });
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('says the same in Chinese, and leads an admin to the gate settings, where κ above 1 cannot be saved', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    const dialog = await openPromote('评测', '发布 human-replay', '渠道');
    await dialog.getByRole('button', { name: '检查并发布' }).click();
    await dialog.getByTestId('promote-refused').waitFor();
    const trusted = await dialog.locator('tr[data-check="trusted_scorers"]').innerText();
    expect(trusted).toContain('可信的评分器');
    expect(trusted).toContain('未通过');
    expect(trusted).toContain('没有一个质量评分器');
    expect(await dialog.locator('tr[data-gated="false"]').first().innerText()).toContain('未把关');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-promote-untrusted-zh.png'), fullPage: true });

    await dialog.getByRole('link', { name: '门禁设置' }).click();
    const kappa = page.getByRole('spinbutton', { name: '最低一致性（Cohen’s κ）' });
    expect(await kappa.inputValue()).toBe('0.4');
    await kappa.fill('1.5');
    await page.getByText('κ 须为 −1 到 1').waitFor();
    expect(await page.getByRole('button', { name: '保存' }).isDisabled()).toBe(true);
    await kappa.fill('0.5');
    await page.getByRole('spinbutton', { name: '最少标注数' }).fill('40');
    await page.getByRole('checkbox', { name: '仍让不可信的评分器参与门禁' }).check();
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-settings-gates-zh.png'), fullPage: true });
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('设置已保存。').waitFor();
    const saved = await call(keys.engineer, 'GET', '/api/settings');
    expect(saved.body).toMatchObject({ gate_min_kappa: 0.5, gate_min_auc: 0.8, gate_min_labels: 40, gate_untrusted: true });
  });

  it('promotes once the admin gates on untrusted scorers anyway', async () => {
    const dialog = await openPromote('评测', '发布 human-replay', '渠道');
    await dialog.getByRole('button', { name: '检查并发布' }).click();
    await dialog.getByTestId('promote-ok').waitFor();
    expect(await dialog.locator('tr[data-check="trusted_scorers"]').count()).toBe(0);
    expect(await dialog.locator('[data-testid="gate-checks"] tr[data-passed="false"]').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
