import { describe, expect, it } from 'vitest';
import shortcutsDoc from '../../../../SHORTCUTS.md?raw';
import { ACCURACY_VALUES, FCR_VALUES, TONE_TAGS, TURN_FLAGS } from '../../../lib/contract.ts';
import {
  ACCURACY_KEYS,
  FCR_KEYS,
  FLAG_KEYS,
  SHORTCUT_HELP,
  TONE_TAG_KEYS,
  isTextField,
  moveTurnCursor,
  resolveShortcut,
  toggleYesNo,
  type KeyInput,
  type Pending,
} from './shortcuts.ts';

const press = (key: string, extra: Partial<KeyInput> = {}, pending: Pending = null) => resolveShortcut({ key, inTextField: false, ...extra }, pending);

describe('resolveShortcut', () => {
  it('maps the single keys of the label form', () => {
    expect(press('y').action).toEqual({ type: 'fcr', value: 'yes' });
    expect(press('n').action).toEqual({ type: 'fcr', value: 'no' });
    expect(press('u').action).toEqual({ type: 'fcr', value: 'unclear' });
    expect(press('c').action).toEqual({ type: 'accuracy', value: 'correct' });
    expect(press('p').action).toEqual({ type: 'accuracy', value: 'partial' });
    expect(press('i').action).toEqual({ type: 'accuracy', value: 'incorrect' });
    for (const digit of [1, 2, 3, 4, 5]) expect(press(String(digit)).action).toEqual({ type: 'tone', value: digit });
    expect(press('e').action).toEqual({ type: 'toggleEscalationNeeded' });
    expect(press('x').action).toEqual({ type: 'toggleEscalated' });
    expect(press('/').action).toEqual({ type: 'focus', target: 'intent' });
    expect(press('r').action).toEqual({ type: 'focus', target: 'reference' });
    expect(press('f').action).toEqual({ type: 'focus', target: 'facts' });
    expect(press('m').action).toEqual({ type: 'focus', target: 'notes' });
    expect(press('a').action).toEqual({ type: 'useSuggestion' });
    expect(press('Enter').action).toEqual({ type: 'submit' });
    expect(press('s').action).toEqual({ type: 'skip' });
    expect(press('?').action).toEqual({ type: 'toggleCheatSheet' });
    expect(press('h').action).toEqual({ type: 'toggleGuidelines' });
    expect(press('j').action).toEqual({ type: 'moveTurn', delta: 1 });
    expect(press('k').action).toEqual({ type: 'moveTurn', delta: -1 });
  });

  it('leaves unbound keys and digits outside 1-5 alone', () => {
    for (const key of ['0', '6', 'z', 'q', 'Tab', 'ArrowDown', ' ']) expect(press(key)).toEqual({ action: null, pending: null, handled: false });
  });

  it('never fires letters while typing in a text field; Esc leaves the field', () => {
    for (const key of ['y', 'n', 'c', '1', 's', 'Enter', '/', '?', 't', 'g', 'j']) {
      expect(press(key, { inTextField: true })).toEqual({ action: null, pending: null, handled: false });
    }
    expect(press('Escape', { inTextField: true }).action).toEqual({ type: 'leaveField' });
  });

  it('keeps Ctrl+S (draft) and Ctrl+Enter (submit) working while typing', () => {
    expect(press('s', { ctrlKey: true, inTextField: true }).action).toEqual({ type: 'saveDraft' });
    expect(press('S', { metaKey: true }).action).toEqual({ type: 'saveDraft' });
    expect(press('Enter', { ctrlKey: true, inTextField: true }).action).toEqual({ type: 'submit' });
  });

  it('leaves other browser shortcuts alone', () => {
    for (const key of ['c', 'r', 'f', 'n']) {
      expect(press(key, { ctrlKey: true }).handled).toBe(false);
      expect(press(key, { altKey: true }).handled).toBe(false);
    }
  });

  it('ignores keys during an IME composition and keeps the pending prefix', () => {
    expect(press('y', { isComposing: true })).toEqual({ action: null, pending: null, handled: false });
    expect(press('Process', {}, 'toneTag')).toEqual({ action: null, pending: 'toneTag', handled: false });
  });

  it('t then a letter toggles a tone tag; anything else cancels', () => {
    const first = press('t');
    expect(first).toEqual({ action: null, pending: 'toneTag', handled: true });
    expect(press('e', {}, 'toneTag')).toEqual({ action: { type: 'toneTag', tag: 'empathetic' }, pending: null, handled: true });
    expect(press('b', {}, 'toneTag').action).toEqual({ type: 'toneTag', tag: 'blaming' });
    expect(press('z', {}, 'toneTag')).toEqual({ action: { type: 'cancel' }, pending: null, handled: true });
    // the second key is consumed, not also read as "escalation needed"
    expect(press('e', {}, 'toneTag').action?.type).toBe('toneTag');
  });

  it('g then a digit flags the selected turn', () => {
    expect(press('g')).toEqual({ action: null, pending: 'flag', handled: true });
    expect(press('1', {}, 'flag').action).toEqual({ type: 'flag', flag: 'incorrect' });
    expect(press('6', {}, 'flag').action).toEqual({ type: 'flag', flag: 'good_example' });
    expect(press('9', {}, 'flag').action).toEqual({ type: 'cancel' });
    expect(press('Escape', {}, 'flag').action).toEqual({ type: 'cancel' });
  });

  it('has a key for every enum value, and no letter means two things', () => {
    expect(new Set(Object.values(FCR_KEYS))).toEqual(new Set(FCR_VALUES));
    expect(new Set(Object.values(ACCURACY_KEYS))).toEqual(new Set(ACCURACY_VALUES));
    expect(new Set(Object.values(TONE_TAG_KEYS))).toEqual(new Set(TONE_TAGS));
    expect(Object.values(FLAG_KEYS)).toEqual([...TURN_FLAGS]);
    const singles = ['/', 'r', 'f', 'm', 't', 'g', 'e', 'x', 'j', 'k', 'a', 's', 'h', '?', ...Object.keys(FCR_KEYS), ...Object.keys(ACCURACY_KEYS)];
    expect(new Set(singles).size).toBe(singles.length);
  });

  it('documents every single-key binding in the cheat sheet', () => {
    const documented = new Set(SHORTCUT_HELP.flatMap((row) => [...row.keys]));
    for (const key of 'ynucpi12345texrfmjkgash?/'.split('')) {
      if (press(key).handled) expect(documented, key).toContain(key);
    }
    for (const key of Object.keys(TONE_TAG_KEYS)) expect(documented).toContain(key);
  });

  it('documents every binding in ui/SHORTCUTS.md too', () => {
    expect(shortcutsDoc).toMatch(/^# Labeling keyboard shortcuts/);
    for (const row of SHORTCUT_HELP) for (const key of row.keys) expect(shortcutsDoc, key).toContain(`\`${key}\``);
  });
});

describe('isTextField', () => {
  it('treats text inputs, textareas, selects and contenteditable as typing', () => {
    expect(isTextField({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'search' })).toBe(true);
    expect(isTextField({ tagName: 'INPUT', type: 'date' })).toBe(true);
    expect(isTextField({ tagName: 'SELECT' })).toBe(true);
    expect(isTextField({ tagName: 'DIV', isContentEditable: true })).toBe(true);
  });
  it('does not treat buttons, checkboxes or the page as typing', () => {
    expect(isTextField({ tagName: 'BUTTON' })).toBe(false);
    expect(isTextField({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTextField({ tagName: 'BODY' })).toBe(false);
    expect(isTextField(null)).toBe(false);
  });
});

describe('toggleYesNo and moveTurnCursor', () => {
  it('toggles empty -> yes -> no -> yes', () => {
    expect(toggleYesNo(null)).toBe('yes');
    expect(toggleYesNo('yes')).toBe('no');
    expect(toggleYesNo('no')).toBe('yes');
  });
  it('moves over agent turns and stops at the ends', () => {
    const agent = [1, 3, 6];
    expect(moveTurnCursor(agent, null, 1)).toBe(1);
    expect(moveTurnCursor(agent, null, -1)).toBe(6);
    expect(moveTurnCursor(agent, 1, 1)).toBe(3);
    expect(moveTurnCursor(agent, 6, 1)).toBe(6);
    expect(moveTurnCursor(agent, 1, -1)).toBe(1);
    expect(moveTurnCursor(agent, 4, 1)).toBe(6);
    expect(moveTurnCursor([], null, 1)).toBeNull();
  });
});
