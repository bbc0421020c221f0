// The built-in learned models shipped in server/learn/builtin/ (trained by `npm run train:builtin`
// on STC-3), for teams with no labels of their own yet.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LANGUAGES } from '../domain/dialogue.ts';
import type { LearnedModels } from './dialogue-scorer.ts';
import { LEARNED_TARGETS, LearnedModel, type LearnedTarget } from './learned-model.ts';
import type { Language } from '../domain/dialogue.ts';

export const BUILTIN_DIR = fileURLToPath(new URL('./builtin/', import.meta.url));

export function builtinModelFile(language: Language, target: LearnedTarget): string {
  return `${language}-${target}.json`;
}

let cached: LearnedModels | null = null;

/** Every built-in model present on disk, loaded once and validated. */
export function loadBuiltinModels(dir: string = BUILTIN_DIR): LearnedModels {
  if (dir === BUILTIN_DIR && cached !== null) return cached;
  const models: LearnedModels = {};
  for (const language of LANGUAGES) {
    for (const target of LEARNED_TARGETS) {
      const path = `${dir}/${builtinModelFile(language, target)}`;
      if (!existsSync(path)) continue;
      (models[language] ??= {})[target] = LearnedModel.fromJson(JSON.parse(readFileSync(path, 'utf8')));
    }
  }
  if (dir === BUILTIN_DIR) cached = models;
  return models;
}
