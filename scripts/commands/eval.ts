// `firstcall eval`: run candidates over a suite and gate on the result (exit 0 passed, 1 quality gate
// failed, 2 usage or configuration error, 3 run incomplete: more cases failed than --max-errors allows).
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { DEFAULT_SCORERS, evaluate } from '../../server/services/evaluate.ts';
import { parseMaxErrors } from '../../server/eval/error-budget.ts';
import { parseThresholds, renderJUnit, renderMarkdown, renderText, verdictLines, type EvalReport } from '../../server/eval/report.ts';
import { DEFAULT_RESPONSE_CACHE_DIR, ResponseCacheMode } from '../../server/providers/response-cache.ts';
import { RedisUrl } from '../../server/scale/redis-options.ts';
import { SCORERS } from '../../server/scorers/registry.ts';
import { collect, defineCommand } from '../command.ts';
import { EXIT, exitCodeForStatus, writeReportFile } from '../io.ts';
import { startProgress } from '../progress.ts';

const EvalArgs = z.object({
  suite: z.string({ message: '--suite NAME is required' }).min(1),
  suiteVersion: z.coerce.number().int().min(1).optional(),
  candidate: z.array(z.string()).min(1, 'give at least one --candidate FILE'),
  baseline: z.string().optional(),
  failUnder: z.string().optional(),
  maxErrors: z.string().optional(),
  maxRegression: z.coerce.number().min(0).max(1).optional(),
  json: z.string().optional(),
  junit: z.string().optional(),
  markdown: z.string().optional(),
  judge: z.string().regex(/^[a-z0-9]+:.+$/, '--judge wants provider:model').optional(),
  scorers: z.string().optional(),
  scorerModel: z.string().min(1, '--scorer-model wants latest, builtin or a model id').default('latest'),
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
  redis: RedisUrl.optional(),
});
export type EvalArgs = z.input<typeof EvalArgs>;

