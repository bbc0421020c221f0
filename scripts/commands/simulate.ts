// `firstcall simulate`: every scenario of a set × trials per candidate as simulated conversations,
// judged by the back office's end state; prints goal success, FCR, pass^k and turns with 95%
// intervals and gates (exit 0 passed, 1 gate failed, 2 usage or configuration, 3 run incomplete).
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { parseMaxErrors } from '../../server/eval/error-budget.ts';
import { DEFAULT_RESPONSE_CACHE_DIR, ResponseCacheMode } from '../../server/providers/response-cache.ts';
import { RedisUrl } from '../../server/scale/redis-options.ts';
import { simulate } from '../../server/services/simulate.ts';
import { parseConversationThresholds, renderConversationJUnit, renderConversationMarkdown, renderConversationText, verdictLine, type ConversationReport } from '../../server/simulate/conversation-report.ts';
import { collect, defineCommand } from '../command.ts';
import { EXIT, exitCodeForStatus, writeReportFile } from '../io.ts';
import { startProgress } from '../progress.ts';

const SimulateArgs = z.object({
  scenarios: z.string({ message: '--scenarios NAME is required' }).min(1),
  scenariosVersion: z.coerce.number().int().min(1).optional(),
  candidate: z.array(z.string()).default([]),
  simulator: z.string().regex(/^(offline|[a-z0-9]+:.+)$/, '--simulator wants offline or provider:model').default('offline'),
  trials: z.coerce.number().int().min(1).max(50).default(1),
  maxTurns: z.coerce.number().int().min(1).max(30).optional(),
  concurrency: z.coerce.number().int().min(1).max(256).default(4),
  seed: z.coerce.number().int().default(42),
  resume: z.string().optional(),
  baseline: z.string().optional(),
  failUnder: z.string().optional(),
  maxRegression: z.coerce.number().min(0).max(1).optional(),
  maxErrors: z.string().optional(),
  json: z.string().optional(),
  junit: z.string().optional(),
  markdown: z.string().optional(),
  cache: ResponseCacheMode.default('read'),
  cacheDir: z.string().optional(),
  baseUrl: z.string().url().optional(),
  apiKey: z.string().optional(),
  quiet: z.boolean().default(false),
  redis: RedisUrl.optional(),
});
export type SimulateArgs = z.input<typeof SimulateArgs>;

