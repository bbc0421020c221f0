// A store's settings, the HTTP contract of /api/settings shared by server, CLI and UI: labeling
// (reviewers per dialogue, the FCR repeat-contact window) and when a scorer is trusted to gate. No I/O.
import { z } from 'zod';

export const LabelingSettings = z.object({
  /** How many reviewers label each dialogue. */
  overlap: z.number().int().min(1).max(10),
  /** FCR-from-logs repeat-contact window. */
  fcr_window_days: z.number().int().min(1).max(90),
});
export type LabelingSettings = z.infer<typeof LabelingSettings>;

const KAPPA = "Cohen's kappa, from −1 to 1";
const AUC = 'an AUC, from 0.5 (chance) to 1';

/**
 * When a scorer may gate (`eval --fail-under`, `--max-regression`, promotion): its agreement with
 * this store's gold labels reaches gate_min_kappa (Cohen's kappa) or gate_min_auc, on at least
 * gate_min_labels labeled cases. gate_untrusted gates on every scorer anyway.
 */
export const GateSettings = z.object({
  gate_min_kappa: z.number().min(-1, KAPPA).max(1, KAPPA),
  gate_min_auc: z.number().min(0.5, AUC).max(1, AUC),
  gate_min_labels: z.number().int('a whole number of labels').min(0, 'a number of labels, 0 or more').max(1_000_000, 'at most 1,000,000 labels'),
  gate_untrusted: z.boolean(),
});
export type GateSettings = z.infer<typeof GateSettings>;

export const DEFAULT_GATE_SETTINGS: GateSettings = Object.freeze({ gate_min_kappa: 0.4, gate_min_auc: 0.8, gate_min_labels: 30, gate_untrusted: false });

/** GET /api/settings, and what PUT answers. */
export const Settings = LabelingSettings.extend(GateSettings.shape);
export type Settings = z.infer<typeof Settings>;

/** PUT /api/settings (admin): any of the fields; the ones left out keep their value. Unknown fields are refused. */
export const SettingsUpdate = z.strictObject(Settings.partial().shape);
export type SettingsUpdate = z.infer<typeof SettingsUpdate>;
