import { describe, expect, it } from 'vitest';
import { translate, type MessageKey, type MessageVars } from '../../../lib/i18n.ts';
import { scorerName, tokenTotal } from './display.ts';

describe('run display helpers', () => {
  it('names scorers in the UI language, unknown ones by id', () => {
    const zh = (key: MessageKey, vars?: MessageVars) => translate('zh', key, vars);
    expect(scorerName(zh, 'accuracy')).toBe('准确性');
    expect(scorerName(zh, 'safety')).toBe('安全');
    expect(scorerName(zh, 'my_custom')).toBe('my_custom');
  });

  it('has no token total for a candidate without token usage', () => {
    expect(tokenTotal({ input: 0, output: 0 })).toBeNull();
    expect(tokenTotal(undefined)).toBeNull();
    expect(tokenTotal({ input: 120, output: 30 })).toBe(150);
  });
});
