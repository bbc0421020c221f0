// What the folder `firstcall export promptfoo` writes runs inside promptfoo's process (through tsx,
// from provider.mjs and assertions.mjs): each case is answered by firstcall's provider registry, with
// the prompt rendered by renderMessages exactly as `firstcall eval` renders it, and each reply is
// scored by firstcall's scorer registry, so promptfoo's numbers are firstcall's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { renderMessages } from '../candidates/render-prompt.ts';
import { AppError } from '../domain/errors.ts';
import { parseReply, type Provider, type Scorer, type SuiteCase, type TokenUsage } from '../domain/eval.ts';
import { buildKnowledgeBase, createLocalKbProvider, type KbEntry } from '../providers/local-kb.ts';
import { actsOffRecord, canActInEval, resolveProvider } from '../providers/registry.ts';
import { CallFailedError, withRetry } from '../providers/retry.ts';
import { SCORERS } from '../scorers/registry.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { actionsTaken, withHandoff } from '../tools/actions.ts';
import { ExportedCases, FirstcallProviderConfig, KNOWLEDGE_BASE_FILE, CASES_FILE, ResponseMetadata } from '../interop/promptfoo-export.ts';

/** What a promptfoo provider returns (ProviderResponse, the fields used). */
export interface PromptfooProviderResponse {
  output?: string;
  error?: string;
  tokenUsage?: { prompt: number; completion: number; total: number; numRequests: number };
  metadata?: { firstcall: ResponseMetadata };
}

/** What a promptfoo javascript assertion returns (GradingResult). */
export interface PromptfooGradingResult {
  pass: boolean;
  score: number;
  reason: string;
  metadata: { firstcall_scorer: string; na: boolean };
}

/** The part of promptfoo's assertion context that is read. */
const AssertionContext = z.object({
  vars: z.record(z.string(), z.unknown()).optional(),
  providerResponse: z.object({ latencyMs: z.number().optional(), tokenUsage: z.object({ prompt: z.number().optional(), completion: z.number().optional() }).partial().optional() }).partial().nullish(),
  metadata: z.object({ firstcall: ResponseMetadata.optional() }).loose().nullish(),
});

/** The provider's id from promptfoo's context: a provider is a class instance whose id() is a method. */
function providerIdOf(context: unknown): string {
  const provider = (context as { provider?: { id?: unknown } } | null)?.provider;
  const id = typeof provider?.id === 'function' ? (provider.id as () => unknown).call(provider) : provider?.id;
  return typeof id === 'string' && id !== '' ? id : 'unknown:unknown';
}

const KbEntries = z.array(
  z.object({
    id: z.string(),
    language: z.enum(['zh', 'en']),
    intent: z.string().optional(),
    question: z.string(),
    answer: z.string(),
    reply: z.custom<KbEntry['reply']>((v) => v === undefined || (typeof v === 'object' && v !== null && Array.isArray((v as { sentences?: unknown }).sentences))).optional(),
  }),
);

/** An exported folder opened in promptfoo's process: its cases, and providers and scorers built once. */
export class PromptfooExport {
  private cases?: Map<string, SuiteCase>;
  private localKb?: Provider;
  private readonly providers = new Map<string, Provider>();
  private readonly scorers = new Map<string, Scorer>();

  constructor(readonly dir: string) {}

  /** Answers one case with the candidate in a provider's config (promptfoo's callApi). */
  async callProvider(rawConfig: unknown, vars: Record<string, unknown>, signal?: AbortSignal): Promise<PromptfooProviderResponse> {
    const parsed = FirstcallProviderConfig.safeParse(rawConfig);
    if (!parsed.success) return { error: `firstcall provider config: ${issues(parsed.error)}` };
    const config = parsed.data;
    const candidate = config.candidate;
    let c: SuiteCase;
    let provider: Provider;
    try {
      c = this.caseFor(vars);
      provider = this.providerFor(candidate.spec.model, candidate.hash);
    } catch (error) {
      return { error: message(error) };
    }
    // As server/eval/run-eval.ts runs a case: the same messages, retries and timeout, latency from the first attempt.
    const messages = renderMessages(candidate.template, c);
    const started = performance.now();
    try {
      const { value, attempts } = await withRetry(
        (attemptSignal) => provider.generate({ messages, params: candidate.spec.params, case: c, template: candidate.template, signal: signal ? AbortSignal.any([signal, attemptSignal]) : attemptSignal }),
        { retries: config.retries, timeoutMs: config.timeout_ms },
      );
      const latency = value.cached?.latency_ms ?? performance.now() - started;
      const usage = value.usage;
      return {
        output: value.text,
        ...(usage ? { tokenUsage: { prompt: usage.input_tokens, completion: usage.output_tokens, total: usage.input_tokens + usage.output_tokens, numRequests: attempts } } : {}),
        metadata: {
          firstcall: {
            case_id: c.case_id,
            model: candidate.spec.model,
            candidate_hash: candidate.hash,
            latency_ms: latency,
            attempts,
            ...(usage ? { usage } : {}),
            ...(actsOffRecord(candidate.spec.model) ? {} : { acted: actionsTaken(value.tool_calls, null) }),
          },
        },
      };
    } catch (error) {
      const attempts = error instanceof CallFailedError ? error.attempts : 1;
      const cause = error instanceof CallFailedError ? error.cause : error;
      return { error: `${message(cause)} (after ${attempts} attempt${attempts === 1 ? '' : 's'})` };
    }
  }

