// Reads fine-tuning jobs back: one job with its latest events, or the most recent jobs.
import type { FineTuningJob } from 'openai/resources/fine-tuning/jobs/jobs';
import { AppError } from '../domain/errors.ts';
import { createFineTuneClient, type FineTuneClientOptions } from './client.ts';

export interface FineTuneEvent {
  created_at: number;
  level: string;
  message: string;
}

export interface FineTuneJobSummary {
  id: string;
  status: string;
  model: string;
  fine_tuned_model: string | null;
  trained_tokens: number | null;
  /** The server's explanation when the job failed. */
  error: { code: string; message: string; param: string | null } | null;
  /** Unix seconds, as the API gives them. */
  created_at: number;
  finished_at: number | null;
}

export interface FineTuneStatus extends FineTuneJobSummary {
  /** The latest events, oldest first. */
  events: FineTuneEvent[];
}

/** Statuses after which a job will not change again. */
export const FINISHED_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;

export async function getFineTuneStatus(options: FineTuneClientOptions & { jobId: string; events?: number }): Promise<FineTuneStatus> {
  if (!options.jobId.trim()) throw new AppError('usage', 'a job id is required');
  const client = createFineTuneClient(options);
  try {
    const job = await client.openai.fineTuning.jobs.retrieve(options.jobId);
    const page = await client.openai.fineTuning.jobs.listEvents(options.jobId, { limit: options.events ?? 10 });
    // The API lists events newest first; a log reads better oldest first.
    const events = [...page.data].reverse().map((e) => ({ created_at: e.created_at, level: e.level, message: e.message }));
    return { ...summarize(job), events };
  } catch (error) {
    throw client.fail(`reading fine-tuning job ${options.jobId}`, error);
  }
}

export async function listFineTunes(options: FineTuneClientOptions & { limit?: number } = {}): Promise<FineTuneJobSummary[]> {
  const client = createFineTuneClient(options);
  try {
    const page = await client.openai.fineTuning.jobs.list({ limit: options.limit ?? 10 });
    return page.data.map(summarize);
  } catch (error) {
    throw client.fail('listing fine-tuning jobs', error);
  }
}

function summarize(job: FineTuningJob): FineTuneJobSummary {
  const error = job.error && (job.error.code || job.error.message) ? { code: job.error.code, message: job.error.message, param: job.error.param ?? null } : null;
  return {
    id: job.id,
    status: job.status,
    model: job.model,
    fine_tuned_model: job.fine_tuned_model ?? null,
    trained_tokens: job.trained_tokens ?? null,
    error,
    created_at: job.created_at,
    finished_at: job.finished_at ?? null,
  };
}