export const simulateCommand = defineCommand({
  name: 'simulate',
  description: `simulated conversations: every scenario × trials per candidate, judged by end state; goal success, FCR, pass^k, turns with 95% intervals (exit ${EXIT.ok} passed, ${EXIT.failed} gate failed, ${EXIT.usage} usage, ${EXIT.incomplete} incomplete)`,
  options: [
    { flags: '--scenarios <name>', help: 'scenario set (latest version unless --scenarios-version)', required: true },
    { flags: '--scenarios-version <n>', help: 'a specific scenario set version' },
    { flags: '--candidate <file>', help: 'a candidate file; repeat for several', parse: collect, default: [], path: 'in' },
    { flags: '--simulator <offline|provider:model>', help: 'the simulated customer: offline (deterministic) or an LLM through the provider registry', default: 'offline' },
    { flags: '--trials <k>', help: 'conversations per scenario and candidate; reports pass^k', default: '1' },
    { flags: '--max-turns <n>', help: "agent replies before a conversation stops (default: each scenario's max_turns)" },
    { flags: '--concurrency <n>', help: 'conversations at once', default: '4' },
    { flags: '--seed <s>', help: "the simulated customer's seed", default: '42' },
    { flags: '--resume <run>', help: 'finish an interrupted conversation run: only its missing (or failed) conversations run' },
    { flags: '--baseline <production|RUN>', help: "compare with the production config's conversation run on this set, or with a run id" },
    { flags: '--fail-under <metric=value,...>', help: 'minimum means, e.g. goal_success=0.8,fcr=0.7 (metrics: goal_success, fcr, pass_k, escalation_accuracy, tone)' },
    { flags: '--max-regression <delta>', help: 'largest allowed drop of any metric below the baseline' },
    { flags: '--max-errors <N|P%>', help: `conversations that may fail before the run is incomplete (exit ${EXIT.incomplete}); default 0` },
    { flags: '--json <file>', help: 'write the report as JSON', path: 'out' },
    { flags: '--junit <file>', help: 'write JUnit XML (a testcase per conversation and one for the gate)', path: 'out' },
    { flags: '--markdown <file>', help: 'write Markdown (suits $GITHUB_STEP_SUMMARY)', path: 'out' },
    { flags: '--cache <mode>', help: 'recorded responses for model calls without tools (the LLM customer): read, write, replay, off', choices: ['read', 'write', 'replay', 'off'], default: 'read' },
    { flags: '--cache-dir <dir>', help: 'response cache folder (default .cache/firstcall/responses)', path: 'out', pathDefault: DEFAULT_RESPONSE_CACHE_DIR },
    { flags: '--base-url <url>', help: 'OpenAI-compatible base URL (else FIRSTCALL_OPENAI_BASE_URL / OPENAI_BASE_URL)', env: ['FIRSTCALL_OPENAI_BASE_URL', 'OPENAI_BASE_URL'] },
    { flags: '--api-key <key>', help: 'API key (else FIRSTCALL_OPENAI_API_KEY / OPENAI_API_KEY); never logged', env: ['FIRSTCALL_OPENAI_API_KEY', 'OPENAI_API_KEY'] },
    { flags: '--redis <url>', help: 'run the conversations on `firstcall worker` processes through this Redis (they are stored here)' },
    { flags: '--quiet', help: 'print no table' },
  ],
  args: SimulateArgs,
  store: true,
  remote: true,
  async run(a, { io, openStore }) {
    if (a.candidate.length === 0) throw usageError('give at least one --candidate FILE');
    if (a.maxRegression !== undefined && !a.baseline) throw usageError('--max-regression needs --baseline production|RUN');
    const failUnder = a.failUnder === undefined ? undefined : parseConversationThresholds(a.failUnder);
    const maxErrors = a.maxErrors === undefined ? undefined : parseMaxErrors(a.maxErrors);
    const db = await openStore();
    const progress = startProgress(io, '{candidate} {bar} {value}/{total} conversations | ETA {eta_formatted}', 0, { candidate: '' });
    let current = '';
    let result;
    try {
      result = await simulate(db, {
        scenarios: a.scenarios,
        scenariosVersion: a.scenariosVersion,
        candidates: a.candidate,
        simulator: a.simulator,
        trials: a.trials,
        maxTurns: a.maxTurns,
        concurrency: a.concurrency,
        seed: a.seed,
        resume: a.resume,
        baseline: a.baseline,
        failUnder,
        maxRegression: a.maxRegression,
        maxErrors,
        cache: a.cache,
        cacheDir: a.cacheDir,
        provider: { openai: { baseURL: a.baseUrl, apiKey: a.apiKey } },
        redis: a.redis,
        onProgress: (candidate, done, total) => {
          if (candidate !== current) (current = candidate), progress.update({ candidate }, 0);
          progress.update({ candidate, total }, done);
        },
      });
    } finally {
      progress.stop();
    }
    const { report, conversations } = result;
    if (!a.quiet) io.out(renderConversationText(report));
    else if (!report.passed) io.err(`firstcall: ${verdictLine(report)}`);
    if (a.json) writeReportFile(a.json, `${JSON.stringify(report, null, 2)}\n`);
    if (a.markdown) writeReportFile(a.markdown, renderConversationMarkdown(report));
    if (a.junit) writeReportFile(a.junit, renderConversationJUnit(report, conversations));
    return exitCodeForConversationReport(report);
  },
});

export function exitCodeForConversationReport(report: Pick<ConversationReport, 'status'>): number {
  return exitCodeForStatus(report.status);
}
