// The `firstcall` command line: argument parsing only; each command's body lives in scripts/commands.
import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../server/domain/errors.ts';
import { FORMAT_IDS } from '../server/ingest/formats/types.ts';
import { ingestCommand } from './commands/ingest.ts';
import { exportCommand, quarantineCommand, statsCommand } from './commands/store.ts';
import { generateCommand } from './commands/generate.ts';
import { demoCommand } from './commands/demo.ts';
import { keysCreateCommand, keysListCommand, keysRevokeCommand, labelsExportCommand, labelsImportCommand } from './commands/labels.ts';
import { serveCommand } from './commands/serve.ts';
import { suiteBuildCommand, suiteListCommand, suiteShowCommand } from './commands/suite.ts';
import { evalCommand } from './commands/eval.ts';
import { calibrateCommand, scoreCommand, scorersFitCommand, scorersListCommand } from './commands/score.ts';
import { promoteCommand, rollbackCommand } from './commands/promote.ts';
import { finetuneStatusCommand, finetuneSubmitCommand } from './commands/finetune-jobs.ts';
import { finetuneBuildCommand } from './commands/finetune-build.ts';
import { EXIT, processIO, type CommandIO } from './io.ts';

const DB_HELP = 'database file (default ./data/firstcall.duckdb, or $FIRSTCALL_DB)';
const EXIT_HELP = `exit codes: ${EXIT.ok} passed, ${EXIT.failed} a check failed (quality gate, --strict, promotion refused), ${EXIT.usage} usage or configuration error, ${EXIT.incomplete} incomplete (cases failed beyond --max-errors, nothing imported)`;

