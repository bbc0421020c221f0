import { describe, expect, it } from 'vitest';
import { splitHandoff } from './handoff.ts';

describe('splitHandoff', () => {
  it('takes the marker out and keeps its queue', () => {
    expect(splitHandoff('正在为您转接人工客服，请稍候。[[handoff:human]]')).toEqual({ text: '正在为您转接人工客服，请稍候。', queue: 'human' });
    expect(splitHandoff('[[ handoff : Billing ]] One moment.')).toEqual({ text: 'One moment.', queue: 'billing' });
    expect(splitHandoff('A colleague will help. [[handoff]]')).toEqual({ text: 'A colleague will help.', queue: 'human' });
  });

  it('leaves a reply without a marker alone', () => {
    expect(splitHandoff('Your address is changed.')).toEqual({ text: 'Your address is changed.', queue: null });
  });
});