  /**
   * Scores one reply with a firstcall scorer (promptfoo's javascript assertion). The reply is read as
   * run-eval reads it (hand-off marker, or a hand-off in words); latency, usage and model come from
   * the firstcall provider's metadata, or from promptfoo's response for any other provider.
   */
  async score(name: string, output: unknown, rawContext: unknown): Promise<PromptfooGradingResult> {
    const context = AssertionContext.parse(rawContext ?? {});
    const c = this.caseFor(context.vars ?? {});
    const scorer = this.scorerFor(name);
    const text = typeof output === 'string' ? output : JSON.stringify(output ?? '');
    const parsed = parseReply(text);
    const handoff = parsed.handoff ?? (textualHandoff(parsed.answer) ? { queue: 'human' } : null);
    const meta = context.metadata?.firstcall;
    const promptfooUsage = context.providerResponse?.tokenUsage;
    const usage: TokenUsage | undefined =
      meta?.usage ?? (promptfooUsage?.prompt !== undefined && promptfooUsage.completion !== undefined ? { input_tokens: promptfooUsage.prompt, output_tokens: promptfooUsage.completion } : undefined);
    const result = await scorer.score({
      case: c,
      reply: parsed.answer,
      // The marker only, as run-eval gives it: the scorers read a hand-off in words themselves.
      handoff: parsed.handoff,
      latency_ms: meta?.latency_ms ?? context.providerResponse?.latencyMs ?? 0,
      ...(usage ? { usage } : {}),
      model: meta?.model ?? providerIdOf(rawContext),
      // Known for firstcall's providers only: another provider's tool calls are not in its output, nor what tools promptfoo gave it.
      ...(meta?.acted ? { actions: withHandoff(meta.acted, handoff) } : {}),
      ...(meta === undefined ? {} : canActInEval(meta.model)),
    });
    return { pass: result.pass, score: result.score, reason: result.reason, metadata: { firstcall_scorer: name, na: result.na === true } };
  }

  private caseFor(vars: Record<string, unknown>): SuiteCase {
    const id = vars.case_id;
    if (typeof id !== 'string') throw new AppError('usage', 'this test has no case_id var: firstcall scores only the cases of the exported suite');
    this.cases ??= new Map(this.readJson(CASES_FILE, ExportedCases).cases.map((c) => [c.case_id, c]));
    const found = this.cases.get(id);
    if (!found) throw new AppError('usage', `case ${id} is not in ${CASES_FILE}`);
    return found;
  }

  private providerFor(model: string, hash: string): Provider {
    let provider = this.providers.get(hash);
    if (!provider) {
      if (model === 'local:kb') this.localKb ??= createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(this.readJson(KNOWLEDGE_BASE_FILE, KbEntries) as KbEntry[]) });
      provider = resolveProvider(model, this.localKb ? { localKb: this.localKb } : {});
      this.providers.set(hash, provider);
    }
    return provider;
  }

  private scorerFor(name: string): Scorer {
    let scorer = this.scorers.get(name);
    if (!scorer) this.scorers.set(name, (scorer = SCORERS.create([name])[0]!));
    return scorer;
  }

  private readJson<S extends z.ZodType>(file: string, schema: S): z.output<S> {
    const path = join(this.dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      throw new AppError('usage', `cannot read ${path}: ${message(error)} (export the suite again with firstcall export promptfoo)`, { cause: error });
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new AppError('usage', `${path}: ${issues(parsed.error)}`);
    return parsed.data;
  }
}

const opened = new Map<string, PromptfooExport>();

/** The exported folder `dir`, opened once per process. */
export function openExport(dir: string): PromptfooExport {
  let found = opened.get(dir);
  if (!found) opened.set(dir, (found = new PromptfooExport(dir)));
  return found;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

