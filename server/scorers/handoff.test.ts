import { describe, expect, it } from 'vitest';
import { detectHandoff, textualHandoff } from './handoff.ts';

describe('textualHandoff: a transfer hands off, an offer does not', () => {
  it.each([
    "I'm transferring you now.",
    'I will transfer you to our returns team now.',
    "I've escalated this to my supervisor, who will call you back.",
    'This needs a specialist, so I\'m transferring you now. They will see this conversation.',
    '已为您转接人工客服，请稍候。',
    '正在为您转接人工客服',
    '我现在就为您转接同事，由专人继续帮您处理。',
  ])('transfer: %s', (reply) => {
    expect(textualHandoff(reply)).not.toBeNull();
  });

  it.each([
    'I can transfer you to a human agent — would you like me to?',
    'Would you like me to connect you with a specialist?',
    'If you prefer, I can put you through to a colleague.',
    'Shall I transfer you to a human agent?',
    '需要的话我可以帮您转人工',
    '要不要帮您转人工？',
    '如需人工服务，请回复转人工。',
    '如果您需要，我可以为您转接人工客服。',
    "I can't transfer you right now.",
    '无法为您转接人工',
  ])('no transfer: %s', (reply) => {
    expect(textualHandoff(reply)).toBeNull();
  });

  it('finds the transfer in a later sentence after an offer', () => {
    expect(textualHandoff('Would you like a refund instead? Otherwise I am transferring you to a colleague now.')).toBe('transferring you');
  });

  it('the marker always hands off', () => {
    expect(detectHandoff({ reply: 'Would you like me to transfer you?', handoff: { queue: 'vip' } })).toEqual({ handedOff: true, via: 'marker', detail: 'vip' });
    expect(detectHandoff({ reply: 'Would you like me to transfer you?', handoff: null }).handedOff).toBe(false);
  });
});
