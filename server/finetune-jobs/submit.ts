// Uploads a fine-tuning set (train, optional validation) and starts a supervised fine-tuning job,
// on OpenAI or any OpenAI-compatible service that speaks the same files and jobs API.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import { createFineTuneClient, type FineTuneClient, type FineTuneClientOptions } from './client.ts';

const Knob = z.union([z.literal('auto'), z.number().positive()]);
export const FineTuneHyperparameters = z.object({
  n_epochs: z.union([z.literal('auto'), z.number().int().positive()]).optional(),
  batch_size: z.union([z.literal('auto'), z.number().int().positive()]).optional(),
  learning_rate_multiplier: Knob.optional(),
});
export type FineTuneHyperparameters = z.infer<typeof FineTuneHyperparameters>;

export interface SubmitFineTuneOptions extends FineTuneClientOptions {
  trainPath: string;
  valPath?: string;
  /** Base model, e.g. `gpt-4.1-mini-2025-04-14`. */
  model: string;
  /** Up to 64 characters, added to the fine-tuned model's name. */
  suffix?: string;
  hyperparameters?: FineTuneHyperparameters;
  seed?: number;
}

export interface SubmittedFineTune {
  job_id: string;
  status: string;
  training_file: string;
  validation_file: string | null;
  model: string;
}

export async function submitFineTune(options: SubmitFineTuneOptions): Promise<SubmittedFineTune> {
  if (!options.model.trim()) throw new AppError('usage', 'a base model is required');
  if (options.suffix !== undefined && options.suffix.length > 64) throw new AppError('usage', `the suffix is ${options.suffix.length} characters long; at most 64`);
  const hyperparameters = options.hyperparameters === undefined ? undefined : parseHyperparameters(options.hyperparameters);
  await mustExist(options.trainPath, 'training');
  if (options.valPath !== undefined) await mustExist(options.valPath, 'validation');

  const client = createFineTuneClient(options);
  const trainingFile = await upload(client, options.trainPath);
  const validationFile = options.valPath === undefined ? null : await upload(client, options.valPath);
  let job;
  try {
    job = await client.openai.fineTuning.jobs.create({
      model: options.model,
      training_file: trainingFile,
      ...(validationFile ? { validation_file: validationFile } : {}),
      ...(options.suffix ? { suffix: options.suffix } : {}),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      // `method` replaces the deprecated top-level `hyperparameters`.
      ...(hyperparameters ? { method: { type: 'supervised', supervised: { hyperparameters } } } : {}),
    });
  } catch (error) {
    throw client.fail(`creating the fine-tuning job on ${options.model}`, error);
  }
  return { job_id: job.id, status: job.status, training_file: trainingFile, validation_file: validationFile, model: job.model };
}

async function upload(client: FineTuneClient, path: string): Promise<string> {
  try {
    const file = await client.openai.files.create({ file: createReadStream(path), purpose: 'fine-tune' });
    return file.id;
  } catch (error) {
    throw client.fail(`uploading ${basename(path)}`, error);
  }
}

async function mustExist(path: string, what: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new AppError('usage', `cannot read the ${what} file ${path}`);
  }
}

function parseHyperparameters(input: unknown): FineTuneHyperparameters {
  const parsed = FineTuneHyperparameters.safeParse(input);
  if (!parsed.success) throw new AppError('usage', `hyperparameters: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
