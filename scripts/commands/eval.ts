// `firstcall eval`: run candidates over a suite and gate on the result (exit 0 passed, 1 quality gate
// failed, 2 usage or configuration error, 3 run incomplete: more cases failed than --max-errors allows).
// Flags are checked before the store is opened, so a typo never costs a model call.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { ScorerName } from '../../server/domain/eval.ts';
import { DEFAULT_SCORERS, evaluate } from '../../server/eval/evaluate.ts';
import { parseMaxErrors } from '../../server/eval/error-budget.ts';
import { parseThresholds, renderJUnit, renderMarkdown, renderText, verdictLines, type EvalReport } from '../../server/eval/report.ts';
import { ResponseCacheMode } from '../../server/providers/response-cache.ts';
import { openDatabase, resolveDbPath } from '../../server/storage/database.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { startProgress } from '../progress.ts';

const EvalArgs = z.object({
  suite: z.string({ message: '--suite NAME is required' }).min(1),
  suiteVersion: z.coerce.number().int().min(1).optional(),
  candidate: z.array(z.string()).min(1, 'give at least one --candidate FILE'),
  db: z.string().optional(),
  baseline: z.string().optional(),
  failUnder: z.string().optional(),
  maxErrors: z.string().optional(),
  maxRegression: z.coerce.number().min(0).max(1).optional(),
  json: z.string().optional(),
  junit: z.string().optional(),
  markdown: z.string().optional(),
  judge: z.string().regex(/^[a-z0-9]+:.+$/, '--judge wants provider:model').optional(),
  scorers: z.string().optional(),
  cache: ResponseCacheMode.default('read'),
  cacheDir: z.string().optional(),
  repeat: z.coerce.number().int().min(1).max(100).default(1),
  resume: z.string().optional(),
  concurrency: z.coerce.number().int().min(1).max(256).default(8),
  timeout: z.coerce.number().int().min(100).default(60_000),
  retries: z.coerce.number().int().min(0).max(20).default(4),
  baseUrl: z.string().url().optional(),
  apiKey: z.string().optional(),
  quiet: z.boolean().default(false),
  gateUntrusted: z.boolean().optional(),
});
export type EvalArgs = z.input<typeof EvalArgs>;

export async function evalCommand(input: EvalArgs, io: CommandIO): Promise<number> {
  const parsed = EvalArgs.safeParse(input);
  if (!parsed.success) throw usageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  const a = parsed.data;
  const scorers = a.scorers ? a.scorers.split(',').map((s) => s.trim()) : [...DEFAULT_SCORERS];
  for (const s of scorers) if (!ScorerName.safeParse(s).success) throw usageError(`unknown scorer "${s}"; scorers: ${ScorerName.options.join(', ')}`);
  if (a.maxRegression !== undefined && !a.baseline) throw usageError('--max-regression needs --baseline production|RUN');
  const failUnder = a.failUnder === undefined ? undefined : parseThresholds(a.failUnder, { scorers });
  const maxErrors = a.maxErrors === undefined ? undefined : parseMaxErrors(a.maxErrors);

  const db = await openDatabase(resolveDbPath(a.db));
  try {
    const progress = startProgress(io, '{candidate} {bar} {value}/{total} cases | ETA {eta_formatted}', 0, { candidate: '' });
    let current = '';
    let result;
    try {
      result = await evaluate(db, {
        suite: a.suite,
        suiteVersion: a.suiteVersion,
        candidates: a.candidate,
        scorers: scorers as ScorerName[],
        judge: a.judge,
        cache: a.cache,
        cacheDir: a.cacheDir,
        provider: { baseURL: a.baseUrl, apiKey: a.apiKey },
        concurrency: a.concurrency,
        timeoutMs: a.timeout,
        retries: a.retries,
        repeat: a.repeat,
        resume: a.resume,
        baseline: a.baseline,
        failUnder,
        maxRegression: a.maxRegression,
        maxErrors,
        gateUntrusted: a.gateUntrusted,
        onProgress: (candidate, done, total) => {
          if (candidate !== current) (current = candidate), progress.update({ candidate }, 0);
          progress.update({ candidate, total }, done);
        },
      });
    } finally {
      progress.stop();
    }
    const { report, results, cache } = result;
    if (!a.quiet) io.out(renderText(report));
    else if (!report.passed) for (const line of verdictLines(report)) io.err(`firstcall: ${line}`);
    if (cache) io.err(`response cache: ${cache.hits} hits, ${cache.misses} misses, ${cache.writes} recorded`);
    const write = (path: string, text: string) => {
      const full = resolve(path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
    };
    if (a.json) write(a.json, `${JSON.stringify(report, null, 2)}\n`);
    if (a.markdown) write(a.markdown, renderMarkdown(report));
    if (a.junit) write(a.junit, renderJUnit(report, results));
    return exitCodeForReport(report);
  } finally {
    db.close();
  }
}

/** An incomplete run outranks a failed gate: its numbers cannot be trusted either way. */
export function exitCodeForReport(report: Pick<EvalReport, 'status'>): number {
  return { passed: EXIT.ok, gate_failed: EXIT.failed, incomplete: EXIT.incomplete }[report.status];
}
