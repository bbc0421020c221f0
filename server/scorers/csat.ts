// Predicted customer satisfaction of a reply, learned from people's judgements: the case's
// conversation (history and the customer's message) with the candidate's reply as the agent's last
// turn, scored as a whole dialogue by the learned csat model of the case's language
// (server/learn/). Score (csat − 1) / 4, i.e. the model's probability; the reason names the
// strongest evidence. The models are the built-in ones (loaded from their files, so a worker thread
// loads them too) unless the options carry others: `evaluate` passes the ones
// `--scorer-model latest|builtin|ID` resolves to, as loaded models or as their JSON files.
import { z } from 'zod';
import { LANGUAGES, type Language } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { Scorer } from '../domain/eval.ts';
import { loadBuiltinModels } from '../learn/builtin-models.ts';
import { explainScore } from '../learn/dialogue-scorer.ts';
import { LearnedModel } from '../learn/learned-model.ts';
import { conversation } from './case-context.ts';
import { notApplicable, scoreResult } from './scorer-result.ts';

/** Pass at a predicted CSAT of 3 of 5 or better. */
export const CSAT_THRESHOLD = 0.5;

const PerLanguage = <T extends z.ZodType>(value: T) => z.strictObject(Object.fromEntries(LANGUAGES.map((l) => [l, value.optional()])) as Record<Language, z.ZodOptional<T>>);

export const CsatOptions = z.strictObject({
  threshold: z.number().min(0).max(1).default(CSAT_THRESHOLD),
  /** The csat model per language: a LearnedModel or its JSON file (e.g. `model.file`, as sent to a worker). Default: the built-in ones. */
  models: PerLanguage(z.unknown()).optional(),
  /** Where each model came from (`builtin` or a stored model's id), for the scorer's method. */
  sources: PerLanguage(z.string().min(1)).optional(),
});
export type CsatOptions = z.input<typeof CsatOptions>;

export function createCsatScorer(options: z.output<typeof CsatOptions>): Scorer {
  const models: Partial<Record<Language, LearnedModel>> = {};
  const sources: Partial<Record<Language, string>> = {};
  if (options.models === undefined) {
    const builtin = loadBuiltinModels();
    for (const l of LANGUAGES) {
      const m = builtin[l]?.csat;
      if (m) (models[l] = m), (sources[l] = 'builtin');
    }
  } else {
    for (const l of LANGUAGES) {
      const raw = options.models[l];
      if (raw === undefined) continue;
      models[l] = toModel(raw, l);
      sources[l] = options.sources?.[l] ?? 'given';
    }
  }
  const used = [...new Set(LANGUAGES.map((l) => sources[l]).filter((s) => s !== undefined))];
  return {
    name: 'csat',
    threshold: options.threshold,
    method: `learned:${used.length > 0 ? used.join('+') : 'none'}`,
    async score(input) {
      const language = input.case.language;
      const model = models[language];
      if (!model) return notApplicable(`no learned csat model for ${language}`);
      const reply = input.handoff ? `${input.reply}\n[[handoff:${input.handoff.queue}]]`.trim() : input.reply;
      const turns = [...conversation(input.case), { role: 'agent' as const, text: reply }];
      const e = explainScore(model, { language, turns }, 'satisfied');
      const csat = 1 + 4 * e.probability;
      return scoreResult(e.probability, options.threshold, `predicted CSAT ${csat.toFixed(1)}/5; ${e.reason}`);
    },
  };
}

function toModel(raw: unknown, language: Language): LearnedModel {
  let model: LearnedModel;
  try {
    model = raw instanceof LearnedModel ? raw : LearnedModel.fromJson(raw);
  } catch (error) {
    throw new AppError('validation', `bad options for scorer csat: models.${language} is not a learned model (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
  }
  if (model.target !== 'csat' || model.language !== language) {
    throw new AppError('validation', `bad options for scorer csat: models.${language} is a ${model.language} ${model.target} model`);
  }
  return model;
}
