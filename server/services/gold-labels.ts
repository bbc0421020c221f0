// Gold labels, decided in one place: a dialogue's stored gold label (adjudicated or imported) when it
// has one, else the agreeing labels of `overlap` reviewers (settings). Suites, fine-tuning sets,
// exports, scorer fitting and monitoring all read gold labels through here.
import type { GoldLabel, Label } from '../domain/label.ts';
import type { Database } from '../storage/database.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { decideGold } from './agreement.ts';
import { getSettings } from './settings.ts';

/** Gold labels of every labeled dialogue, by dialogue id order. */
export async function goldLabels(db: Database): Promise<GoldLabel[]> {
  const { overlap } = await getSettings(db);
  const stored = new Map((await new GoldLabelRepository(db).all()).map((g) => [g.dialogue_id, g]));
  const byDialogue = new Map<string, Label[]>();
  for (const l of await new LabelRepository(db).submitted()) byDialogue.set(l.dialogue_id, [...(byDialogue.get(l.dialogue_id) ?? []), l]);
  const gold: GoldLabel[] = [];
  for (const id of new Set([...byDialogue.keys(), ...stored.keys()])) {
    const decided = decideGold(byDialogue.get(id) ?? [], overlap, stored.get(id));
    if (decided) gold.push(decided);
  }
  return gold.sort((a, b) => a.dialogue_id.localeCompare(b.dialogue_id));
}

/** Gold labels by dialogue id. */
export async function goldLabelsById(db: Database): Promise<Map<string, GoldLabel>> {
  return new Map((await goldLabels(db)).map((g) => [g.dialogue_id, g]));
}

/**
 * The gold label of one dialogue from its labels (every reviewer's; drafts are ignored), or null.
 * `reads`: where the stored gold label is read (e.g. the store read apart); settings come from `db`.
 */
export async function goldLabelOf(db: Database, dialogueId: string, labels: readonly Label[], reads: Database = db): Promise<GoldLabel | null> {
  const { overlap } = await getSettings(db);
  return decideGold(labels, overlap, await new GoldLabelRepository(reads).get(dialogueId));
}
