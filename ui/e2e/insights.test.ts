// End to end in a real Chromium: the insights pages on a store made like the demo's (the seeded
// synthetic corpus over six months with the planted spike, gold labels from its ground truth, a
// promoted web config, detection run once). An admin reads weekly trends with 95% intervals, finds
// the planted spike among the hotspots with its example dialogues (one opens in the labeling view),
// sees no alert on the other weeks, acknowledges it, reads the channel comparison and the production
// view, switches to Chinese, and gets the honest empty state for a range with no dialogues.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_SEED, DEMO_SPIKE, DEMO_SYNTHETIC_DIALOGUES } from '../../scripts/commands/demo.ts';
import { buildApp } from '../../server/app.ts';
import type { Alert } from '../../server/domain/alerts.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { evaluate } from '../../server/services/evaluate.ts';
import { InsightsService } from '../../server/services/insights.ts';
import { promote } from '../../server/services/promotion.ts';
import { putSettings } from '../../server/services/settings.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { importSyntheticTruth } from '../../server/synthetic/truth-labels.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { tempDir, tempStore } from '../../server/test-support/temp.ts';
import { apiCall, buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';

const SCREENSHOTS = '/tmp';

let app: FastifyInstance;
let base: string;
let admin: string;
let detected: Alert[];
let promotedVersion: string;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-insights-'));

const alertRows = () => page.locator('[data-testid="alerts"] tbody tr');
const spikeRow = () => page.locator(`[data-testid="alerts"] tr[data-kind="spike"][data-intent="${DEMO_SPIKE.intent}"]`);

async function openView(name: string) {
  await page.getByRole('navigation', { name: /Insights views|洞察视图/ }).getByRole('button', { name, exact: true }).click();
}

describe.skipIf(skipBrowserTests)('insights pages in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const dir = tempDir();
    const corpus = join(dir, 'synthetic.jsonl');
    await writeCorpus({ n: DEMO_SYNTHETIC_DIALOGUES, seed: DEMO_SEED, out: corpus, plantSpike: DEMO_SPIKE });
    const db = await tempStore(dir);
    await ingestFiles(db, { paths: [corpus] });
    await putSettings(db, { overlap: 2, fcr_window_days: 7 }, 'e2e'); // as the demo
    await importSyntheticTruth(db);
    await buildSuite(db, { name: 'e2e', split: 'test', size: 40, dir: join(dir, 'suites') });
    const { report } = await evaluate(db, { suite: 'e2e', candidates: ['evals/candidates/human-replay.yaml'], cache: 'off' });
    promotedVersion = (await promote(db, { runId: report.candidates[0]!.run_id!, channel: 'web', by: 'e2e', force: 'e2e store: no baseline' })).version;
    detected = (await new InsightsService(db).detect({ notify: false })).open;
    admin = (await createApiKey(db, 'admin', 'ada')).key;
    app = await buildApp({ db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('shows weekly trends with 95% intervals (bands on the charts, intervals in the table)', async () => {
    await page.goto(base);
    await page.getByLabel('API key').fill(admin);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Insights', exact: true }).click();
    await page.getByRole('heading', { name: 'Insights', exact: true }).waitFor();
    const table = page.getByTestId('trend-table');
    await table.waitFor();
    const labels = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')));
    expect(labels.length).toBeGreaterThanOrEqual(20); // six months of contacts
    expect(labels.every((l) => /^\d{4}-W\d{2}$/.test(l ?? ''))).toBe(true);
    const busy = table.locator('tbody tr[data-label="2026-W20"]');
    for (const metric of ['fcr', 'csat', 'handoff_rate', 'automation_rate']) expect(await busy.locator(`[data-metric="${metric}"]`).innerText(), metric).toMatch(/^\d+% \[\d+%, \d+%\]$/);
    expect(await busy.locator('[data-metric="turns_to_resolution"]').innerText()).toMatch(/^\d+\.\d \[\d+\.\d, \d+\.\d\]$/);
    // every metric chart draws its lines and the interval bands; no cost is logged in this store, so no cost chart
    const fcrChart = page.getByTestId('trend-chart-fcr');
    await expect.poll(() => fcrChart.locator('.recharts-line').count()).toBeGreaterThanOrEqual(2);
    expect(await fcrChart.locator('.recharts-area').count()).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('trend-chart-cost_per_contact').count()).toBe(0);
    expect(await page.getByTestId('trends').innerText()).toContain('No cost');
    expect(await page.getByTestId('trend-groups').innerText()).toMatch(/All dialogues[\s\S]*web/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-trends-en.png'), fullPage: true });

    // by intent, per day: the planted day stands out
    await page.getByRole('combobox', { name: 'Group by' }).selectOption('intent');
    await page.getByRole('group', { name: 'Period' }).getByRole('button', { name: 'Day' }).click();
    await expect.poll(() => table.locator('tbody tr').first().getAttribute('data-label')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const spikeDay = Number(await table.locator(`tbody tr[data-period="${DEMO_SPIKE.date}"] [data-metric="volume"]`).innerText());
    const dayBefore = Number(await table.locator('tbody tr[data-period="2026-06-13"] [data-metric="volume"]').innerText());
    expect(spikeDay).toBeGreaterThan(dayBefore);
  });

  it('lists the planted spike with its example dialogues and a sparkline, and no alert on the weeks without one', async () => {
    await openView('Hotspots');
    await spikeRow().waitFor();
    // the store's alerts are all about the planted day; the page lists exactly those
    expect(detected.length).toBeGreaterThan(0);
    expect(new Set(detected.map((a) => a.date))).toEqual(new Set([DEMO_SPIKE.date]));
    expect(await alertRows().count()).toBe(detected.length);
    expect(new Set(await alertRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-date'))))).toEqual(new Set([DEMO_SPIKE.date]));
    // the product too (the catalogue names it in Chinese and in English: one alert per name)
    expect(await page.locator('[data-testid="alerts"] tr[data-kind="spike"][data-product*="Vista 65"]').count()).toBeGreaterThanOrEqual(1);

    const row = spikeRow();
    const expected = detected.find((a) => a.kind === 'spike' && a.intent === DEMO_SPIKE.intent)!;
    expect(await row.getByTestId('observed-expected').innerText()).toMatch(/^\d+ vs \d+(\.\d)?$/);
    expect(Number((await row.getByTestId('observed-expected').innerText()).split(' ')[0])).toBe(expected.observed);
    expect(await row.innerText()).toContain('< 0.001');
    const examples = row.locator('a[data-dialogue-id]');
    expect(await examples.count()).toBe(expected.example_ids.length);
    expect(await examples.evaluateAll((links) => links.map((l) => l.getAttribute('data-dialogue-id')))).toEqual(expected.example_ids);
    const spark = row.getByTestId('sparkline');
    await expect.poll(() => spark.locator('.recharts-line').count()).toBe(1);
    expect(Number(await spark.getAttribute('data-days'))).toBeGreaterThanOrEqual(8 * 7);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-hotspots-en.png'), fullPage: true });
  });

  it('opens an example dialogue in the labeling view', async () => {
    const id = (await spikeRow().locator('a[data-dialogue-id]').first().getAttribute('data-dialogue-id'))!;
    await spikeRow().locator('a[data-dialogue-id]').first().click();
    await expect.poll(() => page.locator('code.dialogue-id').first().innerText()).toBe(id);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).search).toBe(''); // the link's parameter is consumed: a reload keeps this dialogue, not the link
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-open-example.png'), fullPage: true });
    await page.goBack();
    await spikeRow().waitFor();
  });

  it('acknowledging removes the alert from the open list', async () => {
    const id = (await spikeRow().getAttribute('data-alert-id'))!;
    const before = await alertRows().count();
    await spikeRow().getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.locator(`[data-testid="alerts"] tr[data-alert-id="${id}"]`).count()).toBe(0);
    expect(await alertRows().count()).toBe(before - 1);
    const open = await apiCall<{ alerts: Alert[] }>(base, admin, 'GET', '/api/insights/alerts?status=open');
    expect(open.body.alerts.map((a) => a.id)).not.toContain(id);

    await page.getByRole('group', { name: 'Alerts shown' }).getByRole('button', { name: 'acknowledged' }).click();
    const acknowledged = page.locator(`[data-testid="alerts"] tr[data-alert-id="${id}"]`);
    await acknowledged.waitFor();
    expect(await acknowledged.innerText()).toContain('acknowledged by ada');

    // running detection again finds the same day and keeps the acknowledgement
    await page.getByRole('button', { name: 'Run detection now' }).click();
    expect(await page.getByTestId('detection-result').innerText()).toMatch(/Checked \d{4}-\d{2}-\d{2} – 2026-06-29: \d+ tests/);
    expect(await acknowledged.getAttribute('data-status')).toBe('acknowledged');
    await page.getByRole('group', { name: 'Alerts shown' }).getByRole('button', { name: 'open' }).click();
    await expect.poll(() => alertRows().count()).toBe(before - 1);
  });

  it('compares channels per intent with intervals and p-values, and shows the promoted config per channel', async () => {
    await openView('Channel comparison');
    const table = page.getByTestId('channel-table');
    await table.waitFor();
    const intent = table.locator('tbody[data-intent="delivery_delay"]');
    expect(await intent.locator('tr').count()).toBe(4);
    expect(await intent.locator('[data-metric="fcr"]').first().innerText()).toMatch(/^\d+% \[\d+%, \d+%\]$/);
    expect(await intent.locator('[data-metric="p_value"]').innerText()).toMatch(/(\d\.\d{3}|< 0\.001)/);
    expect(await page.getByTestId('channels').innerText()).toMatch(/\d+ of \d+ intents differ by channel/);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-channels-en.png'), fullPage: true });

    await openView('Production');
    const web = page.locator('[data-testid="production-configs"] tr[data-channel="web"]');
    await web.waitFor();
    expect(await web.innerText()).toContain(promotedVersion);
    expect(await web.innerText()).toContain('human-replay');
    expect(await page.locator('[data-testid="production-configs"] tr[data-channel="phone"]').innerText()).toContain('No config promoted');
    expect(await page.getByTestId('traffic-source').innerText()).toContain('every dialogue of each channel');
    await expect.poll(() => page.getByTestId('production-chart-handoff_rate').locator('.recharts-line').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-production-en.png'), fullPage: true });
    // the bot's own traffic only: this store holds none yet (every dialogue here was imported)
    await page.getByLabel('Source', { exact: true }).selectOption('production');
    expect(new URL(page.url()).searchParams.get('source')).toBe('production');
    await expect.poll(() => page.getByTestId('traffic-source').innerText()).toBe('The traffic below is only dialogues from Production bot. Dashed lines mark promotions.');
    expect(await page.getByTestId('production-empty').innerText()).toBe('No dialogues match the chosen dates or source.');
    await page.getByLabel('Source', { exact: true }).selectOption('');
    await expect.poll(() => page.getByTestId('production-chart-handoff_rate').locator('.recharts-line').count()).toBe(4);

    await openView('New topics');
    expect(await page.getByTestId('topics-empty').innerText()).toContain('No candidate topics');
  });

  it('reads in Chinese', async () => {
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '洞察', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: '洞察', exact: true }).getAttribute('aria-current')).toBe('page');
    const views = await page.getByRole('navigation', { name: '洞察视图' }).innerText();
    for (const label of ['趋势', '热点', '渠道对比', '生产', '新话题']) expect(views).toContain(label);

    await openView('热点');
    await alertRows().first().waitFor();
    const header = await page.locator('[data-testid="alerts"] thead').innerText();
    for (const label of ['类型', '对象', '观测值 / 预期值', 'p 值', '示例对话']) expect(header).toContain(label);
    expect(await page.getByRole('button', { name: '立即运行检测' }).count()).toBe(1);
    expect(await alertRows().first().innerText()).toMatch(/激增|新话题/);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-hotspots-zh.png'), fullPage: true });

    await openView('趋势');
    await page.getByTestId('trend-table').waitFor();
    for (const caption of ['咨询量', '首次解决率', '转人工率', '自动化率', '重复咨询率']) expect(await page.getByTestId('trends').innerText()).toContain(caption);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-trends-zh.png'), fullPage: true });

    await openView('渠道对比');
    await page.getByTestId('channel-table').waitFor();
    expect(await page.getByTestId('channels').innerText()).toContain('只看显著差异');
    await openView('生产');
    expect(await page.getByTestId('traffic-source').innerText()).toContain('选择“线上机器人”');
  });

  it('says plainly when a range holds no dialogues', async () => {
    await openView('趋势');
    await page.getByLabel('开始日期').fill('2020-01-01');
    await page.getByLabel('结束日期').fill('2020-01-31');
    const empty = page.getByTestId('trends-empty');
    await empty.waitFor();
    expect(await empty.innerText()).toBe('没有符合所选日期或来源的对话。');
    expect(await page.getByTestId('trend-table').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-insights-empty-zh.png'), fullPage: true });

    await page.getByRole('group', { name: 'Language' }).or(page.getByRole('group', { name: '语言' })).first().getByRole('button', { name: 'English' }).click();
    await empty.waitFor();
    const text = await empty.innerText();
    expect(text).toBe('No dialogues match the chosen dates or source.');
    expect(text).not.toMatch(/labeled everything|all done/i);
    await openView('Channel comparison');
    expect(await page.getByTestId('channels-empty').innerText()).toBe('No dialogues match the chosen dates or source.');
    expect(pageErrors).toEqual([]);
  });
});
