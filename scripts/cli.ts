// The `firstcall` command line: commander built from the command registry (scripts/commands/index.ts),
// arguments validated by each command's schema, the store opened once for the command — or, when a
// firstcall server holds it, the command sent to that server — and the exit code decided in one place.
import { Command, Option } from 'commander';
import { AppError } from '../server/domain/errors.ts';
import { resolveDbPath } from '../server/storage/database.ts';
import { DB_OPTION, exitCodeFor, lazyStore, runCommand, type AnyCommand, type OptionSpec } from './command.ts';
import { COMMANDS, GROUPS } from './commands/index.ts';
import { EXIT, EXIT_HELP, processIO, type CommandIO } from './io.ts';
import { argsForServer, forwardCommand, printResult } from './remote.ts';
import { findEndpoint, readLocalToken, type Endpoint } from './server-endpoint.ts';

export { exitCodeFor } from './command.ts';

type Chosen = { command: AnyCommand; input: Record<string, unknown> };

/** Commander for `commands`; an action only records which command was chosen with what input. */
export function buildProgram(io: CommandIO, choose: (chosen: Chosen) => void, commands: readonly AnyCommand[] = COMMANDS): Command {
  const program = new Command('firstcall')
    .description('Evaluate and fine-tune customer-service bots: logs -> labels -> suites -> evals -> production')
    .showHelpAfterError()
    .addHelpText('after', `\n${EXIT_HELP}`)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const groups = new Map<string, Command>();
  for (const command of commands) {
    const words = command.name.split(' ');
    let parent = program;
    for (const word of words.slice(0, -1)) {
      let group = groups.get(word);
      if (!group) groups.set(word, (group = program.command(word).description(GROUPS[word] ?? '')));
      parent = group;
    }
    const sub = parent.command(words.at(-1)!);
    if (command.description) sub.description(command.description);
    for (const a of command.arguments ?? []) sub.argument(a.syntax, a.help);
    for (const spec of [...(command.options ?? []), ...(command.store ? [DB_OPTION] : [])]) sub.addOption(toOption(spec));
    sub.action((...values: unknown[]) => {
      const input: Record<string, unknown> = { ...sub.opts() };
      (command.arguments ?? []).forEach((a, i) => (input[a.key] = values[i]));
      choose({ command, input });
    });
  }
  return program;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.help);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.required) option.makeOptionMandatory();
  return option;
}

export async function main(argv: readonly string[], io: CommandIO = processIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let chosen: Chosen | undefined;
  try {
    await buildProgram(io, (c) => (chosen = c)).parseAsync([...argv], { from: 'user' });
  } catch (error) {
    return exitCodeFor(error, io); // commander already printed help or the error
  }
  return chosen ? execute(chosen, io, env) : EXIT.ok;
}

/** Runs the command here on its store, or through the firstcall server that holds the store. */
async function execute({ command, input }: Chosen, io: CommandIO, env: NodeJS.ProcessEnv): Promise<number> {
  // `--db` is the shared store option; a command without it (demo) keeps its own.
  const { db, ...rest } = input;
  const args = command.store ? rest : input;
  const dbFlag = command.store && typeof db === 'string' ? db : undefined;
  const store = lazyStore(dbFlag);
  const actor = env.USER || 'cli';
  const openStore = command.store ? store.open : () => Promise.reject(new AppError('internal', `firstcall ${command.name} uses no store`));
  try {
    return await runCommand(command, args, { io, openStore, actor, commands: COMMANDS });
  } catch (error) {
    if (!(AppError.isInstance(error) && error.code === 'database_locked' && command.store)) return exitCodeFor(error, io);
    try {
      return await throughServer(command, args, resolveDbPath(dbFlag, env), error, io, env);
    } catch (refused) {
      return exitCodeFor(refused, io);
    }
  } finally {
    await store.close();
  }
}

/**
 * The store is locked: when its holder is a live firstcall server that wrote an endpoint file, the
 * command goes there (FIRSTCALL_API_KEY, else the server's local token); otherwise it is busy.
 */
async function throughServer(command: AnyCommand, args: Record<string, unknown>, dbPath: string, locked: AppError, io: CommandIO, env: NodeJS.ProcessEnv): Promise<number> {
  const endpoint = findEndpoint(dbPath);
  if (!endpoint || !heldBy(locked, endpoint)) throw locked;
  if (!command.remote) {
    throw new AppError('database_locked', `${locked.message} (firstcall ${command.name} does not run through the firstcall server at ${endpoint.url}: stop it first)`);
  }
  const apiKey = env.FIRSTCALL_API_KEY?.trim();
  const key = apiKey || readLocalToken(endpoint);
  const keySource = apiKey ? 'the key in FIRSTCALL_API_KEY' : `the local token in ${endpoint.token_file}`;
  const result = await forwardCommand(command, argsForServer(command, args, process.cwd(), env), { endpoint, key, keySource, actor: env.USER || 'cli' });
  return printResult(result, io);
}

/** Whether the lock DuckDB reported is held by the endpoint's process (when DuckDB names a PID). */
function heldBy(locked: AppError, endpoint: Endpoint): boolean {
  const cause = locked.cause instanceof Error ? locked.cause.message : '';
  const pid = /\(PID (\d+)\)/.exec(cause)?.[1];
  return pid === undefined || Number(pid) === endpoint.pid;
}
