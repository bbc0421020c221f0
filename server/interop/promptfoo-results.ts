// promptfoo's results file (`promptfoo eval -o out.json`, results format version 3) as zod schemas,
// and its rows turned into firstcall results, one run per provider: named scores become scores
// (firstcall scorer names where they match, other metrics kept by name), with outputs, errors and
// latency. Pure: server/services/promptfoo.ts reads the file and stores the runs.
import { z } from 'zod';
import { parseReply } from '../domain/eval.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { ExportMetadata, FirstcallProviderConfig, ResponseMetadata } from './promptfoo-export.ts';

const Assertion = z.object({ type: z.string(), metric: z.string().optional(), threshold: z.number().optional() }).loose();

const ComponentResult = z
  .object({
    pass: z.boolean(),
    score: z.number(),
    reason: z.string().optional(),
    assertion: Assertion.nullish(),
    metadata: z.object({ na: z.boolean().optional() }).loose().nullish(),
  })
  .loose();

const TokenUsage = z.object({ prompt: z.number().optional(), completion: z.number().optional() }).loose();

/** One row of `results.results`: a test case run by one provider (with one prompt). */
export const PromptfooResultRow = z
  .object({
    provider: z.object({ id: z.string(), label: z.string().optional() }).loose(),
    testIdx: z.number().int().min(0),
    vars: z.record(z.string(), z.unknown()).default({}),
    response: z
      .object({
        output: z.unknown().optional(),
        error: z.string().nullish(),
        cached: z.boolean().optional(),
        tokenUsage: TokenUsage.nullish(),
        metadata: z.object({ firstcall: ResponseMetadata.optional() }).loose().nullish(),
      })
      .loose()
      .nullish(),
    error: z.string().nullish(),
    /** 0 none, 1 an assertion failed (then `error` holds its reason), 2 an error: the case could not be run. */
    failureReason: z.number().int().optional(),
    success: z.boolean(),
    score: z.number(),
    latencyMs: z.number().nullish(),
    namedScores: z.record(z.string(), z.number()).default({}),
    gradingResult: z.object({ pass: z.boolean(), componentResults: z.array(ComponentResult).nullish() }).loose().nullish(),
  })
  .loose();
export type PromptfooResultRow = z.infer<typeof PromptfooResultRow>;

const ProviderEntry = z.union([z.string(), z.object({ id: z.string().optional(), label: z.string().optional(), config: z.unknown().optional() }).loose()]);

/** The whole file as promptfoo 0.121 writes it (only the fields firstcall reads are checked). */
export const PromptfooResultsFile = z
  .object({
    evalId: z.string().min(1).nullish(),
    results: z
      .object({
        version: z.literal(3, { message: 'expected 3: firstcall reads the results format promptfoo writes with -o out.json (version 3)' }),
        timestamp: z.string().optional(),
        results: z.array(PromptfooResultRow),
      })
      .loose(),
    config: z.object({ providers: z.union([z.array(ProviderEntry), ProviderEntry]).optional(), metadata: z.object({ firstcall: z.unknown().optional() }).loose().optional() }).loose(),
    metadata: z.object({ promptfooVersion: z.string().optional() }).loose().optional(),
  })
  .loose();
export type PromptfooResultsFile = z.infer<typeof PromptfooResultsFile>;

/** `config.metadata.firstcall`: which suite the tests came from (written by `firstcall export promptfoo`). */
export function exportMetadataOf(file: PromptfooResultsFile): z.ZodSafeParseResult<ExportMetadata> {
  return ExportMetadata.safeParse(file.config.metadata?.firstcall);
}

/** The firstcall candidate of each provider label in the config (providers that are not firstcall's are absent). */
export function firstcallProviders(file: PromptfooResultsFile): Map<string, FirstcallProviderConfig> {
  const entries = file.config.providers === undefined ? [] : Array.isArray(file.config.providers) ? file.config.providers : [file.config.providers];
  const found = new Map<string, FirstcallProviderConfig>();
  for (const entry of entries) {
    if (typeof entry === 'string') continue;
    const config = FirstcallProviderConfig.safeParse(entry.config);
    if (config.success) found.set(entry.label ?? entry.id ?? config.data.candidate.spec.name, config.data);
  }
  return found;
}

