import { describe, expect, it } from 'vitest';
import type { Turn } from '../domain/dialogue.ts';
import { withLoggedToolTurns } from './answer.ts';

const c = (text: string): Turn => ({ role: 'customer', text });
const a = (text: string, bot = false): Turn => ({ role: 'agent', text, ...(bot ? { agent_kind: 'bot' as const } : {}) });
const tool = (name: string, text: string): Turn => ({ role: 'tool', name, text });

describe('withLoggedToolTurns keeps the tool turns logged on firstcall’s side when a client continues a dialogue', () => {
  it('puts them back where the client’s history repeats the stored one, with the stored agent kind', () => {
    const stored = [c('hi'), tool('lookup_customer', '{"ok":true}'), a('hello', true)];
    expect(withLoggedToolTurns(stored, [c('hi'), a('hello'), c('more')])).toEqual([c('hi'), tool('lookup_customer', '{"ok":true}'), a('hello', true), c('more')]);
  });

  it('keeps the client’s own tool turns once, where it sent them', () => {
    const stored = [c('hi'), tool('lookup_order', '{"s":1}')];
    expect(withLoggedToolTurns(stored, [c('hi'), tool('lookup_order', '{"s":1}'), c('and?')])).toEqual([c('hi'), tool('lookup_order', '{"s":1}'), c('and?')]);
  });

  it('drops them from the first turn the client rewrote', () => {
    const stored = [c('hi'), tool('lookup_customer', '{}'), a('hello', true), c('x'), tool('check_warranty', '{}'), a('y', true)];
    expect(withLoggedToolTurns(stored, [c('hi'), a('something else'), c('z')])).toEqual([c('hi'), a('something else'), c('z')]);
  });

  it('changes nothing for a new dialogue', () => {
    expect(withLoggedToolTurns([], [c('hi')])).toEqual([c('hi')]);
  });
});
