import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CustomerView } from '../domain/api.ts';
import type { Language, Turn } from '../domain/dialogue.ts';
import type { PromptTemplate, SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { loadPromptTemplate } from './load-candidate.ts';
import { fillVariables, renderMessages, templateVariableProblems, templateVariables } from './render-prompt.ts';

const ROOT = join(import.meta.dirname, '..', '..');

let template: PromptTemplate;
beforeAll(async () => {
  template = await loadPromptTemplate('prompts/concise-v1.yaml', { root: ROOT });
});

const PURCHASES = [
  { product: 'Nova X5 phone (256 GB)', purchased_at: '2025-06-01', warranty_months: 12, order_id: 'DD20250601000001', price: 549 },
  { product: 'Pulse Buds 2 wireless earbuds', purchased_at: '2024-11-20', warranty_months: 12, order_id: 'DD20241120000002' },
  { product: 'Plus 30 mobile plan', purchased_at: '2025-01-05', warranty_months: 0 },
];

function customer(tier: CustomerView['tier'], name?: string): CustomerView {
  return {
    customer_id: 'c-8841',
    ...(name === undefined ? {} : { name }),
    tier,
    since: '2023-04-01',
    purchases: PURCHASES.map((p) => ({ ...p, warranty: warrantyOn(p, '2026-03-02') })),
  };
}

function kase(language: Language, history: Turn[], extra: Partial<SuiteCase> = {}): SuiteCase {
  const last = [...history].reverse().find((t) => t.role === 'customer');
  return {
    case_id: 'web-1#4',
    dialogue_id: 'web-1',
    history,
    customer_message: last?.text ?? '',
    customer: customer('vip', language === 'zh' ? '王芳' : 'Sarah Miller'),
    contact_date: '2026-03-02',
    reference_answer: 'the reference',
    required_facts: [],
    expected_escalation: false,
    intent: 'screen_repair',
    language,
    channel: 'web',
    human_reply: 'the human reply',
    gold: { fcr: null, accuracy: null, tone: null },
    ...extra,
  };
}

const EN_HISTORY: Turn[] = [
  { role: 'customer', text: 'Hi, the screen on my Nova X5 cracked.' },
  { role: 'agent', text: "Sorry to hear that. What's the order number?" },
  { role: 'customer', text: 'DD20250601000001' },
  { role: 'tool', name: 'lookup_order', text: '{"order_id":"DD20250601000001","status":"delivered"}' },
  { role: 'customer', text: 'I dropped it yesterday.' },
];

describe('renderMessages', () => {
  it('renders an English case: system prompt, few-shot pairs, then the conversation ending with the customer', () => {
    const messages = renderMessages(template, kase('en', EN_HISTORY));
    const [system, ...rest] = messages;
    expect(system?.role).toBe('system');
    const fewShot = template.few_shot.filter((f) => f.language === 'en');
    expect(rest.slice(0, fewShot.length * 2)).toEqual(fewShot.flatMap((f) => [{ role: 'user', content: f.customer }, { role: 'assistant', content: f.agent }]));
    expect(rest.slice(fewShot.length * 2)).toEqual([
      { role: 'user', content: 'Hi, the screen on my Nova X5 cracked.' },
      { role: 'assistant', content: "Sorry to hear that. What's the order number?" },
      // Consecutive customer turns merge; the tool turn moved to the system prompt.
      { role: 'user', content: 'DD20250601000001\nI dropped it yesterday.' },
    ]);
  });

  it('fills every variable in the English system prompt', () => {
    const content = renderMessages(template, kase('en', EN_HISTORY))[0]!.content;
    expect(content).not.toMatch(/\{\{|\}\}/);
    expect(content).toContain('Beacon Electronics');
    expect(content).toContain('Reply in English');
    expect(content).toContain('web chat');
    expect(content).toContain('Today is 2026-03-02');
    expect(content).toContain('Tier: VIP');
    expect(content).toContain('Nova X5 phone (256 GB), order DD20250601000001, bought 2025-06-01, price 549, 12-month warranty, under warranty until 2026-05-31 (90 days left)');
    expect(content).toContain('Pulse Buds 2 wireless earbuds (DD20241120000002): 12-month warranty, out of warranty: it ended on 2025-11-19 (103 days ago)');
    expect(content).toContain('As of 2026-03-02: 1 of 2 devices under warranty.');
    expect(content).toContain('Plus 30 mobile plan, bought 2025-01-05, a service, no device warranty');
    expect(content).toContain(template.policy.en.trim());
    expect(content).toContain('[[handoff:vip]]');
    expect(content).toContain('lookup_order: {"order_id":"DD20250601000001","status":"delivered"}');
  });

  it("never puts the customer's name in the prompt", () => {
    const en = renderMessages(template, kase('en', EN_HISTORY)).map((m) => m.content).join('\n');
    expect(en).not.toContain('Sarah');
    expect(en).not.toContain('Miller');
    const zh = renderMessages(template, kase('zh', [{ role: 'customer', text: '手机屏幕碎了' }])).map((m) => m.content).join('\n');
    expect(zh).not.toContain('王芳');
  });

  it('renders a Chinese case in Chinese, with Chinese examples only', () => {
    const c = kase('zh', [{ role: 'customer', text: '我的手机屏幕碎了怎么办' }], { channel: 'wechat' });
    const messages = renderMessages(template, c);
    const system = messages[0]!.content;
    expect(system).toContain('你是灯塔数码');
    expect(system).toContain('使用简体中文回复');
    expect(system).toContain('当前渠道：微信客服');
    expect(system).toContain('会员等级：VIP会员');
    expect(system).toContain('Nova X5 phone (256 GB)，订单号DD20250601000001，购买日期2025-06-01，金额549，保修12个月，在保修期内（保修至2026-05-31，还剩90天）');
    expect(system).toContain('已过保修期（保修已于2025-11-19到期，已过103天）');
    expect(system).toContain('截至2026-03-02：2件设备中1件在保修期内。');
    expect(system).toContain('## 转人工规则');
    expect(system).not.toMatch(/\{\{|\}\}/);
    const examples = messages.slice(1, -1);
    expect(examples.length).toBe(template.few_shot.filter((f) => f.language === 'zh').length * 2);
    for (const m of examples.filter((m) => m.role === 'user')) expect(m.content).toMatch(/\p{Script=Han}/u);
    expect(messages.at(-1)).toEqual({ role: 'user', content: '我的手机屏幕碎了怎么办' });
  });

  it('asks for the greeting only on the first reply, and always for the sign-off', () => {
    const first = renderMessages(template, kase('en', [{ role: 'customer', text: 'Hello?' }]))[0]!.content;
    expect(first).toContain(`begin it with "${template.greeting!.en}"`);
    expect(first).toContain(`end your reply with "${template.sign_off!.en}"`);
    const later = renderMessages(template, kase('en', EN_HISTORY))[0]!.content;
    expect(later).not.toContain('begin it with');
    expect(later).toContain(`end your reply with "${template.sign_off!.en}"`);
  });

  it('speaks as of the contact date, or as of `now` when given', () => {
    const c = kase('en', EN_HISTORY);
    expect(templateVariables(template, c).today).toBe('2026-03-02');
    const later = templateVariables(template, c, { now: '2026-07-01' });
    expect(later.today).toBe('2026-07-01');
    expect(later.warranty_status).toContain('As of 2026-07-01: 0 of 2 devices under warranty.');
    expect(templateVariables(template, c, { now: new Date('2026-07-01T10:00:00Z') }).today).toBe('2026-07-01');
    expect(templateVariables(template, c, { retailer: { zh: '某店', en: 'Acme' } }).retailer).toBe('Acme');
  });

  it('never shows a purchase made after the contact date, even from a frozen case whose record holds one', () => {
    // A case dated 2026-03-02 whose stored record (built before the cut) holds a TV bought 2026-03-10.
    const later = { product: 'Vista 55" 4K TV', purchased_at: '2026-03-10', warranty_months: 24, order_id: 'DD20260310000009' };
    const base = customer('gold');
    const c = kase('en', EN_HISTORY, { customer: { ...base, purchases: [...base.purchases, { ...later, warranty: warrantyOn(later, '2026-04-07') }] } });
    const vars = templateVariables(template, c);
    expect(vars.customer_profile).not.toContain('Vista');
    expect(vars.warranty_status).not.toContain('Vista');
    expect(vars.warranty_status).toContain('As of 2026-03-02');
    expect(renderMessages(template, c)[0]!.content).not.toContain('DD20260310000009');
  });

  it('writes the profile and warranty lines in full: newest 20 purchases, older ones counted, services without warranty, each judged as of today', () => {
    const c = kase('en', EN_HISTORY);
    const vars = templateVariables(template, c);
    expect(vars.customer_profile).toBe(
      [
        'Tier: VIP',
        'Customer since: 2023-04-01',
        'Purchases (3):',
        '- Nova X5 phone (256 GB), order DD20250601000001, bought 2025-06-01, price 549, 12-month warranty, under warranty until 2026-05-31 (90 days left)',
        '- Plus 30 mobile plan, bought 2025-01-05, a service, no device warranty',
        '- Pulse Buds 2 wireless earbuds, order DD20241120000002, bought 2024-11-20, 12-month warranty, out of warranty: it ended on 2025-11-19 (103 days ago)',
      ].join('\n'),
    );
    expect(vars.warranty_status).toBe(
      [
        'As of 2026-03-02: 1 of 2 devices under warranty.',
        '- Nova X5 phone (256 GB) (DD20250601000001): 12-month warranty, under warranty until 2026-05-31 (90 days left)',
        '- Pulse Buds 2 wireless earbuds (DD20241120000002): 12-month warranty, out of warranty: it ended on 2025-11-19 (103 days ago)',
      ].join('\n'),
    );
    const many = Array.from({ length: 23 }, (_, i) => ({ product: `Cable ${i}`, purchased_at: `2025-0${1 + (i % 9)}-1${i % 10}`, warranty_months: i % 4 === 0 ? 0 : 6 }));
    const big = templateVariables(template, kase('zh', [], { customer_message: '你好', customer: { customer_id: 'c-1', tier: 'silver', purchases: many.map((p) => ({ ...p, warranty: warrantyOn(p, '2026-03-02') })) } }));
    const lines = big.customer_profile.split('\n');
    expect(lines.slice(0, 2)).toEqual(['会员等级：银卡会员', '购买记录（共23条）：']);
    expect(lines).toHaveLength(2 + 20 + 1);
    expect(lines.at(-1)).toBe('（另有3条更早的购买记录未列出）');
    expect(lines.slice(2, 4)).toEqual(['- Cable 8，购买日期2025-09-18，服务类商品，无设备保修', '- Cable 17，购买日期2025-09-17，保修6个月，在保修期内（保修至2026-03-16，还剩14天）']);
    const devices = lines.slice(2, 22).filter((l) => !l.endsWith('服务类商品，无设备保修')).length;
    expect(big.warranty_status.split('\n')).toHaveLength(1 + devices);
    expect(big.warranty_status.split('\n')[0]).toMatch(new RegExp(`^截至2026-03-02：${devices}件设备中\\d+件在保修期内。$`));
  });

  it('tells the model when there is no customer record', () => {
    const vars = templateVariables(template, kase('en', EN_HISTORY, { customer: null }));
    expect(vars.customer_profile).toMatch(/^No customer record/);
    expect(vars.warranty_status).toMatch(/^No device with a warranty/);
  });

  it('appends the customer message when the history does not end with it', () => {
    const messages = renderMessages(template, kase('en', [], { customer_message: 'Where is my parcel?' }));
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Where is my parcel?' });
    const afterAgent = renderMessages(template, kase('en', [{ role: 'customer', text: 'hi' }, { role: 'agent', text: 'Hello!' }], { customer_message: 'my parcel?' }));
    expect(afterAgent.slice(-2)).toEqual([{ role: 'assistant', content: 'Hello!' }, { role: 'user', content: 'my parcel?' }]);
  });

  it('moves an opening agent turn into the system prompt, so user and assistant alternate', () => {
    const c = kase('en', [{ role: 'agent', text: 'Thank you for calling, this is Alex.' }, { role: 'customer', text: 'Hi, my parcel is late.' }], { channel: 'phone' });
    const messages = renderMessages(template, c);
    expect(messages[0]!.content).toContain('The agent opened this conversation with: "Thank you for calling, this is Alex."');
    expect(messages[0]!.content).not.toContain('begin it with');
    const roles = messages.slice(1).map((m) => m.role);
    roles.forEach((role, i) => expect(role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Hi, my parcel is late.' });
  });

  it('is deterministic', () => {
    const c = kase('zh', [{ role: 'customer', text: '退货' }]);
    expect(renderMessages(template, c)).toEqual(renderMessages(template, c));
  });
});

describe('template variables', () => {
  it('reports unknown variables in system and any variable elsewhere', () => {
    const broken: PromptTemplate = {
      ...template,
      system: { zh: '{{customer_profile}} {{custmer}}', en: '{{ today }} {{policy}}' },
      greeting: { zh: '您好', en: 'Hi from {{retailer}}' },
    };
    expect(templateVariableProblems(broken)).toEqual([
      'system.zh: unknown variable {{custmer}} (known: customer_profile, warranty_status, policy, language, channel, today, retailer)',
      'greeting.en: {{retailer}} is not filled here; variables work only in system',
    ]);
    expect(templateVariableProblems(template)).toEqual([]);
  });

  it('fills variables with or without inner spaces', () => {
    const vars = templateVariables(template, kase('en', EN_HISTORY));
    expect(fillVariables('{{today}} / {{ retailer }}', vars)).toBe('2026-03-02 / Beacon Electronics');
    expect(() => fillVariables('{{nope}}', vars)).toThrow('unknown template variable {{nope}}');
  });
});
