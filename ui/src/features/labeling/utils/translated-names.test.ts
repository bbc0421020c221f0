import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type MessageVars } from '../../../lib/i18n.ts';
import { channelName, fcrReasonText } from './translated-names.ts';

const zh = (key: MessageKey, vars?: MessageVars) => translate('zh', key, vars);
const en = (key: MessageKey, vars?: MessageVars) => translate('en', key, vars);

describe('names from the data in the UI language', () => {
  it('translates known channels, unknown included, and leaves others as logged', () => {
    expect(channelName(zh, 'unknown')).toBe('未知渠道');
    expect(channelName(zh, 'wechat')).toBe('微信');
    expect(channelName(zh, 'fax')).toBe('fax');
  });

  it('says the FCR reason from its code, with the channel translated', () => {
    const repeat = {
      reason: 'the customer contacted again about screen_repair 3.0 days later (d-9, phone)',
      reason_code: 'repeat_contact' as const,
      reason_params: { intent: 'screen_repair', days: '3.0', dialogue_id: 'd-9', channel: 'phone', window: 7 },
    };
    expect(fcrReasonText(zh, repeat)).toBe('客户在 3.0 天后就 screen_repair 再次联系（d-9，电话）');
    expect(fcrReasonText(en, repeat)).toBe(repeat.reason);
    expect(fcrReasonText(zh, { reason: 'x', reason_code: 'resolved', reason_params: { window: 7 } })).toBe('已解决、未转人工，且 7 天内没有就同一意图再次联系');
    expect(fcrReasonText(zh, { reason: 'something new', reason_code: 'other', reason_params: { window: 7 } })).toBe('something new');
  });
});
