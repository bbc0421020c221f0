// End to end in a real Chromium: the team lead's eval pages on a store with the `eval-test` suite.
// An admin runs two shipped candidates from the UI (progress from the event stream), compares them
// with "regressions only", opens a case, promotes human-replay to web (the gate passes), is refused
// for kb-concise, forces it with a reason, rolls back, and human-replay is production again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiCall, buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { putGateSettings } from '../../server/services/settings.ts';
import { evalStore } from '../../server/test-support/eval-fixture.ts';
import type { Keys } from '../../server/test-support/labeling-fixture.ts';

const SCREENSHOTS = '/tmp';

let app: FastifyInstance;
let base: string;
let keys: Keys;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-runs-'));

const call = <T = unknown>(key: string, method: string, path: string, body?: unknown) => apiCall<T>(base, key, method, path, body);

interface Board {
  entries: { id: string; candidate_name: string; candidate_hash: string }[];
  production: Record<string, string | null>;
}

async function runFromUi(file: string) {
  await page.getByRole('combobox', { name: 'Candidate file' }).selectOption(file);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const progress = page.getByTestId('run-progress');
  await expect.poll(() => progress.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
  expect(await progress.innerText()).toMatch(/Done: (\d+) of \1 cases/);
}

const leaderboardRow = (candidate: string) => page.locator(`[data-testid="leaderboard"] tr[data-candidate="${candidate}"]`);

async function openPromote(candidate: string) {
  await page.getByRole('link', { name: 'Runs', exact: true }).click();
  await leaderboardRow(candidate).waitFor();
  await leaderboardRow(candidate).getByRole('button', { name: `Promote ${candidate}` }).click();
  const dialog = page.getByTestId('promote-dialog');
  await dialog.waitFor();
  await dialog.getByRole('combobox', { name: 'Channel' }).selectOption('web');
  await dialog.getByRole('combobox', { name: 'Label' }).selectOption('production');
  return dialog;
}

describe.skipIf(skipBrowserTests)('eval runs and promotion UI in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const store = await evalStore(60);
    keys = store.keys;
    // This store has no reviewer labels to vouch for the scorers: gate on them anyway, as an admin would.
    await putGateSettings(store.db, { gate_untrusted: true }, 'e2e');
    app = await buildApp({ db: store.db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void (dialog.type() === 'confirm' ? dialog.accept() : dialog.dismiss());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('hides the eval pages from reviewers', async () => {
    await page.goto(base);
    await page.getByLabel('API key').fill(keys.reviewer);
    await page.keyboard.press('Enter');
    await page.locator('.nav').waitFor();
    const nav = await page.locator('.nav').innerText();
    expect(nav).not.toContain('Runs');
    expect(nav).not.toContain('Promotion');
    await page.getByRole('button', { name: 'Sign out' }).click();
  });

  it('runs two candidates from the UI and ranks them on the leaderboard', async () => {
    await page.getByLabel('API key').fill(keys.admin);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('heading', { name: 'Runs and leaderboard' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Suite', exact: true }).inputValue()).toBe('eval-test');

    await runFromUi('kb-concise.yaml');
    await leaderboardRow('kb-concise').waitFor();
    await runFromUi('human-replay.yaml');
    await leaderboardRow('human-replay').waitFor();

    const table = await page.getByTestId('leaderboard').innerText();
    expect(table).toMatch(/\d\.\d{2} \[\d\.\d{2}, \d\.\d{2}\]/); // mean [low, high]
    // four series (composite, FCR, accuracy, tone); a zero mean draws no rectangle
    await expect.poll(() => page.locator('[data-testid="metrics-chart"] .recharts-bar').count()).toBe(4);
    expect(await page.locator('[data-testid="metrics-chart"] .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="metrics-chart"] .recharts-errorBar').count()).toBeGreaterThan(0);
    // the legend lists the series in the bars' order, not alphabetically
    expect(await page.locator('[data-testid="metrics-chart"] .recharts-legend-item-text').allInnerTexts()).toEqual(['Composite', 'FCR', 'Accuracy', 'Tone']);
    // offline candidates use no tokens: "n/a", not 0
    expect(await page.locator('[data-testid="leaderboard"] [data-testid="tokens"]').allInnerTexts()).toEqual(['n/a', 'n/a']);
    // the breakdown of the selected candidate, by language and intent
    await leaderboardRow('kb-concise').getByRole('button', { name: 'kb-concise', exact: true }).click();
    expect(await page.getByTestId('breakdown').innerText()).toContain('Breakdown: kb-concise');
    expect(await page.getByTestId('by-language').innerText()).toMatch(/\ben\b[\s\S]*\bzh\b/);
    expect(await page.getByTestId('by-intent').innerText()).toContain('delivery_delay');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-leaderboard.png'), fullPage: true });

    const { body } = await call<Board>(keys.engineer, 'GET', '/api/leaderboard?suite=eval-test');
    expect(body.entries.map((e) => e.candidate_name).sort()).toEqual(['human-replay', 'kb-concise']);
  });

  it('compares the two runs, filters regressions and drills into a case', async () => {
    await page.getByRole('link', { name: 'Compare', exact: true }).first().click();
    const summary = page.getByTestId('compare-summary');
    await summary.waitFor();
    const { body } = await call<Board>(keys.engineer, 'GET', '/api/leaderboard?suite=eval-test');
    // defaults: the top two of the leaderboard
    expect(await page.getByRole('combobox', { name: 'Run A' }).inputValue()).toBe(body.entries[0]!.id);
    expect(await page.getByRole('combobox', { name: 'Run B' }).inputValue()).toBe(body.entries[1]!.id);
    // whole run ids (not "run-2026"), in the pickers and the column headers
    expect(await page.getByRole('combobox', { name: 'Run A' }).locator('option:checked').innerText()).toContain(body.entries[0]!.id);
    expect(await page.getByTestId('run-id-b').innerText()).toBe(body.entries[1]!.id);
    // the replies get the room, and no raw hand-off marker shows
    const widths = await page.locator('[data-testid="compare-cases"] thead th').evaluateAll((ths) => ths.map((th) => th.getBoundingClientRect().width));
    expect(widths[1]!).toBeGreaterThan(widths[0]!);
    expect(widths[2]!).toBeGreaterThan(widths[0]!);
    expect(await page.getByTestId('compare-cases').innerText()).not.toContain('[[handoff');
    const rows = page.locator('[data-testid="compare-cases"] tbody tr');
    const all = await rows.count();
    expect(all).toBeGreaterThan(0);
    expect(await summary.innerText()).toMatch(new RegExp(`^Showing ${all} of ${all} cases · (\\d+) regressions`));
    const regressions = Number(/· (\d+) regressions/.exec(await summary.innerText())![1]);

    await page.getByRole('checkbox', { name: 'Regressions only' }).check();
    await expect.poll(() => rows.count()).toBe(regressions);
    for (const delta of await page.locator('[data-testid="compare-cases"] [data-testid="delta"]').allInnerTexts()) expect(Number(delta)).toBeLessThan(0);
    await page.getByRole('checkbox', { name: 'Regressions only' }).uncheck();
    await expect.poll(() => rows.count()).toBe(all);
    await page.getByRole('combobox', { name: 'Sort' }).selectOption('asc');
    const deltas = (await page.locator('[data-testid="compare-cases"] [data-testid="delta"]').allInnerTexts()).map(Number);
    expect(deltas).toEqual([...deltas].sort((x, y) => x - y));

    await rows.first().getByRole('button').first().click();
    const drill = page.getByTestId('drilldown');
    await drill.waitFor();
    await expect.poll(() => drill.innerText()).toContain('Reference answer');
    expect(await drill.innerText()).toContain('Customer message');
    expect(await drill.locator('[data-testid="scores"]').count()).toBe(2);
    expect(await drill.locator('[data-testid="scores"]').first().innerText()).toMatch(/FCR/);
    expect(await drill.innerText()).not.toContain('[[handoff');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-compare-drilldown.png') });
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('promotes human-replay, is refused for kb-concise, forces it, and rolls back', async () => {
    const board = (await call<Board>(keys.engineer, 'GET', '/api/leaderboard?suite=eval-test')).body;
    const hashOf = (name: string) => board.entries.find((e) => e.candidate_name === name)!.candidate_hash;

    let dialog = await openPromote('human-replay');
    await dialog.getByRole('button', { name: 'Check and promote' }).click();
    await dialog.getByTestId('promote-ok').waitFor();
    expect(await dialog.getByTestId('gate-checks').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await dialog.locator('[data-testid="gate-checks"] tr[data-passed="false"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
    expect((await call<{ candidate: string }>(keys.engineer, 'GET', '/v1/configs/web')).body.candidate).toBe('human-replay');
    await expect.poll(() => page.locator('[data-testid="production"] li[data-channel="web"]').innerText()).toContain('human-replay');

    dialog = await openPromote('kb-concise');
    await dialog.getByRole('button', { name: 'Check and promote' }).click();
    const refused = dialog.getByTestId('promote-refused');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('Refused by the gate.');
    expect(await dialog.locator('[data-testid="gate-checks"] tr[data-passed="false"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-promotion-refused.png') });
    expect((await call<{ candidate: string }>(keys.engineer, 'GET', '/v1/configs/web')).body.candidate).toBe('human-replay');

    await dialog.getByRole('textbox', { name: 'Reason for forcing' }).fill('e2e: trying the offline bot on web');
    await dialog.getByRole('button', { name: 'Force with reason' }).click();
    await dialog.getByTestId('promote-ok').waitFor();
    expect(await dialog.getByTestId('promote-ok').innerText()).toContain('Forced');
    await page.getByRole('button', { name: 'Close' }).click();
    expect((await call<{ candidate: string }>(keys.engineer, 'GET', '/v1/configs/web')).body.candidate).toBe('kb-concise');

    await page.getByRole('link', { name: 'Promotion', exact: true }).click();
    const history = page.getByTestId('history');
    await history.waitFor();
    await expect.poll(() => page.getByTestId('current-production').innerText()).toBe('kb-concise');
    expect(await history.innerText()).toContain('e2e: trying the offline bot on web');
    expect(await history.innerText()).toContain('ada');

    await page.getByTestId('config-production').getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => page.getByTestId('current-production').innerText()).toBe('human-replay');
    await expect.poll(() => history.locator('tr[data-action="rollback"]').count()).toBe(1);
    expect(dialogs.some((m) => m.startsWith('Roll back web'))).toBe(true);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-promotion.png'), fullPage: true });

    const served = await call<{ candidate: string; version: string }>(keys.engineer, 'GET', '/v1/configs/web');
    expect(served.body).toMatchObject({ candidate: 'human-replay', version: `cfg-${hashOf('human-replay')}` });
    const { body } = await call<{ history: { action: string; forced_reason: string | null; by: string }[] }>(keys.admin, 'GET', '/api/configs/history?channel=web');
    expect(body.history.map((h) => h.action)).toEqual(['rollback', 'promote', 'promote']);
    expect(body.history[1]).toMatchObject({ forced_reason: 'e2e: trying the offline bot on web', by: 'ada' });
    const after = await call<Board>(keys.engineer, 'GET', '/api/leaderboard?suite=eval-test');
    expect(after.body.production.web).toBe(`cfg-${hashOf('human-replay')}`);

    // the same pages in Chinese
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('发布');
    expect(await page.locator('.nav').innerText()).toContain('评测');
    await page.getByRole('link', { name: '评测', exact: true }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('评测与排行榜');
    // the leaderboard refetches after the rollback: human-replay is on web again
    await expect.poll(() => page.locator('[data-testid="production"] li[data-channel="web"]').innerText()).toBe('网页: human-replay');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-leaderboard-zh.png'), fullPage: true });
    expect(await page.locator('[data-testid="leaderboard"] [data-testid="tokens"]').allInnerTexts()).toEqual(['不适用', '不适用']);
    await page.getByRole('button', { name: 'English' }).click();

    expect(pageErrors).toEqual([]);
  });
});
