import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_SETTINGS } from '../../../lib/contract.ts';
import { checkDraft, draftOf } from './settings-form.ts';

const settings = { overlap: 2, fcr_window_days: 7, ...DEFAULT_GATE_SETTINGS };

describe('the settings form', () => {
  it('gives back the settings it was filled from', () => {
    expect(checkDraft(draftOf(settings))).toEqual({ ok: true, settings });
    expect(checkDraft({ ...draftOf(settings), gate_min_kappa: '-0.2', gate_untrusted: true })).toEqual({ ok: true, settings: { ...settings, gate_min_kappa: -0.2, gate_untrusted: true } });
  });

  it('says which group is wrong: κ outside −1..1, AUC below chance, labels not a whole number', () => {
    for (const bad of [{ gate_min_kappa: '1.5' }, { gate_min_kappa: '-1.1' }, { gate_min_auc: '0.4' }, { gate_min_auc: '1.01' }, { gate_min_labels: '2.5' }, { gate_min_labels: '-1' }]) {
      expect(checkDraft({ ...draftOf(settings), ...bad })).toEqual({ ok: false, labeling: false, gates: true });
    }
    expect(checkDraft({ ...draftOf(settings), overlap: '11' })).toEqual({ ok: false, labeling: true, gates: false });
  });

  it('takes an empty box as missing, not as 0', () => {
    expect(checkDraft({ ...draftOf(settings), gate_min_labels: '' })).toMatchObject({ ok: false, gates: true });
    expect(checkDraft({ ...draftOf(settings), gate_min_kappa: ' ' })).toMatchObject({ ok: false, gates: true });
    expect(checkDraft({ ...draftOf(settings), gate_min_labels: '0' })).toMatchObject({ ok: true });
  });
});
