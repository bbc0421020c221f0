// The labeling keyboard scheme as a pure function: a key press (and any pending prefix) in, an
// action out. The hook that listens to the window and the cheat sheet both come from here.
import { TURN_FLAGS, type AccuracyValue, type FcrValue, type ToneTag } from '../../../lib/contract.ts';

export type TurnFlagKind = (typeof TURN_FLAGS)[number];
export type FocusTarget = 'intent' | 'reference' | 'facts' | 'notes';

export type ShortcutAction =
  | { type: 'focus'; target: FocusTarget }
  | { type: 'fcr'; value: FcrValue }
  | { type: 'accuracy'; value: AccuracyValue }
  | { type: 'tone'; value: number }
  | { type: 'csat'; value: number }
  | { type: 'toneTag'; tag: ToneTag }
  | { type: 'toggleEscalationNeeded' }
  | { type: 'toggleEscalated' }
  | { type: 'moveTurn'; delta: 1 | -1 }
  | { type: 'flag'; flag: TurnFlagKind }
  | { type: 'useSuggestion' }
  | { type: 'submit' }
  | { type: 'skip' }
  | { type: 'saveDraft' }
  | { type: 'toggleCheatSheet' }
  | { type: 'toggleGuidelines' }
  | { type: 'leaveField' }
  | { type: 'cancel' };

/** A prefix key waits for a second key: `t` then a tone-tag letter, `g` then a flag digit, `v` then a CSAT digit. */
export type Pending = 'toneTag' | 'flag' | 'csat' | null;

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focus is in a text field (input, textarea, select, contenteditable). */
  inTextField: boolean;
  /** An IME composition is in progress (Chinese input): never a shortcut. */
  isComposing?: boolean;
}

export interface ShortcutResult {
  action: ShortcutAction | null;
  pending: Pending;
  /** The key was consumed (prevent the browser's default and other handlers). */
  handled: boolean;
}

export const FCR_KEYS: Record<string, FcrValue> = { y: 'yes', n: 'no', u: 'unclear' };
export const ACCURACY_KEYS: Record<string, AccuracyValue> = { c: 'correct', p: 'partial', i: 'incorrect' };
/** Second key after `t`. */
export const TONE_TAG_KEYS: Record<string, ToneTag> = {
  e: 'empathetic',
  p: 'polite',
  f: 'professional',
  r: 'robotic',
  c: 'curt',
  u: 'rude',
  b: 'blaming',
};
/** Second key after `g`: digits in the order of TURN_FLAGS. */
export const FLAG_KEYS: Record<string, TurnFlagKind> = Object.fromEntries(TURN_FLAGS.map((flag, i) => [String(i + 1), flag]));

const FOCUS_KEYS: Record<string, FocusTarget> = { '/': 'intent', r: 'reference', f: 'facts', m: 'notes' };

const NONE: ShortcutResult = { action: null, pending: null, handled: false };
const act = (action: ShortcutAction, pending: Pending = null): ShortcutResult => ({ action, pending, handled: true });

export function resolveShortcut(input: KeyInput, pending: Pending): ShortcutResult {
  const { key, inTextField } = input;
  if (input.isComposing || key === 'Process') return { ...NONE, pending };
  const command = Boolean(input.ctrlKey || input.metaKey);

  // These work everywhere, even while typing.
  if (command && !input.altKey && (key === 's' || key === 'S')) return act({ type: 'saveDraft' });
  if (command && !input.altKey && key === 'Enter') return act({ type: 'submit' });
  if (inTextField) return key === 'Escape' ? act({ type: 'leaveField' }) : NONE;
  if (command || input.altKey) return NONE; // leave browser shortcuts alone

  if (pending === 'toneTag') {
    const tag = TONE_TAG_KEYS[key.toLowerCase()];
    return tag ? act({ type: 'toneTag', tag }) : act({ type: 'cancel' });
  }
  if (pending === 'csat') {
    // The same 1–5 digits as tone, after `v` (the customer's voice: predicted satisfaction).
    return /^[1-5]$/.test(key) ? act({ type: 'csat', value: Number(key) }) : act({ type: 'cancel' });
  }
  if (pending === 'flag') {
    const flag = FLAG_KEYS[key];
    return flag ? act({ type: 'flag', flag }) : act({ type: 'cancel' });
  }

  if (key === 'Escape') return act({ type: 'cancel' });
  if (key === 'Enter') return act({ type: 'submit' });
  if (key === '?') return act({ type: 'toggleCheatSheet' });
  if (/^[1-5]$/.test(key)) return act({ type: 'tone', value: Number(key) });

  const focus = FOCUS_KEYS[key];
  if (focus) return act({ type: 'focus', target: focus });
  const fcr = FCR_KEYS[key];
  if (fcr) return act({ type: 'fcr', value: fcr });
  const accuracy = ACCURACY_KEYS[key];
  if (accuracy) return act({ type: 'accuracy', value: accuracy });

  switch (key) {
    case 't':
      return { action: null, pending: 'toneTag', handled: true };
    case 'g':
      return { action: null, pending: 'flag', handled: true };
    case 'v':
      return { action: null, pending: 'csat', handled: true };
    case 'e':
      return act({ type: 'toggleEscalationNeeded' });
    case 'x':
      return act({ type: 'toggleEscalated' });
    case 'j':
      return act({ type: 'moveTurn', delta: 1 });
    case 'k':
      return act({ type: 'moveTurn', delta: -1 });
    case 'a':
      return act({ type: 'useSuggestion' });
    case 's':
      return act({ type: 'skip' });
    case 'h':
      return act({ type: 'toggleGuidelines' });
    default:
      return NONE;
  }
}

