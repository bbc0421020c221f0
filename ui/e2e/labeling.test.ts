// End to end in a real Chromium: the built UI served by the real server on a temporary store.
// A reviewer signs in and labels three dialogues with the keyboard only; drafts survive a reload;
// a stale save shows the conflict banner; a second reviewer disagrees; the agreement page shows it;
// the UI switches to Chinese; an admin settles the disagreement; hostile dialogue text stays text.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiCall, buildUi, launchChromium, listen, skipBrowserTests } from './harness.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import type { DialogueInput } from '../../server/domain/dialogue.ts';
import type { Label } from '../../server/domain/label.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../../server/test-support/labeling-fixture.ts';

const SCREENSHOTS = '/tmp';
const XSS_IMG = '<img src=x onerror="window.__xss=1;alert(1)">';
const XSS_SCRIPT = '<script>window.__xss=2</script>';

/** Seven small dialogues: Chinese and English, a tool turn, a bot agent, and one hostile text (channel "email"). */
function corpus(): DialogueInput[] {
  const at = (min: number) => `2026-03-02T09:${String(14 + min).padStart(2, '0')}:00+08:00`;
  return [
    fixtureDialogue('e2e-xss', {
      channel: 'email',
      language: 'en',
      customer_id: 'c-1',
      turns: [
        { role: 'customer', text: `My screen broke ${XSS_IMG}`, at: at(0) },
        { role: 'agent', text: `Sorry to hear that. ${XSS_SCRIPT} You are in warranty.`, agent_kind: 'human', at: at(1) },
      ],
    }),
    fixtureDialogue('e2e-zh-1', {
      turns: [
        { role: 'customer', text: '我刚买的手机屏幕碎了怎么办', at: at(0) },
        { role: 'tool', name: 'lookup_order', text: '{"order":"A1","status":"delivered"}' },
        { role: 'agent', text: '您好，您的手机在保修期内，可以免费维修。', agent_kind: 'bot', at: at(1) },
        { role: 'customer', text: '好的，谢谢', at: at(2) },
        { role: 'agent', text: '不客气，祝您生活愉快！', agent_kind: 'bot', at: at(3) },
      ],
    }),
    fixtureDialogue('e2e-zh-2', { customer_id: 'c-2', metadata: { intent: 'refund_request' } }),
    fixtureDialogue('e2e-en-1', {
      language: 'en',
      channel: 'app',
      customer_id: undefined,
      turns: [
        { role: 'customer', text: 'Where is my parcel? It is a week late.' },
        { role: 'agent', text: 'It will arrive tomorrow.', agent_kind: 'human' },
      ],
      metadata: { intent: 'delivery_delay' },
    }),
    fixtureDialogue('e2e-en-2', { language: 'en', channel: 'app', turns: [{ role: 'customer', text: 'I want a refund' }, { role: 'agent', text: 'Sure.' }] }),
    fixtureDialogue('e2e-zh-3', { channel: 'wechat' }),
    fixtureDialogue('e2e-zh-4', { channel: 'phone' }),
  ];
}

let app: FastifyInstance;
let base: string;
let keys: Keys;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const alerts: string[] = [];
const pageErrors: string[] = [];
const uiDir = mkdtempSync(join(tmpdir(), 'firstcall-ui-'));

const call = <T = unknown>(key: string, method: string, path: string, body?: unknown) => apiCall<T>(base, key, method, path, body);

const currentId = () => page.locator('.dialogue-id').innerText();

async function nextDialogueAfter(previous: string): Promise<string> {
  await expect.poll(currentId, { timeout: 10_000 }).not.toBe(previous);
  return currentId();
}

/** Labels the dialogue on screen with key presses only (no clicks). */
async function labelWithKeyboard(choice: { intent: string; fcr: 'y' | 'n' | 'u'; accuracy: 'c' | 'p' | 'i'; tone: number; reference: string; facts: string[] }) {
  const kb = page.keyboard;
  await kb.press('/');
  await kb.type(choice.intent);
  await kb.press('Enter'); // picks the first match (or adds the new key) and leaves the field
  await kb.press(choice.fcr);
  await kb.press(choice.accuracy);
  await kb.press(String(choice.tone));
  await kb.press('t');
  await kb.press('p'); // tone tag: polite
  await kb.press('e'); // escalation needed: yes
  await kb.press('e'); // ... toggled to no
  await kb.press('x'); // escalated: yes
  await kb.press('x'); // ... no
  await kb.press('r');
  await kb.type(choice.reference);
  await kb.press('Escape');
  await kb.press('f');
  await kb.type(choice.facts.join('\n'));
  await kb.press('Escape');
  await kb.press('j'); // first agent turn
  await kb.press('g');
  await kb.press('6'); // flag: good example
  await kb.press('Enter'); // submit and load the next one
}