export function buildProgram(io: CommandIO, setExit: (code: number) => void): Command {
  const program = new Command('firstcall')
    .description('Evaluate and fine-tune customer-service bots: logs -> labels -> suites -> evals -> production')
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_HELP}`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const run = (action: () => Promise<number>) => async () => setExit(await action());

  program
    .command('ingest')
    .description('load dialogue logs (canonical JSONL, CSV, Bitext, tau-bench, ABCD) into the store')
    .argument('<paths...>', 'files to ingest')
    .option('--db <file>', DB_HELP)
    .addOption(new Option('--format <format>', 'input format').choices(['auto', ...FORMAT_IDS]).default('auto'))
    .option('--map <field=column,...>', 'csv column mapping, e.g. dialogue_id=ticket,role=speaker,text=body')
    .option('--json', 'print the summary as one JSON object')
    .option('--strict', 'exit 1 when any record was quarantined')
    .option('--no-redact', 'keep PII in the stored texts (exports and model calls still redact)')
    .action((paths: string[], opts) => run(() => ingestCommand({ paths, ...opts }, io))());

  program
    .command('stats')
    .description('counts of dialogues, turns, customers and quarantined records, by language and channel')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print one JSON object')
    .action((opts) => run(() => statsCommand(opts, io))());

  program
    .command('export')
    .description('write the store as canonical JSONL')
    .argument('<what>', 'dialogues | customers')
    .requiredOption('--out <file>', 'output file')
    .option('--db <file>', DB_HELP)
    .option('--no-redact', 'do not redact PII again on the way out')
    .option('--json', 'print the result as JSON')
    .action((what: string, opts) => run(() => exportCommand({ what: what as 'dialogues', ...opts }, io))());

  program
    .command('quarantine')
    .description('list quarantined records with file, line and reason')
    .option('--db <file>', DB_HELP)
    .option('--batch <id>', 'only this ingest batch')
    .option('--limit <n>', 'at most this many', (v) => Number.parseInt(v, 10), 100)
    .option('--json', 'one JSON object per line')
    .action((opts) => run(() => quarantineCommand(opts, io))());

  program
    .command('generate')
    .description('write synthetic zh/en customer-service dialogues with CRM profiles (canonical JSONL)')
    .requiredOption('--out <file>', 'output file')
    .option('--n <count>', 'number of dialogues', (v) => Number(v), 1000)
    .option('--seed <seed>', 'random seed', (v) => Number(v), 42)
    .option('--json', 'print the result as JSON')
    .action((opts) => run(() => generateCommand(opts, io))());

  program
    .command('demo')
    .description('the whole loop on the shipped sample data, with offline defaults, then the server and UI')
    .option('--db <file>', 'database file (default ./data/demo.duckdb, recreated)')
    .option('--keep', 'keep an existing demo database instead of recreating it')
    .option('--port <n>', 'port to serve on', (v) => Number(v), 4310)
    .option('--no-serve', 'stop after loading the data, without starting the server')
    .action((opts) => run(() => demoCommand(opts, io))());

  program
    .command('serve')
    .description('serve the API and the web UI (the server owns the database while it runs)')
    .option('--db <file>', DB_HELP)
    .option('--port <n>', 'port', (v) => Number(v), 4310)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action((opts) => run(() => serveCommand(opts, io))());

  const keys = program.command('keys').description('API keys (roles: reviewer, engineer, admin, bot)');
  keys
    .command('create')
    .description('create a key and print it (shown once; stored hashed)')
    .requiredOption('--role <role>', 'reviewer | engineer | admin | bot')
    .option('--name <name>', 'who uses it (reviewer names appear on labels)')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print {"key": …}')
    .action((opts) => run(() => keysCreateCommand(opts, io))());
  keys
    .command('list')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action((opts) => run(() => keysListCommand(opts, io))());
  keys
    .command('revoke')
    .argument('<id>', 'key id (from keys list)')
    .option('--db <file>', DB_HELP)
    .action((id: string, opts) => run(() => keysRevokeCommand(id, opts, io))());

  const labels = program.command('labels').description('labels as JSONL (dialogue_id, reviewer and the label fields)');
  labels
    .command('import')
    .argument('<file>', 'JSONL, one label per line')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print the result as JSON')
    .option('--strict', `exit ${EXIT.failed} when any line was rejected (a missing file exits ${EXIT.usage}; nothing imported exits ${EXIT.incomplete})`)
    .action((file: string, opts) => run(() => labelsImportCommand(file, opts, io))());
  labels
    .command('export')
    .requiredOption('--out <file>', 'output file')
    .option('--gold', 'export the gold labels (consensus or adjudicated) instead of every reviewer’s')
    .option('--db <file>', DB_HELP)
    .action((opts) => run(() => labelsExportCommand(opts, io))());

  const suite = program.command('suite').description('frozen, versioned eval suites from labeled dialogues');
  suite
    .command('build')
    .description('freeze labeled dialogues of one split into a versioned, content-hashed suite (also written under evals/suites)')
    .requiredOption('--name <name>', 'suite name')
    .option('--db <file>', DB_HELP)
    .option('--language <zh|en>', 'only this language')
    .option('--channel <channel>', 'only this channel')
    .option('--intent <intent>', 'only this intent')
    .option('--from <YYYY-MM-DD>', 'dialogues started on or after')
    .option('--to <YYYY-MM-DD>', 'dialogues started on or before')
    .option('--no-labeled-only', 'also use dialogues whose logs carry a reference answer (e.g. Bitext, synthetic)')
    .option('--size <n>', 'at most this many cases, stratified by intent and language')
    .addOption(new Option('--split <split>', 'which split').choices(['train', 'dev', 'test']).default('test'))
    .option('--dir <dir>', 'where to write the reviewable file (default evals/suites)')
    .option('--json', 'print the result as JSON')
    .action((opts) => run(() => suiteBuildCommand(opts, io))());
  suite
    .command('list')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action((opts) => run(() => suiteListCommand(opts, io))());
  suite
    .command('show')
    .argument('<name>', 'suite name')
    .option('--version <n>', 'a version (default the latest)')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print the whole suite as JSON')
    .action((name: string, opts) => run(() => suiteShowCommand(name, opts, io))());

  program
    .command('eval')
    .description(`run candidates over a suite, print metrics with 95% intervals, and gate (exit ${EXIT.ok} passed, ${EXIT.failed} gate failed, ${EXIT.usage} usage, ${EXIT.incomplete} run incomplete)`)
    .requiredOption('--suite <name>', 'suite name (latest version unless --suite-version)')
    .option('--suite-version <n>', 'a specific suite version')
    .option('--candidate <file>', 'a candidate file (prompt template × model × params); repeat for several', collect, [] as string[])
    .option('--db <file>', DB_HELP)
    .option('--baseline <production|RUN>', 'compare with the production config’s run on this suite, or with a run id')
    .option('--fail-under <metric=value,...>', 'minimum means, e.g. fcr=0.7,accuracy=0.8,tone=0.8 (metrics: the scorers and composite)')
    .option('--max-errors <N|P%>', `cases that may fail (call or scoring failed) before the run is incomplete (exit ${EXIT.incomplete}); default 0`)
    .option('--max-regression <delta>', 'largest allowed drop of any metric below the baseline, e.g. 0.02')
    .option('--gate-untrusted', 'gate on fcr, accuracy and tone even when they do not agree well enough with this store\'s labels (see the gate_* settings)')
    .option('--json <file>', 'write the report as JSON')
    .option('--junit <file>', 'write JUnit XML (a testcase per case and one for the gate)')
    .option('--markdown <file>', 'write Markdown (suits $GITHUB_STEP_SUMMARY)')
    .option('--judge <provider:model>', 'LLM judge for fcr, accuracy, tone, escalation, safety (default: offline scorers)')
    .option('--scorers <list>', 'which scorers (default fcr,accuracy,tone,escalation,safety,latency,cost)')
    .addOption(new Option('--cache <mode>', 'recorded responses: read (hits from cache, misses recorded), write, replay (cache only), off').choices(['read', 'write', 'replay', 'off']).default('read'))
    .option('--cache-dir <dir>', 'response cache folder (default .cache/firstcall/responses)')
    .option('--repeat <k>', 'trials per case; reports pass^k', '1')
    .option('--resume <run>', 'finish an interrupted run: only its missing (or failed) cases run')
    .option('--concurrency <n>', 'calls in flight', '8')
    .option('--timeout <ms>', 'per-call timeout', '60000')
    .option('--retries <n>', 'retries of a retryable failure (429, 5xx, timeout)', '4')
    .option('--base-url <url>', 'OpenAI-compatible base URL (else FIRSTCALL_OPENAI_BASE_URL / OPENAI_BASE_URL)')
    .option('--api-key <key>', 'API key (else FIRSTCALL_OPENAI_API_KEY / OPENAI_API_KEY); never logged')
    .option('--quiet', 'print no table (files, the exit code, and on stderr why it did not pass)')
    .action((opts) => run(() => evalCommand(opts, io))());

  program
    .command('score')
    .description('judge each logged dialogue as a whole (monitoring), also ones ending with the customer; one JSON line per dialogue, also stored for trends')
    .requiredOption('--out <file>', 'JSONL output: {"dialogue_id", "scores": {name: 0-1}, "reasons": {name: text}}')
    .option('--scorers <list>', 'fcr,csat,tone,escalation,accuracy,safety (default fcr,csat,tone,escalation)')
    .option('--scorer-model <latest|builtin|id>', 'learned models: the latest fitted on this store (default, else built-in), the built-in ones, or a model id (firstcall scorers list)')
    .option('--db <file>', DB_HELP)
    .option('--language <zh|en>', 'only this language')
    .option('--channel <channel>', 'only this channel')
    .option('--intent <intent>', 'only this intent')
    .option('--source <source>', 'only this source (e.g. production)')
    .option('--from <YYYY-MM-DD>', 'started on or after')
    .option('--to <YYYY-MM-DD>', 'started on or before')
    .option('--judge <provider:model>', 'LLM judge for escalation, accuracy and safety instead of the offline rules')
    .option('--json', 'print the summary as JSON')
    .action((opts) => run(() => scoreCommand(opts, io))());

  program
    .command('calibrate')
    .description("compare an automatic scorer with reviewers' labels (Cohen's kappa, Spearman, confusion matrix)")
    .requiredOption('--scorer <name>', 'fcr | accuracy | tone')
    .option('--judge <provider:model>', 'calibrate the LLM judge instead of the offline scorer')
    .option('--scorer-model <latest|builtin|id>', 'calibrate the learned whole-dialogue model instead (latest fitted, built-in, or a model id)')
    .option('--suite <name>', "use this suite's cases (default: every gold-labeled dialogue)")
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action((opts) => run(() => calibrateCommand(opts, io))());

  const scorers = program.command('scorers').description('learned whole-dialogue scorers fitted on this store');
  scorers
    .command('fit')
    .description("fit fcr, csat, tone and accuracy per language to the store's gold labels and logged outcomes; prints cross-validated agreement next to the model it would replace and to baselines; stores a new version when it has enough labels")
    .option('--db <file>', DB_HELP)
    .option('--targets <list>', 'fcr,csat,tone,accuracy (default all)')
    .option('--language <zh|en>', 'only this language')
    .option('--min-per-side <n>', 'labels needed on each side (positive, negative) before a model is stored', '50')
    .option('--from-scratch', 'do not fine-tune from the current model (warm start is the default)')
    .option('--json', 'print JSON')
    .action((opts) => run(() => scorersFitCommand(opts, io))());
  scorers
    .command('list')
    .description('scorer models fitted on this store, newest first')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action((opts) => run(() => scorersListCommand(opts, io))());

  program
    .command('promote')
    .description("make a run's candidate a channel's production (or staging) config, if it passes the gate")
    .requiredOption('--run <run>', 'eval run id')
    .option('--candidate <name|hash>', 'the candidate the run evaluated (checked)')
    .requiredOption('--channel <channel>', 'web, app, wechat, phone')
    .option('--label <label>', 'production or staging', 'production')
    .option('--force <reason>', 'promote despite the gate; the reason is recorded')
    .option('--db <file>', DB_HELP)
    .option('--json', 'print JSON')
    .action((opts) => run(() => promoteCommand(opts, io))());

  program
    .command('rollback')
    .description("move a channel's pointer back to the previous config")
    .requiredOption('--channel <channel>', 'channel')
    .option('--label <label>', 'production or staging', 'production')
    .option('--db <file>', DB_HELP)
    .action((opts) => run(() => rollbackCommand(opts, io))());

  const finetune = program.command('finetune').description('fine-tuning sets from labeled dialogues, and jobs on OpenAI-compatible services');
  finetune
    .command('build')
    .description('a versioned fine-tuning set from labeled train-split dialogues: train.jsonl, val.jsonl, card.md, card.json')
    .requiredOption('--name <name>', 'set name')
    .addOption(new Option('--format <format>', 'output format').choices(['openai', 'openai-dpo', 'trl', 'trl-preference', 'sharegpt', 'alpaca']).default('openai'))
    .option('--db <file>', DB_HELP)
    .option('--val-fraction <f>', 'share held out for validation', '0.1')
    .option('--prompt <file>', 'prompt template whose system prompt the examples carry (default prompts/concise-v1.yaml)')
    .option('--out <dir>', 'output folder (default data/finetune/<name>)')
    .option('--language <zh|en>', 'only this language')
    .option('--channel <channel>', 'only this channel')
    .option('--intent <intent>', 'only this intent')
    .option('--from <YYYY-MM-DD>', 'started on or after')
    .option('--to <YYYY-MM-DD>', 'started on or before')
    .option('--near-duplicate-threshold <j>', 'estimated Jaccard similarity to a suite dialogue that excludes a dialogue', '0.8')
    .option('--json', 'print the result as JSON')
    .action((opts) => run(() => finetuneBuildCommand(opts, io))());
  finetune
    .command('submit')
    .description('upload a set (train.jsonl, val.jsonl) and create a fine-tuning job through the openai package')
    .requiredOption('--set <name>', 'set name (data/finetune/<name>/)')
    .requiredOption('--model <model>', 'base model, e.g. gpt-4o-mini-2024-07-18')
    .option('--dir <dir>', 'where the set folders are (default data/finetune)')
    .option('--suffix <suffix>', 'suffix of the fine-tuned model name')
    .option('--epochs <n>', 'training epochs')
    .option('--base-url <url>', 'OpenAI-compatible base URL (else FIRSTCALL_OPENAI_BASE_URL / OPENAI_BASE_URL)')
    .option('--api-key <key>', 'API key (else FIRSTCALL_OPENAI_API_KEY / OPENAI_API_KEY); never logged')
    .option('--json', 'print JSON')
    .action((opts) => run(() => finetuneSubmitCommand(opts, io))());
  finetune
    .command('status')
    .description('a fine-tuning job (or the recent ones) with its latest events')
    .option('--job <id>', 'job id (default: list recent jobs)')
    .option('--limit <n>', 'how many recent jobs')
    .option('--base-url <url>', 'OpenAI-compatible base URL')
    .option('--api-key <key>', 'API key')
    .option('--json', 'print JSON')
    .action((opts) => run(() => finetuneStatusCommand(opts, io))());

  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function main(argv: readonly string[], io: CommandIO = processIO): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

/** The one place errors become exit codes (the table is EXIT in scripts/io.ts). */
export function exitCodeFor(error: unknown, io: CommandIO): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander already printed help or the error
  }
  if (AppError.isInstance(error)) {
    io.err(`firstcall: ${error.message}`);
    switch (error.code) {
      case 'usage':
      case 'validation':
      case 'not_found':
      case 'database_locked':
        return EXIT.usage; // nothing was run: fix the arguments or the setup
      case 'conflict':
        return EXIT.failed; // refused by a check (e.g. the promotion gate)
      default:
        return EXIT.incomplete;
    }
  }
  // A crash is never a pass, nor a quality verdict: the work is incomplete.
  io.err(`firstcall: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT.incomplete;
}