/** A provider's key in the results: its label, as the config names it, else its id. */
export const providerKey = (row: PromptfooResultRow) => row.provider.label ?? row.provider.id;

/** A result as the runner stores it (StoredResult in server/storage). */
export type ImportedResult = CaseResult & { attempts: number; cached: boolean };

export interface ImportedScorer {
  name: string;
  threshold: number;
}

/**
 * The rows of one provider as firstcall results. A metric named like a known scorer (`FCR`, `fcr`)
 * takes the scorer's name; any other keeps its own. Scores come from the assertions' own results
 * (pass, reason, n/a), else from `namedScores`. Repeated rows of a case (`--repeat`) are trials.
 */
export function resultsOf(rows: readonly PromptfooResultRow[], known: ReadonlySet<string>): { results: ImportedResult[]; scorers: ImportedScorer[]; skipped: number } {
  const scorers = new Map<string, ImportedScorer>();
  const trials = new Map<string, number>();
  const results: ImportedResult[] = [];
  let skipped = 0;
  const nameOf = (metric: string) => {
    const normal = metric.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_');
    return known.has(normal) ? normal : metric;
  };
  for (const row of rows) {
    const caseId = row.vars.case_id;
    if (typeof caseId !== 'string') {
      skipped++;
      continue;
    }
    const trial = (trials.get(caseId) ?? 0) + 1;
    trials.set(caseId, trial);
    const meta = row.response?.metadata?.firstcall;
    // A failed assertion puts its reason in `error` too: only an error (failureReason 2) is a failed case.
    const error = row.response?.error ?? (row.failureReason === 2 ? (row.error ?? 'promptfoo error') : null);
    const rawOutput = row.response?.output;
    const output = error !== null && (rawOutput === undefined || rawOutput === null) ? null : typeof rawOutput === 'string' ? rawOutput : rawOutput === undefined || rawOutput === null ? null : JSON.stringify(rawOutput);
    let handoff: string | null = null;
    if (output !== null) {
      const parsed = parseReply(output);
      handoff = parsed.handoff?.queue ?? (textualHandoff(parsed.answer) ? 'human' : null);
    }
    const scores: ImportedResult['scores'] = {};
    for (const component of row.gradingResult?.componentResults ?? []) {
      const metric = component.assertion?.metric;
      if (!metric) continue;
      const name = nameOf(metric);
      scores[name] = { score: component.score, pass: component.pass, reason: component.reason ?? '', ...(component.metadata?.na === true ? { na: true } : {}) };
      if (!scorers.has(name)) scorers.set(name, { name, threshold: component.assertion?.threshold ?? 0 });
    }
    for (const [metric, score] of Object.entries(row.namedScores)) {
      const name = nameOf(metric);
      if (scores[name]) continue;
      scores[name] = { score, pass: row.success, reason: 'promptfoo named score' };
      if (!scorers.has(name)) scorers.set(name, { name, threshold: 0 });
    }
    const usage = meta?.usage ?? (row.response?.tokenUsage?.prompt !== undefined && row.response.tokenUsage.completion !== undefined ? { input_tokens: row.response.tokenUsage.prompt, output_tokens: row.response.tokenUsage.completion } : undefined);
    results.push({
      case_id: caseId,
      trial,
      output,
      handoff_queue: handoff,
      error,
      attempts: meta?.attempts ?? 1,
      latency_ms: meta?.latency_ms ?? row.latencyMs ?? null,
      input_tokens: usage?.input_tokens ?? null,
      output_tokens: usage?.output_tokens ?? null,
      cached: row.response?.cached ?? false,
      scores,
    });
  }
  return { results, scorers: [...scorers.values()], skipped };
}
