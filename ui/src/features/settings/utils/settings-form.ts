// The settings form's text fields to the settings they mean, checked with the shared schemas: an
// empty box is missing (not 0), and labeling and gate problems are told apart.
import { GateSettings, LabelingSettings, type Settings } from '../../../lib/contract.ts';

export interface SettingsDraft {
  overlap: string;
  fcr_window_days: string;
  gate_min_kappa: string;
  gate_min_auc: string;
  gate_min_labels: string;
  gate_untrusted: boolean;
}

export function draftOf(settings: Settings): SettingsDraft {
  return {
    overlap: String(settings.overlap),
    fcr_window_days: String(settings.fcr_window_days),
    gate_min_kappa: String(settings.gate_min_kappa),
    gate_min_auc: String(settings.gate_min_auc),
    gate_min_labels: String(settings.gate_min_labels),
    gate_untrusted: settings.gate_untrusted,
  };
}

const numberOf = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

export type DraftCheck = { ok: true; settings: Settings } | { ok: false; labeling: boolean; gates: boolean };

export function checkDraft(draft: SettingsDraft): DraftCheck {
  const labeling = LabelingSettings.safeParse({ overlap: numberOf(draft.overlap), fcr_window_days: numberOf(draft.fcr_window_days) });
  const gates = GateSettings.safeParse({
    gate_min_kappa: numberOf(draft.gate_min_kappa),
    gate_min_auc: numberOf(draft.gate_min_auc),
    gate_min_labels: numberOf(draft.gate_min_labels),
    gate_untrusted: draft.gate_untrusted,
  });
  if (labeling.success && gates.success) return { ok: true, settings: { ...labeling.data, ...gates.data } };
  return { ok: false, labeling: !labeling.success, gates: !gates.success };
}