export const evalCommand = defineCommand({
  name: 'eval',
  description: `run candidates over a suite, print metrics with 95% intervals, and gate (exit ${EXIT.ok} passed, ${EXIT.failed} gate failed, ${EXIT.usage} usage, ${EXIT.incomplete} run incomplete)`,
  options: [
    { flags: '--suite <name>', help: 'suite name (latest version unless --suite-version)', required: true },
    { flags: '--suite-version <n>', help: 'a specific suite version' },
    { flags: '--candidate <file>', help: 'a candidate file (prompt template × model × params); repeat for several', parse: collect, default: [], path: 'in' },
    { flags: '--baseline <production|RUN>', help: 'compare with the production config’s run on this suite, or with a run id' },
    { flags: '--fail-under <metric=value,...>', help: 'minimum means, e.g. fcr=0.7,accuracy=0.8,tone=0.8 (metrics: the scorers and composite)' },
    { flags: '--max-errors <N|P%>', help: `cases that may fail (call or scoring failed) before the run is incomplete (exit ${EXIT.incomplete}); default 0` },
    { flags: '--max-regression <delta>', help: 'largest allowed drop of any metric below the baseline, e.g. 0.02' },
    { flags: '--gate-untrusted', help: `gate on ${SCORERS.ofKind('judgement').join(', ')} even when they do not agree well enough with this store's labels (see the gate_* settings)` },
    { flags: '--json <file>', help: 'write the report as JSON', path: 'out' },
    { flags: '--junit <file>', help: 'write JUnit XML (a testcase per case and one for the gate)', path: 'out' },
    { flags: '--markdown <file>', help: 'write Markdown (suits $GITHUB_STEP_SUMMARY)', path: 'out' },
    { flags: '--judge <provider:model>', help: `LLM judge for ${SCORERS.withTrait('judgeable').join(', ')} (default: offline scorers)` },
    { flags: '--scorers <list>', help: `which scorers (default ${DEFAULT_SCORERS.join(',')}; available: ${SCORERS.names.join(', ')})` },
    { flags: '--scorer-model <latest|builtin|id>', help: 'learned model for csat: the newest fitted on this store per language (default latest, else built-in), builtin, or a model id (firstcall scorers list)', default: 'latest' },
    { flags: '--cache <mode>', help: 'recorded responses: read (hits from cache, misses recorded), write, replay (cache only), off', choices: ['read', 'write', 'replay', 'off'], default: 'read' },
    { flags: '--cache-dir <dir>', help: 'response cache folder (default .cache/firstcall/responses)', path: 'out', pathDefault: DEFAULT_RESPONSE_CACHE_DIR },
    { flags: '--repeat <k>', help: 'trials per case; reports pass^k', default: '1' },
    { flags: '--resume <run>', help: 'finish an interrupted run: only its missing (or failed) cases run' },
    { flags: '--concurrency <n>', help: 'calls in flight', default: '8' },
    { flags: '--timeout <ms>', help: 'per-call timeout', default: '60000' },
    { flags: '--retries <n>', help: 'retries of a retryable failure (429, 5xx, timeout)', default: '4' },
    { flags: '--base-url <url>', help: 'OpenAI-compatible base URL (else FIRSTCALL_OPENAI_BASE_URL / OPENAI_BASE_URL)', env: ['FIRSTCALL_OPENAI_BASE_URL', 'OPENAI_BASE_URL'] },
    { flags: '--api-key <key>', help: 'API key (else FIRSTCALL_OPENAI_API_KEY / OPENAI_API_KEY); never logged', env: ['FIRSTCALL_OPENAI_API_KEY', 'OPENAI_API_KEY'] },
    { flags: '--redis <url>', help: 'run the calls on `firstcall worker` processes through this Redis (results are stored here; --concurrency is then the calls in flight across all workers)' },
    { flags: '--quiet', help: 'print no table (files, the exit code, and on stderr why it did not pass)' },
  ],
  args: EvalArgs,
  store: true,
  remote: true,
  // Flags are checked before the store is opened, so a typo never costs a model call.
  async run(a, { io, openStore }) {
    const scorers = a.scorers ? a.scorers.split(',').map((s) => s.trim()) : [...DEFAULT_SCORERS];
    for (const s of scorers) if (!SCORERS.get(s)) throw usageError(`unknown scorer "${s}"; scorers: ${SCORERS.names.join(', ')}`);
    if (a.maxRegression !== undefined && !a.baseline) throw usageError('--max-regression needs --baseline production|RUN');
    const failUnder = a.failUnder === undefined ? undefined : parseThresholds(a.failUnder, { scorers });
    const maxErrors = a.maxErrors === undefined ? undefined : parseMaxErrors(a.maxErrors);

    const db = await openStore();
    const progress = startProgress(io, '{candidate} {bar} {value}/{total} cases | ETA {eta_formatted}', 0, { candidate: '' });
    let current = '';
    let result;
    try {
      result = await evaluate(db, {
        suite: a.suite,
        suiteVersion: a.suiteVersion,
        candidates: a.candidate,
        scorers,
        scorerModel: a.scorerModel,
        judge: a.judge,
        cache: a.cache,
        cacheDir: a.cacheDir,
        provider: { openai: { baseURL: a.baseUrl, apiKey: a.apiKey } },
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
        redis: a.redis,
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
    if (a.json) writeReportFile(a.json, `${JSON.stringify(report, null, 2)}\n`);
    if (a.markdown) writeReportFile(a.markdown, renderMarkdown(report));
    if (a.junit) writeReportFile(a.junit, renderJUnit(report, results));
    return exitCodeForReport(report);
  },
});

/** An incomplete run outranks a failed gate: its numbers cannot be trusted either way. */
export function exitCodeForReport(report: Pick<EvalReport, 'status'>): number {
  return exitCodeForStatus(report.status);
}
