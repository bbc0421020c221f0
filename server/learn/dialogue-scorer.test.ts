import { describe, expect, it } from 'vitest';
import { loadBuiltinModels } from './builtin-models.ts';
import { scoreDialogue } from './dialogue-scorer.ts';

describe('scoreDialogue with the built-in models', () => {
  const models = loadBuiltinModels();

  it('scores a Chinese dialogue that ends with the customer’s thanks as resolved and satisfied, and says why', () => {
    const s = scoreDialogue(
      {
        turns: [
          { role: 'customer', text: '我家宽带从昨天开始一直断线，麻烦看一下' },
          { role: 'agent', text: '您好，已为您远程重置端口，请重启光猫后再试一下。' },
          { role: 'customer', text: '好了好了，可以上网了，谢谢！' },
        ],
      },
      models,
    );
    expect(s.language).toBe('zh');
    expect(s.fcr!.probability).toBeGreaterThan(0.5);
    expect(s.fcr!.resolved).toBe(true);
    expect(s.csat!.value).toBeGreaterThan(3);
    expect(s.csat!.value).toBeLessThanOrEqual(5);
    expect(s.tone!.rubric).toBeGreaterThanOrEqual(1);
    expect(s.reasons.fcr).toMatch(/^strongest evidence for resolved: .*customer's last turn|last_customer_thanks/);
  });

  it('scores an unresolved complaint ending with the customer low, with evidence against', () => {
    const s = scoreDialogue(
      {
        language: 'zh',
        turns: [
          { role: 'customer', text: '手机信号差了一个月了，投诉了三次都没人处理！' },
          { role: 'agent', text: '您好，请私信您的号码和具体地址，我们帮您反馈。' },
          { role: 'customer', text: '已经私信了，还是没人管，你们到底管不管？？' },
        ],
      },
      models,
    );
    expect(s.fcr!.probability).toBeLessThan(0.5);
    expect(s.csat!.value).toBeLessThan(3);
    expect(s.reasons.fcr).toMatch(/^strongest evidence against resolved: /);
    expect(s.reasons.csat).toMatch(/-> 0\.\d\d$/);
  });

  it('detects English and scores it with the English models', () => {
    const s = scoreDialogue(
      {
        turns: [
          { role: 'customer', text: 'My order HXDUBJ never arrived. Call me at [PHONE].' },
          { role: 'agent', text: 'Sorry for the trouble. We have resent the parcel, it arrives tomorrow.' },
          { role: 'customer', text: 'OK, thank you!' },
        ],
      },
      models,
    );
    expect(s.language).toBe('en');
    expect(s.fcr!.probability).toBeGreaterThan(0.5);
    expect(s.reasons.csat).toContain('strongest evidence');
  });

  it('returns nulls for a language without models', () => {
    const s = scoreDialogue({ language: 'en', turns: [{ role: 'customer', text: 'hello?' }] }, { zh: models.zh! });
    expect(s).toEqual({ language: 'en', fcr: null, csat: null, tone: null, reasons: {} });
  });
});
