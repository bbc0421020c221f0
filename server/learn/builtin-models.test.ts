// The shipped built-in models: they load, they are small, their cards tell the truth, and they agree
// with the STC-3 annotators on dialogues they were not trained on (read from ../shared/data).
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { rocAuc } from '../metrics/roc-auc.ts';
import { BUILTIN_DIR, loadBuiltinModels } from './builtin-models.ts';
import { RECIPES } from './fit-stc3.ts';
import { splitById } from './holdout-split.ts';
import { hashJudgedDialogues, readStc3File, STC3_FILES } from './stc3-dataset.ts';

const DATA = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/stc3-helpdesk');

describe('built-in learned models', () => {
  const models = loadBuiltinModels();

  it('ships fcr, csat and tone for zh and en in under 1.5 MB, each with licence and held-out figures', () => {
    const files = readdirSync(BUILTIN_DIR).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['en-csat.json', 'en-fcr.json', 'en-tone.json', 'zh-csat.json', 'zh-fcr.json', 'zh-tone.json']);
    const bytes = files.reduce((sum, f) => sum + statSync(join(BUILTIN_DIR, f)).size, 0);
    expect(bytes).toBeLessThan(1.5 * 1024 * 1024);
    for (const language of ['zh', 'en'] as const) {
      for (const target of ['fcr', 'csat', 'tone'] as const) {
        const m = models[language]![target]!;
        expect(m.language).toBe(language);
        expect(m.target).toBe(target);
        expect(m.file.card.licence).toMatch(/CC BY 4\.0/);
        expect(m.file.card.held_out.dialogues).toBeGreaterThan(100);
        expect(m.file.top_features.length).toBeGreaterThan(0);
      }
    }
  });

  for (const language of ['zh', 'en'] as const) {
    it(`agrees with the annotators on held-out ${language} STC-3 dialogues (AUC > 0.75), as its card says`, () => {
      const { train, heldOut } = splitById(readStc3File(join(DATA, STC3_FILES[language]), language));
      const sample = heldOut.slice(0, 150);
      for (const target of ['fcr', 'csat'] as const) {
        const model = models[language]![target]!;
        // Trained on exactly the training part this test leaves out.
        expect(model.file.card.data.sha256).toBe(hashJudgedDialogues(train));
        const auc = rocAuc(sample.map((d) => model.score(d).logit), sample.map(RECIPES[target].positive));
        expect(auc).toBeGreaterThan(0.75);
        const cardAuc = rocAuc(heldOut.map((d) => model.score(d).logit), heldOut.map(RECIPES[target].positive))!;
        expect(cardAuc).toBeCloseTo(model.file.card.held_out.auc!, 4);
      }
    });
  }
});