/** Where focus sits decides whether letters are text or commands. */
export function isTextField(element: { tagName?: string; type?: string; isContentEditable?: boolean } | null | undefined): boolean {
  if (!element?.tagName) return false;
  const tag = element.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (element.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (element.type ?? 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image'].includes(type);
}

/** `null` -> yes -> no -> yes: the e and x toggles. */
export function toggleYesNo(value: 'yes' | 'no' | null): 'yes' | 'no' {
  return value === 'yes' ? 'no' : 'yes';
}

/** The next agent turn from `cursor` in direction `delta` (staying put at the ends). */
export function moveTurnCursor(agentTurns: readonly number[], cursor: number | null, delta: 1 | -1): number | null {
  if (agentTurns.length === 0) return null;
  if (cursor === null) return delta === 1 ? agentTurns[0]! : agentTurns[agentTurns.length - 1]!;
  const index = agentTurns.indexOf(cursor);
  if (index === -1) return agentTurns.find((seq) => (delta === 1 ? seq > cursor : seq < cursor)) ?? agentTurns[0]!;
  const next = Math.min(agentTurns.length - 1, Math.max(0, index + delta));
  return agentTurns[next]!;
}

/** The cheat sheet (and ui/SHORTCUTS.md): every binding, grouped, with its i18n description key. */
export const SHORTCUT_HELP = [
  { group: 'label', keys: ['/'], text: 'keys.intent' },
  { group: 'label', keys: ['y', 'n', 'u'], text: 'keys.fcr' },
  { group: 'label', keys: ['a'], text: 'keys.useSuggestion' },
  { group: 'label', keys: ['c', 'p', 'i'], text: 'keys.accuracy' },
  { group: 'label', keys: ['1', '2', '3', '4', '5'], text: 'keys.tone' },
  { group: 'label', keys: ['t', ...Object.keys(TONE_TAG_KEYS)], text: 'keys.toneTag' },
  { group: 'label', keys: ['v', '1', '2', '3', '4', '5'], text: 'keys.csat' },
  { group: 'label', keys: ['e'], text: 'keys.escalationNeeded' },
  { group: 'label', keys: ['x'], text: 'keys.escalated' },
  { group: 'label', keys: ['r'], text: 'keys.reference' },
  { group: 'label', keys: ['f'], text: 'keys.facts' },
  { group: 'label', keys: ['m'], text: 'keys.notes' },
  { group: 'turns', keys: ['j', 'k'], text: 'keys.moveTurn' },
  { group: 'turns', keys: ['g', ...Object.keys(FLAG_KEYS)], text: 'keys.flag' },
  { group: 'queue', keys: ['Enter'], text: 'keys.submit' },
  { group: 'queue', keys: ['Ctrl+Enter'], text: 'keys.submitAnywhere' },
  { group: 'queue', keys: ['s'], text: 'keys.skip' },
  { group: 'queue', keys: ['Ctrl+S'], text: 'keys.saveDraft' },
  { group: 'general', keys: ['Esc'], text: 'keys.escape' },
  { group: 'general', keys: ['h'], text: 'keys.guidelines' },
  { group: 'general', keys: ['?'], text: 'keys.cheatSheet' },
] as const;
