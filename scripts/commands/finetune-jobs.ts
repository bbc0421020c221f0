// `firstcall finetune submit|status`: send a built fine-tuning set to OpenAI (or an OpenAI-compatible
// service) and follow the job.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { getFineTuneStatus, listFineTunes, type FineTuneJobSummary, type FineTuneStatus } from '../../server/finetune-jobs/status.ts';
import { submitFineTune } from '../../server/finetune-jobs/submit.ts';
import { defineCommand, runLocal } from '../command.ts';
import { EXIT, type CommandIO } from '../io.ts';

/** Where `firstcall finetune build` writes sets: data/finetune/<name>/{train,val}.jsonl and card.json. */
export const DEFAULT_FINETUNE_SETS_DIR = join(import.meta.dirname, '..', '..', 'data', 'finetune');

const Connection = {
  baseUrl: z.url({ message: '--base-url wants a URL such as http://127.0.0.1:8000/v1' }).optional(),
  apiKey: z.string().min(1).optional(),
  json: z.boolean().default(false),
};

const SubmitArgs = z.object({
  set: z.string({ message: '--set NAME is required' }).min(1, '--set NAME is required'),
  dir: z.string().optional(),
  model: z.string({ message: '--model MODEL is required (the base model to fine-tune)' }).min(1, '--model MODEL is required'),
  suffix: z.string().max(64, '--suffix is at most 64 characters').optional(),
  epochs: z.coerce.number().int().min(1, '--epochs must be at least 1').optional(),
  ...Connection,
});

const StatusArgs = z.object({
  job: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  ...Connection,
});

/** The set's folder: `<dir>/<set>`, or `--dir` itself when it already holds train.jsonl. */
export function resolveSetDir(set: string, dir?: string): string {
  if (dir && existsSync(join(dir, 'train.jsonl'))) return dir;
  return join(dir ?? DEFAULT_FINETUNE_SETS_DIR, set);
}

const countLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter((l) => l.trim()).length;

const connectionOptions = [
  { flags: '--base-url <url>', help: 'OpenAI-compatible base URL (else FIRSTCALL_OPENAI_BASE_URL / OPENAI_BASE_URL)' },
  { flags: '--api-key <key>', help: 'API key (else FIRSTCALL_OPENAI_API_KEY / OPENAI_API_KEY); never logged' },
  { flags: '--json', help: 'print JSON' },
];

export const finetuneSubmit = defineCommand({
  name: 'finetune submit',
  description: 'upload a set (train.jsonl, val.jsonl) and create a fine-tuning job through the openai package',
  options: [
    { flags: '--set <name>', help: 'set name (data/finetune/<name>/)', required: true },
    { flags: '--model <model>', help: 'base model, e.g. gpt-4o-mini-2024-07-18', required: true },
    { flags: '--dir <dir>', help: 'where the set folders are (default data/finetune)' },
    { flags: '--suffix <suffix>', help: 'suffix of the fine-tuned model name' },
    { flags: '--epochs <n>', help: 'training epochs' },
    ...connectionOptions,
  ],
  args: SubmitArgs,
  run: (a, { io }) => submit(a, io),
});

export const finetuneStatus = defineCommand({
  name: 'finetune status',
  description: 'a fine-tuning job (or the recent ones) with its latest events',
  options: [{ flags: '--job <id>', help: 'job id (default: list recent jobs)' }, { flags: '--limit <n>', help: 'how many recent jobs' }, ...connectionOptions],
  args: StatusArgs,
  run: (a, { io }) => showStatus(a, io),
});

/** The command bodies without argument parsing by commander (validated with the same schemas). */
export const finetuneSubmitCommand = (input: z.input<typeof SubmitArgs>, io: CommandIO) => runLocal(finetuneSubmit, input, io);
export const finetuneStatusCommand = (input: z.input<typeof StatusArgs>, io: CommandIO) => runLocal(finetuneStatus, input, io);

async function submit(a: z.output<typeof SubmitArgs>, io: CommandIO): Promise<number> {
  const folder = resolveSetDir(a.set, a.dir);
  const trainPath = join(folder, 'train.jsonl');
  const valPath = join(folder, 'val.jsonl');
  if (!existsSync(trainPath)) throw usageError(`no fine-tuning set at ${folder} (train.jsonl missing): build it with firstcall finetune build --name ${a.set}`);
  const hasVal = existsSync(valPath) && countLines(valPath) > 0;
  const examples = { train: countLines(trainPath), val: hasVal ? countLines(valPath) : 0 };
  if (examples.train === 0) throw usageError(`${trainPath} holds no examples`);

  const submitted = await submitFineTune({
    trainPath,
    ...(hasVal ? { valPath } : {}),
    model: a.model,
    ...(a.suffix ? { suffix: a.suffix } : {}),
    ...(a.epochs ? { hyperparameters: { n_epochs: a.epochs } } : {}),
    ...(a.baseUrl ? { baseURL: a.baseUrl } : {}),
    ...(a.apiKey ? { apiKey: a.apiKey } : {}),
  });
  if (a.json) io.out(JSON.stringify({ ...submitted, set: a.set, dir: folder, examples }));
  else {
    io.out(submitted.job_id);
    io.err(
      `fine-tuning job ${submitted.job_id} (${submitted.status}) on ${submitted.model}: ${examples.train} training examples` +
        (hasVal ? `, ${examples.val} validation examples` : ', no validation file') +
        `; follow it with firstcall finetune status --job ${submitted.job_id}`,
    );
  }
  return EXIT.ok;
}

async function showStatus(a: z.output<typeof StatusArgs>, io: CommandIO): Promise<number> {
  const connection = { ...(a.baseUrl ? { baseURL: a.baseUrl } : {}), ...(a.apiKey ? { apiKey: a.apiKey } : {}) };
  if (!a.job) {
    const jobs = await listFineTunes({ ...connection, limit: a.limit });
    if (a.json) io.out(JSON.stringify(jobs));
    else if (jobs.length === 0) io.out('no fine-tuning jobs yet: firstcall finetune submit --set NAME --model MODEL');
    else for (const job of jobs) io.out(summaryLine(job));
    return EXIT.ok;
  }
  const status = await getFineTuneStatus({ ...connection, jobId: a.job });
  if (a.json) io.out(JSON.stringify(status));
  else printStatus(status, io);
  return status.status === 'failed' || status.status === 'cancelled' ? EXIT.failed : EXIT.ok;
}

const when = (seconds: number | null) => (seconds === null ? '-' : new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z'));

function summaryLine(job: FineTuneJobSummary): string {
  return `${job.id.padEnd(32)} ${job.status.padEnd(16)} ${job.model.padEnd(28)} ${job.fine_tuned_model ?? '-'}  ${when(job.created_at)}`;
}

function printStatus(status: FineTuneStatus, io: CommandIO): void {
  io.out(`job ${status.id}: ${status.status}`);
  io.out(`  base model      ${status.model}`);
  io.out(`  fine-tuned      ${status.fine_tuned_model ?? '-'}`);
  io.out(`  trained tokens  ${status.trained_tokens ?? '-'}`);
  io.out(`  created         ${when(status.created_at)}`);
  io.out(`  finished        ${when(status.finished_at)}`);
  if (status.error) io.out(`  error           ${status.error.code ? `${status.error.code}: ` : ''}${status.error.message}`);
  if (status.events.length) {
    io.out('  events:');
    for (const e of status.events) io.out(`    ${when(e.created_at)} ${e.level.padEnd(5)} ${e.message}`);
  }
}
