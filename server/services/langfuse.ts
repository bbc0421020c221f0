// The `langfuse pull` use case: production traces from Langfuse become dialogues in the store through
// the ingest pipeline like any log (validated, PII redacted, deduplicated by id, bad records quarantined).
// Dialogue ids are `langfuse-<sessionId|traceId>`, so pulling the same window again adds nothing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { usageError } from '../domain/errors.ts';
import { ingestFiles, type IngestSummary } from '../ingest/ingest-service.ts';
import { LangfuseSource, type LangfuseConnection } from '../interop/langfuse-client.ts';
import { mapToDialogues, type LangfuseObservation } from '../interop/langfuse-mapping.ts';
import type { Database } from '../storage/database.ts';
import { refreshFcrEstimates } from './fcr-from-logs.ts';
import { getSettings } from './settings.ts';

export interface LangfusePullOptions {
  since?: string;
  until?: string;
  environment?: string;
  /** At most this many dialogues (the earliest first); the rest come with the next pull. */
  limit?: number;
  redact?: boolean;
  /** Observations per API page (default 100). */
  pageSize?: number;
  onProgress?: (progress: LangfusePullProgress) => void;
}

export type LangfusePullProgress =
  | { stage: 'fetch'; observations: number; pages: number }
  | { stage: 'scores'; traces: number; sessions: number }
  | { stage: 'ingest'; dialogues: number };

export interface LangfusePullSummary {
  observations: number;
  dialogues: number;
  /** Dialogues beyond --limit, left for the next pull. */
  skipped_by_limit: number;
  /** Generations with no user, assistant or tool text. */
  empty_generations: number;
  scores: number;
  ingest: IngestSummary;
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

export async function pullFromLangfuse(db: Database, connection: LangfuseConnection, options: LangfusePullOptions = {}): Promise<LangfusePullSummary> {
  const source = new LangfuseSource(connection);
  const observations: LangfuseObservation[] = [];
  let pages = 0;
  for await (const page of source.generations({ fromStartTime: options.since, toStartTime: options.until, environment: options.environment, pageSize: options.pageSize })) {
    observations.push(...page);
    pages++;
    options.onProgress?.({ stage: 'fetch', observations: observations.length, pages });
  }

  const traceIds = [...new Set(observations.map((o) => o.traceId).filter((t): t is string => Boolean(t)))];
  const sessionIds = [...new Set(observations.map((o) => o.sessionId).filter((s): s is string => Boolean(s)))];
  options.onProgress?.({ stage: 'scores', traces: traceIds.length, sessions: sessionIds.length });
  const scores = traceIds.length + sessionIds.length > 0 ? await source.scores(traceIds, sessionIds) : [];

  const mapped = mapToDialogues(observations, scores);
  const kept = options.limit !== undefined ? mapped.dialogues.slice(0, options.limit) : mapped.dialogues;
  options.onProgress?.({ stage: 'ingest', dialogues: kept.length });

  // Through the ingest pipeline as canonical JSONL, so validation, redaction, dedupe and quarantine are the same as for any log.
  const dir = await mkdtemp(join(tmpdir(), 'firstcall-langfuse-'));
  const file = join(dir, 'langfuse-pull.jsonl');
  try {
    await writeFile(file, kept.map((d) => JSON.stringify(d)).join('\n') + (kept.length > 0 ? '\n' : ''));
    const ingest = await ingestFiles(db, { paths: [file], format: 'jsonl', redact: options.redact ?? true });
    // Repeat contacts may span batches: FCR estimates are recomputed over the whole store (as `ingest` does).
    if (ingest.loaded > 0) await refreshFcrEstimates(db, (await getSettings(db)).fcr_window_days);
    return {
      observations: observations.length,
      dialogues: mapped.dialogues.length,
      skipped_by_limit: mapped.dialogues.length - kept.length,
      empty_generations: mapped.empty,
      scores: scores.length,
      ingest,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
