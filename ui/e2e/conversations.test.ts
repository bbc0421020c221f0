// End to end in a real Chromium: conversation runs in the UI. A store with a scenario set (synthetic
// ground truth + the shipped YAML scenarios) and two simulated runs (local:agent and the local:kb
// candidate, 2 trials). An engineer switches the leaderboard to conversation runs, opens a failed
// conversation of the kb candidate (hand-off badge, end state ✗) and a passed one of local:agent
// (tool calls with arguments, end state ✓), puts them side by side from the viewer and from the
// compare page, and reads the same view in Chinese.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { buildScenarioSet } from '../../server/services/scenarios.ts';
import { simulate } from '../../server/services/simulate.ts';
import { importSyntheticTruth } from '../../server/synthetic/truth-labels.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { tempDir, tempStore } from '../../server/test-support/temp.ts';
import { apiCall, buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';

const SCREENSHOTS = '/tmp';
const AGENT = 'evals/candidates/agent-empathetic.yaml';
const KB = 'evals/candidates/kb-concise.yaml';
// A shipped scenario (evals/scenarios): local:agent changes the address; the kb bot hands off and changes nothing.
const SCENARIO = 'address-change-before-shipping-zh';

let app: FastifyInstance;
let base: string;
let engineer: string;
let runIds: Record<'agent' | 'kb', string>;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-conv-'));

const row = (scenario: string, trial = 1) => page.locator(`[data-testid="conversation-list"] tr[data-scenario="${scenario}"][data-trial="${trial}"]`);

describe.skipIf(skipBrowserTests)('conversation runs in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const dir = tempDir();
    const corpus = join(dir, 'synthetic.jsonl');
    await writeCorpus({ n: 200, seed: 42, out: corpus });
    const db = await tempStore(dir);
    await ingestFiles(db, { paths: [corpus] });
    await importSyntheticTruth(db);
    await buildScenarioSet(db, { name: 'conv', dir: join(dir, 'sets') });
    const { report } = await simulate(db, { scenarios: 'conv', candidates: [AGENT, KB], trials: 2 });
    const [agent, kb] = report.candidates;
    runIds = { agent: agent!.run_id!, kb: kb!.run_id! };
    engineer = (await createApiKey(db, 'engineer', 'erin')).key;
    app = await buildApp({ db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1500, height: 950 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('ranks the conversation runs on the leaderboard with goal success, FCR, pass^k and turns', async () => {
    await page.goto(base);
    await page.getByLabel('API key').fill(engineer);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Runs', exact: true }).click();
    await page.getByRole('heading', { name: 'Runs and leaderboard' }).waitFor();
    await page.getByRole('button', { name: 'Conversation runs' }).click();
    expect(await page.getByRole('combobox', { name: 'Scenario set' }).inputValue()).toBe('conv');
    const board = page.locator('[data-testid="leaderboard"][data-kind="conversation"]');
    await board.waitFor();
    expect(await board.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-candidate')))).toEqual(['agent-empathetic', 'kb-concise']);
    const header = await board.locator('thead').innerText();
    for (const label of ['Goal success', 'FCR', 'pass^2', 'Turns', 'Escalation accuracy']) expect(header).toContain(label);
    const agentRow = board.locator('tr[data-candidate="agent-empathetic"]');
    for (const metric of ['goal_success', 'fcr', 'pass_k']) expect(await agentRow.locator(`[data-metric="${metric}"]`).innerText()).toMatch(/^\d\.\d{2} \[\d\.\d{2}, \d\.\d{2}\]/);
    expect(await agentRow.locator('[data-metric="turns"]').innerText()).toMatch(/^\d\.\d \[\d\.\d, (\d\.\d|∞)\]/);
    expect(await agentRow.locator('[data-metric="pass_k"]').innerText()).toContain('k = 2');
    expect(await page.getByTestId('by-language').innerText()).toMatch(/\ben\b[\s\S]*\bzh\b/);
    await expect.poll(() => page.locator('[data-testid="metrics-chart"] .recharts-bar').count()).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conv-leaderboard.png'), fullPage: true });
  });

  it('opens a failed conversation of the kb candidate: hand-off badge, end state against the expectation', async () => {
    await page.locator('[data-testid="leaderboard"] tr[data-candidate="kb-concise"]').getByRole('link', { name: 'View conversations' }).click();
    await page.getByRole('heading', { name: 'Conversations', exact: true }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Conversation run' }).inputValue()).toBe(runIds.kb);
    const list = page.getByTestId('conversation-list');
    await list.locator('tbody tr').first().waitFor();
    const all = await list.locator('tbody tr').count();
    await page.getByRole('checkbox', { name: 'Failed only' }).check();
    await expect.poll(() => list.locator('tbody tr').count()).toBeLessThan(all);
    expect(await list.locator('tbody tr[data-goal-met="true"]').count()).toBe(0);
    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    expect(await list.locator('tbody tr td:nth-child(2)').allInnerTexts()).toEqual(expect.arrayContaining(['zh']));
    expect(new Set(await list.locator('tbody tr td:nth-child(2)').allInnerTexts())).toEqual(new Set(['zh']));

    await row(SCENARIO).getByRole('button', { name: SCENARIO }).click();
    const view = page.getByTestId('conversation-view');
    await expect.poll(() => view.getAttribute('data-goal-met')).toBe('false');
    expect(await view.getAttribute('data-candidate')).toBe('kb-concise');
    // the hand-off marker is a badge, never raw text
    expect(await view.getByTestId('handoff-badge').first().innerText()).toContain('Handed off to human');
    expect(await page.locator('body').innerText()).not.toContain('[[handoff');
    expect(await view.getByTestId('tool-call').count()).toBe(0);
    // expected: the address changed and an address change recorded; happened: nothing
    const expectation = view.getByTestId('expectation');
    expect(await expectation.locator('tr[data-kind="order_field"][data-ok="false"]').innerText()).toContain('上海市浦东新区张江路88号3栋1201室');
    expect(await expectation.locator('tr[data-kind="record"][data-ok="false"]').innerText()).toContain('no matching record');
    expect(await expectation.locator('tr[data-kind="escalation"]').getAttribute('data-ok')).toBe('false');
    expect(await view.getByTestId('state-diff').innerText()).toBe('No change.');
    expect(await view.getByTestId('judgement-fcr').getAttribute('data-ok')).toBe('false');
    expect(await view.getByTestId('judgement').innerText()).toContain('needless hand-off');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conv-failed-kb.png'), fullPage: true });
  });

  it('opens a passed conversation of local:agent: tool calls with arguments and results, end state met', async () => {
    await page.getByRole('combobox', { name: 'Conversation run' }).selectOption(runIds.agent);
    await page.getByRole('checkbox', { name: 'Failed only' }).uncheck();
    await row(SCENARIO).getByRole('button', { name: SCENARIO }).click();
    const view = page.getByTestId('conversation-view');
    await expect.poll(() => view.getAttribute('data-goal-met')).toBe('true');
    expect(await view.getAttribute('data-candidate')).toBe('agent-empathetic');
    expect(await view.getByTestId('turn-customer').count()).toBeGreaterThanOrEqual(2);
    expect(await view.getByTestId('turn-agent').count()).toBeGreaterThanOrEqual(2);

    const change = view.locator('[data-testid="tool-call"][data-tool="change_delivery_address"]');
    expect(await change.locator('summary.conv-tool-summary').innerText()).toMatch(/change_delivery_address\s*\(order_id: DD20260302888888, address: 上海市浦东新区张江路88号3栋1201室\)/);
    await change.locator('summary.conv-tool-summary').click();
    const body = await change.locator('.conv-tool-body').innerText();
    expect(body).toContain('Arguments');
    expect(body).toContain('Result');
    expect(body).toMatch(/ok\s*true/);
    expect(await view.locator('[data-testid="tool-call"][data-tool="lookup_customer"]').count()).toBeGreaterThan(0);

    const expectation = view.getByTestId('expectation');
    expect(await expectation.locator('tr[data-ok="false"]').count()).toBe(0);
    expect(await expectation.locator('tr[data-kind="order_field"]').innerText()).toContain('delivery_address');
    const diff = await view.getByTestId('state-diff').innerText();
    expect(diff).toContain('address changes');
    expect(diff).toMatch(/delivery_address: — → 上海市浦东新区张江路88号3栋1201室/);
    for (const id of ['judgement-goal', 'judgement-fcr']) expect(await view.getByTestId(id).getAttribute('data-ok')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conv-passed-agent.png'), fullPage: true });
  });

  it('puts the two candidates side by side, from the viewer and from the compare page', async () => {
    await page.getByRole('combobox', { name: 'Compare with…' }).selectOption(runIds.kb);
    const sideBySide = page.getByTestId('side-by-side');
    await sideBySide.waitFor();
    const views = sideBySide.getByTestId('conversation-view');
    await expect.poll(() => views.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-candidate')}:${e.getAttribute('data-goal-met')}`))).toEqual([
      'agent-empathetic:true',
      'kb-concise:false',
    ]);
    expect(await views.nth(0).getByTestId('tool-call').count()).toBeGreaterThan(0);
    expect(await views.nth(1).getByTestId('handoff-badge').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conv-side-by-side.png'), fullPage: true });

    // The compare page for the two conversation runs links each scenario to the same view.
    await page.getByRole('link', { name: 'Compare', exact: true }).click();
    await page.getByRole('heading', { name: 'Compare runs' }).waitFor();
    expect(await page.getByRole('button', { name: 'Conversation runs' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('combobox', { name: 'Run A' }).selectOption(runIds.agent);
    await page.getByRole('combobox', { name: 'Run B' }).selectOption(runIds.kb);
    const compareRow = page.locator(`[data-testid="compare-cases"] tr[data-case="${SCENARIO}"]`);
    await compareRow.waitFor();
    expect(await page.getByTestId('compare-cases').innerText()).not.toContain('[[handoff');
    await compareRow.getByTestId('side-by-side-link').click();
    await expect.poll(() => page.getByTestId('side-by-side').getByTestId('conversation-view').count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('with')).toBe(runIds.kb);
  });

  it('shows the viewer in Chinese', async () => {
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('对话');
    const text = await page.getByTestId('side-by-side').innerText();
    for (const label of ['评判', '目标达成', '首次解决', '重复询问', '转人工正确', '处理时长', '对话记录', '工具调用', '最终状态与预期对照', '实际结果', '已转接：human']) expect(text).toContain(label);
    expect(await page.getByRole('combobox', { name: '与…对比' }).inputValue()).toBe(runIds.kb);
    expect(await page.getByTestId('conversation-list').innerText()).toContain('仅看未达成');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conv-side-by-side-zh.png'), fullPage: true });
    await page.getByRole('link', { name: '评测', exact: true }).click();
    await expect.poll(() => page.getByTestId('leaderboard').locator('thead').innerText()).toContain('目标达成率');
    await page.getByRole('button', { name: 'English' }).click();

    const { status } = await apiCall(base, engineer, 'GET', `/api/runs/${runIds.agent}/conversations/${SCENARIO}/1`);
    expect(status).toBe(200);
    expect(pageErrors).toEqual([]);
  });
});
