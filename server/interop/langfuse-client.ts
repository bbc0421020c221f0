// The Langfuse public API through @langfuse/client (its generated API client: Basic auth with the
// public and secret key, retries on 408/429/5xx honouring Retry-After): generations by cursor pages
// (GET /api/public/v2/observations) and the scores on given traces and sessions (GET /api/public/v3/scores)
// in; scores (POST /api/public/scores), datasets and their items, and prompt versions out.
// Errors become AppErrors: rejected keys are `unauthorized`, a missing prompt `not_found`, the rest `provider`.
import { LangfuseClient } from '@langfuse/client';
import { AppError, usageError } from '../domain/errors.ts';
import { LangfuseObservation, LangfuseScore } from './langfuse-mapping.ts';

type Api = LangfuseClient['api'];
export type CreateScoreRequest = Parameters<Api['scores']['create']>[0];
export type CreateDatasetRequest = Parameters<Api['datasets']['create']>[0];
export type CreateDatasetItemRequest = Parameters<Api['datasetItems']['create']>[0];
export type CreatePromptRequest = Parameters<Api['prompts']['create']>[0];
export type LangfusePrompt = Awaited<ReturnType<Api['prompts']['get']>>;

export interface LangfuseConnection {
  publicKey: string;
  secretKey: string;
  baseUrl: string;
}

/** The connection from LANGFUSE_PUBLIC_KEY / LANGFUSE_SECRET_KEY / LANGFUSE_BASE_URL; a usage error names what is missing. */
export function langfuseConnectionFromEnv(env: NodeJS.ProcessEnv = process.env): LangfuseConnection {
  const publicKey = env.LANGFUSE_PUBLIC_KEY?.trim();
  const secretKey = env.LANGFUSE_SECRET_KEY?.trim();
  const baseUrl = (env.LANGFUSE_BASE_URL ?? env.LANGFUSE_BASEURL ?? 'https://cloud.langfuse.com').trim().replace(/\/+$/, '');
  const missing = [!publicKey && 'LANGFUSE_PUBLIC_KEY', !secretKey && 'LANGFUSE_SECRET_KEY'].filter(Boolean);
  if (missing.length > 0) throw usageError(`set ${missing.join(' and ')} (the project's API keys; LANGFUSE_BASE_URL for a self-hosted Langfuse)`);
  try {
    new URL(baseUrl);
  } catch {
    throw usageError(`LANGFUSE_BASE_URL is not a URL: ${baseUrl}`);
  }
  return { publicKey: publicKey!, secretKey: secretKey!, baseUrl };
}

export interface GenerationQuery {
  fromStartTime?: string;
  toStartTime?: string;
  environment?: string;
  /** Observations per page (the API allows up to 1000). */
  pageSize?: number;
}

/** Retries per request on 408, 429 and 5xx (the client waits what Retry-After asks, up to 60 s). */
export const MAX_RETRIES = 4;
const SCORE_FILTER_CHUNK = 50;

export class LangfuseSource {
  private readonly client: LangfuseClient;

  constructor(private readonly connection: LangfuseConnection) {
    this.client = new LangfuseClient({ publicKey: connection.publicKey, secretKey: connection.secretKey, baseUrl: connection.baseUrl });
  }

  /** Every GENERATION observation in the window, a page at a time. */
  async *generations(query: GenerationQuery): AsyncGenerator<LangfuseObservation[]> {
    let cursor: string | undefined;
    do {
      const page = await this.call('GET /api/public/v2/observations', () =>
        this.client.api.observations.getMany(
          {
            type: 'GENERATION',
            fields: 'core,basic,io',
            limit: query.pageSize ?? 100,
            ...(cursor ? { cursor } : {}),
            ...(query.fromStartTime ? { fromStartTime: query.fromStartTime } : {}),
            ...(query.toStartTime ? { toStartTime: query.toStartTime } : {}),
            ...(query.environment ? { environment: query.environment } : {}),
          },
          { maxRetries: MAX_RETRIES },
        ),
      );
      yield page.data.map((o, i) => parse(LangfuseObservation, o, `observation ${i} of a page`));
      cursor = page.meta.cursor || undefined;
    } while (cursor);
  }