describe.skipIf(skipBrowserTests)('reviewer UI in Chromium', () => {
  beforeAll(async () => {
    await buildUi(uiDir);
    const store = await labelingStore(corpus());
    keys = store.keys;
    app = await buildApp({ db: store.db, uiDir, maxAuthFailures: 1000 });
    base = await listen(app);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('dialog', (dialog) => {
      alerts.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('rejects a wrong key with a message, then signs in with a reviewer key', async () => {
    // a remembered key that the server no longer accepts sends the user back to sign in
    await page.goto(base);
    await page.evaluate(() => localStorage.setItem('firstcall.apiKey', 'fc_reviewer_revokedrevokedrevokedrevoked'));
    await page.reload();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('Your session ended');
    expect(await page.evaluate(() => localStorage.getItem('firstcall.apiKey'))).toBeNull();

    await page.getByLabel('API key').fill('fc_reviewer_wrongwrongwrongwrongwrong');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('not accepted');

    await page.getByLabel('API key').fill(keys.reviewer);
    await page.keyboard.press('Enter');
    await page.locator('.dialogue-id').waitFor();
    expect(await page.locator('.topbar .user').innerText()).toContain('alice');
    expect(await page.evaluate(() => localStorage.getItem('firstcall.apiKey'))).toBe(keys.reviewer);
  });

  it('shows hostile dialogue text as text (filtered to the email channel)', async () => {
    const channel = page.getByRole('textbox', { name: 'Channel' });
    await channel.fill('email');
    await channel.press('Enter');
    await expect.poll(currentId).toBe('e2e-xss');
    await expect.poll(() => page.locator('.transcript').innerText()).toContain(XSS_IMG);
    expect(await page.locator('.transcript').innerText()).toContain(XSS_SCRIPT);
    expect(await page.locator('.transcript img, .transcript script').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(alerts).toEqual([]);
    // the CRM panel and the FCR suggestion are there, and the suggestion is not pre-set
    expect(await page.locator('.crm').innerText()).toMatch(/In warranty|Warranty expired/);
    expect(await page.locator('.crm').innerText()).toContain('VIP');
    expect(await page.locator('.suggestion').innerText()).toContain('Use suggestion');
    expect(await page.locator('.label-form [aria-pressed="true"]').count()).toBe(0);
  });

  it('labels three dialogues with the keyboard only', async () => {
    const ids: string[] = [];
    ids.push(await currentId());
    await labelWithKeyboard({ intent: 'screen_rep', fcr: 'y', accuracy: 'c', tone: 4, reference: 'We will repair it for free.', facts: ['in warranty', 'free repair'] });
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('Submitted e2e-xss');
    // the email channel is done: clear the filter (the one mouse step) and go on with the whole queue
    await expect.poll(() => page.getByTestId('queue-empty').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('.dialogue-id').count()).toBe(1);

    ids.push(await currentId());
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-labeling-en.png') });
    await labelWithKeyboard({ intent: 'late delivery', fcr: 'n', accuracy: 'p', tone: 3, reference: '您好，我们马上为您处理。', facts: ['apology'] });
    ids.push(await nextDialogueAfter(ids[1]!));
    await labelWithKeyboard({ intent: 'refund_request', fcr: 'u', accuracy: 'i', tone: 2, reference: 'Refund in 3 days.', facts: [] });
    await nextDialogueAfter(ids[2]!);

    const { body } = await call<{ labels: Label[]; total: number }>(keys.reviewer, 'GET', '/api/labels?reviewer=alice&status=submitted');
    const byId = new Map(body.labels.map((l) => [l.dialogue_id, l]));
    expect([...byId.keys()].sort()).toEqual([...ids].sort());
    expect(byId.get(ids[0]!)).toMatchObject({
      status: 'submitted',
      intent: 'screen_repair',
      fcr: 'yes',
      accuracy: 'correct',
      tone: 4,
      tone_tags: ['polite'],
      escalation_needed: 'no',
      escalated: 'no',
      reference_answer: 'We will repair it for free.',
      required_facts: ['in warranty', 'free repair'],
    });
    expect(byId.get(ids[0]!)!.turn_flags).toEqual([{ seq: 1, flag: 'good_example' }]);
    expect(byId.get(ids[1]!)).toMatchObject({ intent: 'late_delivery', fcr: 'no', accuracy: 'partial', tone: 3, reference_answer: '您好，我们马上为您处理。' });
    expect(byId.get(ids[2]!)).toMatchObject({ intent: 'refund_request', fcr: 'unclear', accuracy: 'incorrect', tone: 2, required_facts: [] });
    // the new intent was added to the list
    const intents = await call<{ intents: { key: string }[] }>(keys.reviewer, 'GET', '/api/intents');
    expect(intents.body.intents.map((i) => i.key)).toContain('late_delivery');
    expect(await page.getByTestId('progress-text').innerText()).toMatch(/^3 done/);
  });

  it('keeps a draft across a reload, and shows a conflict when the label changed elsewhere', async () => {
    const id = await currentId();
    await page.keyboard.press('n');
    await page.keyboard.press('p');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('draft saved');
    await page.reload();
    await expect.poll(currentId).toBe(id);
    const pressed = page.locator('.label-form [aria-pressed="true"]');
    await expect.poll(() => pressed.allInnerTexts()).toEqual([expect.stringMatching(/^no/), expect.stringMatching(/^partial/)]);

    // another tab saves the same label in between
    const view = await call<{ my_label: Label }>(keys.reviewer, 'GET', `/api/dialogues/${id}`);
    const { my_label: saved } = view.body;
    const other = await call<Label>(keys.reviewer, 'PUT', `/api/dialogues/${id}/label`, {
      fields: { ...saved, notes: 'saved in another tab' },
      status: 'draft',
      version: saved.version,
    });
    expect(other.status).toBe(200);

    await page.keyboard.press('2');
    await page.keyboard.press('Control+s');
    const banner = page.locator('.conflict');
    await banner.waitFor();
    expect(await banner.innerText()).toContain('This label changed elsewhere');
    expect(await banner.innerText()).toContain('Tone');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-conflict-en.png') });
    expect(await page.getByLabel('Notes').inputValue()).toBe('saved in another tab');
    await page.getByRole('button', { name: 'Re-apply my edits' }).click();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('draft saved');
    const after = await call<{ my_label: Label }>(keys.reviewer, 'GET', `/api/dialogues/${id}`);
    // my edit (tone) went back on top; the other tab's note stayed
    expect(after.body.my_label).toMatchObject({ status: 'draft', tone: 2, fcr: 'no', notes: 'saved in another tab', version: other.body.version + 1 });
  });

  it('keeps the dialogue and its edits when a filter change cannot save them first', async () => {
    const id = await currentId();
    const view = await call<{ my_label: Label }>(keys.reviewer, 'GET', `/api/dialogues/${id}`);
    // another tab saves the same label, then this tab edits and changes the date filter
    const other = await call<Label>(keys.reviewer, 'PUT', `/api/dialogues/${id}/label`, {
      fields: { ...view.body.my_label, notes: 'saved in a third tab' },
      status: 'draft',
      version: view.body.my_label.version,
    });
    expect(other.status).toBe(200);
    await page.keyboard.press('4');
    await page.locator('input[type="date"]').first().fill('2020-01-01');
    await expect.poll(() => page.getByTestId('notice').innerText()).toContain('your edits are kept in the conflict box');
    await page.locator('.conflict').waitFor();
    expect(await currentId()).toBe(id);
    await page.getByRole('button', { name: 'Re-apply my edits' }).click();
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.getByTestId('save-state').innerText()).toBe('draft saved');
    const after = await call<{ my_label: Label }>(keys.reviewer, 'GET', `/api/dialogues/${id}`);
    expect(after.body.my_label).toMatchObject({ tone: 4, notes: 'saved in a third tab', version: other.body.version + 1 });
    // saved, a filter change goes through (the queue offers this reviewer's own draft first again)
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect.poll(() => page.locator('input[type="date"]').first().inputValue()).toBe('');
    await expect.poll(currentId).toBe(id);
    expect(await page.locator('.notice-error').count()).toBe(0);
  });

  it('shows a second reviewer’s disagreement on the agreement page, in English and Chinese', async () => {
    const { body } = await call<{ labels: Label[] }>(keys.reviewer, 'GET', '/api/labels?reviewer=alice&status=submitted');
    const disputed = body.labels.find((l) => l.dialogue_id !== 'e2e-xss')!;
    const bob = await call(keys.reviewer2, 'PUT', `/api/dialogues/${disputed.dialogue_id}/label`, {
      fields: { ...disputed, fcr: disputed.fcr === 'yes' ? 'no' : 'yes', tone: 5, accuracy: 'correct' },
      status: 'submitted',
      version: null,
    });
    expect(bob.status).toBe(200);

    await page.getByRole('link', { name: 'Agreement' }).click();
    await expect.poll(() => page.getByTestId('disagreements').innerText()).toBe('Dialogues with disagreement: 1');
    const reviewers = await page.getByTestId('reviewer-table').innerText();
    expect(reviewers).toContain('alice');
    expect(reviewers).toContain('bob');
    expect(reviewers).toContain('100%');
    expect(await page.getByTestId('kappa-table').innerText()).toContain('alice · bob');
    expect(await page.locator('[data-testid="alpha-table"] .level-low').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-agreement-en.png'), fullPage: true });

    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.locator('h1').innerText()).toBe('标注一致性');
    expect(await page.getByTestId('disagreements').innerText()).toBe('存在分歧的对话：1 条');
    expect(await page.locator('.nav').innerText()).toContain('标注');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-agreement-zh.png'), fullPage: true });

    await page.getByRole('link', { name: '标注', exact: true }).click();
    await page.locator('.dialogue-id').waitFor();
    expect(await page.locator('.side-pane').innerText()).toContain('提交并下一条');
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: '键盘快捷键' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-cheatsheet-zh.png') });
    await page.keyboard.press('Escape');
    await page.keyboard.press('h');
    await page.locator('.guidelines-pane').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-labeling-zh.png') });
    // the choice is remembered
    await page.reload();
    await page.locator('.dialogue-id').waitFor();
    expect(await page.locator('.nav').innerText()).toContain('一致性');
  });

  it('lets an admin settle the disagreement as a gold label', async () => {
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByLabel('API 密钥').fill(keys.admin);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: '仲裁' }).click();
    const table = page.getByTestId('compare-table');
    await table.waitFor();
    expect(await table.locator('.row-differs').count()).toBeGreaterThan(0);
    const header = await table.locator('thead').innerText();
    expect(header).toContain('alice');
    expect(header).toContain('bob');
    await page.screenshot({ path: join(SCREENSHOTS, 'firstcall-adjudication-zh.png'), fullPage: true });
    await table.locator('thead th', { hasText: 'bob' }).getByRole('button', { name: '全部采用' }).click();
    await page.getByRole('button', { name: '保存为金标' }).click();
    await page.getByText('金标已保存。').waitFor();

    const { body } = await call<{ items: { dialogue_id: string; gold: { source: string; decided_by: string } | null }[] }>(keys.admin, 'GET', '/api/adjudication');
    expect(body.items).toHaveLength(1);
    expect(body.items[0]!.gold).toMatchObject({ source: 'adjudication', decided_by: 'ada' });
  });

  it('lets an admin edit the guidelines, which render as text, and the settings', async () => {
    await page.getByRole('link', { name: '标注规范' }).click();
    await page.getByRole('button', { name: '编辑' }).click();
    await page.getByRole('textbox', { name: '标注规范' }).fill(`# 退货规则\n\n- **七天**无理由退货 ${XSS_IMG}\n- 运费由客户承担`);
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByRole('heading', { name: '退货规则' }).waitFor();
    const text = await page.locator('.markdown').innerText();
    expect(text).toContain(`七天无理由退货 ${XSS_IMG}`);
    expect(await page.locator('.markdown strong').innerText()).toBe('七天');
    expect(await page.locator('.markdown img').count()).toBe(0);
    const saved = await call<{ text: string; updated_by: string }>(keys.reviewer, 'GET', '/api/guidelines');
    expect(saved.body).toMatchObject({ updated_by: 'ada' });

    await page.getByRole('link', { name: '设置' }).click();
    const overlap = page.getByRole('spinbutton', { name: '每条对话的标注人数' });
    await overlap.fill('2');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByText('设置已保存。').waitFor();
    expect((await call(keys.reviewer, 'GET', '/api/settings')).body).toMatchObject({ overlap: 2 });

    expect(pageErrors).toEqual([]);
    expect(alerts).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });
});
