// npm run train:builtin [-- --data ../shared/data/stc3-helpdesk --out server/learn/builtin]
// Trains the built-in learned scorers (fcr, csat, tone × zh, en) on the training part of STC-3 and
// writes them, with their cards and held-out figures, to server/learn/builtin/. Deterministic: the
// split hashes dialogue ids and L-BFGS has no randomness, so the same data gives the same files.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LANGUAGES } from '../server/domain/dialogue.ts';
import { BUILTIN_DIR, builtinModelFile } from '../server/learn/builtin-models.ts';
import { DEFAULT_FIT_OPTIONS, fitStc3Model, RECIPES } from '../server/learn/fit-stc3.ts';
import { splitById } from '../server/learn/holdout-split.ts';
import { LEARNED_TARGETS, serialiseModel } from '../server/learn/learned-model.ts';
import { readStc3File, STC3_FILES } from '../server/learn/stc3-dataset.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    data: { type: 'string', default: resolve(root, '../shared/data/stc3-helpdesk') },
    out: { type: 'string', default: BUILTIN_DIR },
    'max-weights': { type: 'string', default: String(DEFAULT_FIT_OPTIONS.maxWeights) },
  },
});
const maxWeights = Number(values['max-weights']);
mkdirSync(values.out, { recursive: true });

const started = performance.now();
let totalBytes = 0;
console.log('language target  held-out  AUC     rho     (baseline AUC / rho)   weights  KB   seconds');
for (const language of LANGUAGES) {
  const dialogues = readStc3File(join(values.data, STC3_FILES[language]), language);
  const { train, heldOut } = splitById(dialogues, DEFAULT_FIT_OPTIONS.heldOutShare, DEFAULT_FIT_OPTIONS.salt);
  for (const target of LEARNED_TARGETS) {
    const t = performance.now();
    const { model } = fitStc3Model(language, RECIPES[target], train, heldOut, { maxWeights });
    const path = join(values.out, builtinModelFile(language, target));
    writeFileSync(path, serialiseModel(model.file));
    const bytes = statSync(path).size;
    totalBytes += bytes;
    const h = model.file.card.held_out;
    const f = (x: number | null | undefined) => (x == null ? '  –  ' : x.toFixed(3));
    console.log(
      `${language.padEnd(8)} ${target.padEnd(7)} ${String(h.dialogues).padStart(8)}  ${f(h.auc)}   ${f(h.spearman)}   (${f(h.baseline?.auc)} / ${f(h.baseline?.spearman)})      ${String(model.file.card.trainer.kept_weights).padStart(6)}  ${(bytes / 1024).toFixed(0).padStart(4)}  ${((performance.now() - t) / 1000).toFixed(1)}`,
    );
  }
}
console.log(`wrote ${LANGUAGES.length * LEARNED_TARGETS.length} models, ${(totalBytes / 1024).toFixed(0)} KB in all, to ${values.out} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