  /** The scores attached to these traces and sessions (trace, observation and session subjects). */
  async scores(traceIds: readonly string[], sessionIds: readonly string[]): Promise<LangfuseScore[]> {
    const out: LangfuseScore[] = [];
    // traceId and sessionId are mutually exclusive filters: one pass each.
    for (const [filter, ids] of [['traceId', traceIds], ['sessionId', sessionIds]] as const) {
      for (let i = 0; i < ids.length; i += SCORE_FILTER_CHUNK) {
        let cursor: string | undefined;
        do {
          const page = await this.call('GET /api/public/v3/scores', () =>
            this.client.api.scoresV3.getManyV3({ [filter]: ids.slice(i, i + SCORE_FILTER_CHUNK).join(','), fields: 'subject', limit: 100, ...(cursor ? { cursor } : {}) }, { maxRetries: MAX_RETRIES }),
          );
          for (const s of page.data) {
            const parsed = LangfuseScore.safeParse(s);
            if (parsed.success) out.push(parsed.data); // a score of a type we do not read (e.g. CORRECTION) is skipped
          }
          cursor = page.meta.cursor || undefined;
        } while (cursor);
      }
    }
    return out;
  }

  /** Creates a score, or updates the one with the same `id` (POST /api/public/scores). */
  async createScore(score: CreateScoreRequest): Promise<string> {
    const created = await this.call('POST /api/public/scores', () => this.client.api.scores.create(score, { maxRetries: MAX_RETRIES }));
    return created.id;
  }

  /** Creates the dataset, or updates its description and metadata when one of that name exists (POST /api/public/v2/datasets). */
  async upsertDataset(dataset: CreateDatasetRequest): Promise<{ id: string; name: string }> {
    const created = await this.call('POST /api/public/v2/datasets', () => this.client.api.datasets.create(dataset, { maxRetries: MAX_RETRIES }));
    return { id: created.id, name: created.name };
  }

  /** Creates a dataset item, or updates the one with the same `id` (POST /api/public/dataset-items). */
  async upsertDatasetItem(item: CreateDatasetItemRequest): Promise<string> {
    const created = await this.call('POST /api/public/dataset-items', () => this.client.api.datasetItems.create(item, { maxRetries: MAX_RETRIES }));
    return created.id;
  }

  /** A prompt version by label (default production) or number (GET /api/public/v2/prompts/{name}); not_found when there is none. */
  async prompt(name: string, at: { label?: string; version?: number }): Promise<LangfusePrompt> {
    const what = `prompt ${name}${at.version !== undefined ? ` version ${at.version}` : ` labeled ${at.label ?? 'production'}`}`;
    try {
      return await this.client.api.prompts.get(name, at.version !== undefined ? { version: at.version } : { label: at.label ?? 'production' }, { maxRetries: MAX_RETRIES });
    } catch (error) {
      if (statusOf(error) === 404) throw new AppError('not_found', `Langfuse at ${this.connection.baseUrl} has no ${what}`, { cause: error });
      throw asAppError(error, `GET /api/public/v2/prompts (${what})`, this.connection.baseUrl);
    }
  }

  /** A new version of a prompt (POST /api/public/v2/prompts); its labels move to it from older versions. */
  async createPromptVersion(prompt: CreatePromptRequest): Promise<LangfusePrompt> {
    return this.call('POST /api/public/v2/prompts', () => this.client.api.prompts.create(prompt, { maxRetries: MAX_RETRIES }));
  }

  private async call<T>(what: string, request: () => PromiseLike<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw asAppError(error, what, this.connection.baseUrl);
    }
  }
}

function parse<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { message: string } } }, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new AppError('provider', `Langfuse sent an unexpected ${what}: ${result.error.message}`);
  return result.data;
}

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error ? (error as { statusCode?: number }).statusCode : undefined;
}

/** A client error as an AppError whose message names the endpoint and status, never a key. */
export function asAppError(error: unknown, what: string, baseUrl: string): AppError {
  if (AppError.isInstance(error)) return error;
  const status = statusOf(error);
  const body = typeof error === 'object' && error !== null && 'body' in error ? (error as { body?: unknown }).body : undefined;
  const said = body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string' ? `: ${(body as { message: string }).message}` : '';
  if (status === 401 || status === 403) {
    return new AppError(
      'unauthorized',
      `Langfuse at ${baseUrl} rejected the keys (${status}${said}); check LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY and LANGFUSE_BASE_URL.`,
    );
  }
  const detail = status !== undefined ? `HTTP ${status}${said}` : error instanceof Error ? error.message : String(error);
  return new AppError('provider', `Langfuse ${what} at ${baseUrl} failed: ${detail}`, { cause: error });
}
