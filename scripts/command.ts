// One way to add a CLI command: a module that defines its flags (with help), its zod argument schema
// and its body (`run`), collected in scripts/commands/index.ts. scripts/cli.ts wires the registry to
// commander; the server's /api/cli route runs the same `run` against the store it holds.
import { CommanderError, Option } from 'commander';
import type { z } from 'zod';
import { AppError, parseOrUsageError } from '../server/domain/errors.ts';
import { replayJournal } from '../server/services/exchange-log.ts';
import { openDatabase, resolveDbPath, type Database } from '../server/storage/database.ts';
import { EXIT, type CommandIO } from './io.ts';

export interface OptionSpec {
  /** Commander flags: `--suite <name>`, `--json`, `--no-redact`. */
  flags: string;
  help: string;
  /** Also shown in the help. */
  default?: unknown;
  choices?: readonly string[];
  required?: boolean;
  /** Turns the text into a value; gets the previous value, so a flag can repeat (`collect`). */
  parse?: (value: string, previous: unknown) => unknown;
  /**
   * A file or folder, resolved against the CLI's working directory before the command goes to a
   * server: `out` always, `in` only when it exists there (else the server resolves it as given).
   */
  path?: 'in' | 'out';
  /** With `path`: a relative default the CLI resolves (so a server writes where the CLI would). */
  pathDefault?: string;
  /** Environment variables the CLI reads in place of an absent flag before sending the command to a server. */
  env?: readonly string[];
}

export interface ArgumentSpec {
  /** The key in the command's arguments. */
  key: string;
  /** Commander syntax: `<file>`, `<paths...>`. */
  syntax: string;
  help: string;
  path?: 'in' | 'out';
}

export interface CommandContext {
  io: CommandIO;
  /**
   * The store: `--db` (else FIRSTCALL_DB, else the default) opened on the first call, or the store
   * a server holds when the server runs the command. Its caller closes it, never the command.
   */
  openStore(): Promise<Database>;
  /** Who acts (recorded on promotions and rollbacks). */
  actor: string;
  /** The registry the command runs from (`serve` hands it to the server for /api/cli). */
  commands: readonly AnyCommand[];
  /** A server runs the command (POST /api/cli) and answers other requests meanwhile. */
  serving?: boolean;
}

export interface CommandSpec<S extends z.ZodType> {
  /** Words after `firstcall`: `eval`, `suite build`. */
  name: string;
  description?: string;
  arguments?: readonly ArgumentSpec[];
  options?: readonly OptionSpec[];
  /** Every argument and option (by commander's camelCase name), `--db` aside. */
  args: S;
  /** Uses the store: gets the shared `--db` option and `ctx.openStore()`. */
  store?: boolean;
  /** May run through the server that holds the store (POST /api/cli/:id). */
  remote?: boolean;
  run(args: z.output<S>, ctx: CommandContext): Promise<number>;
}

export interface Command<S extends z.ZodType = z.ZodType> extends CommandSpec<S> {
  /** `suite-build`: the name in URLs. */
  readonly id: string;
}
export type AnyCommand = Command<z.ZodType>;

export function defineCommand<S extends z.ZodType>(spec: CommandSpec<S>): Command<S> {
  return { ...spec, id: spec.name.trim().split(/\s+/).join('-') };
}

/** The option every store-using command gets, declared once. */
export const DB_OPTION: OptionSpec = { flags: '--db <file>', help: 'database file (default ./data/firstcall.duckdb, or $FIRSTCALL_DB)', path: 'out' };

/** A repeatable flag's values. */
export const collect = (value: string, previous: unknown): string[] => [...(Array.isArray(previous) ? (previous as string[]) : []), value];

/** The key commander gives an option (`--suite-version` → suiteVersion, `--no-redact` → redact). */
export const optionKey = (spec: OptionSpec): string => new Option(spec.flags).attributeName();

/** How a field is named in messages: the flag (`--suite-version`) or the argument (`<file>`). */
export function fieldName(command: AnyCommand, path: readonly PropertyKey[]): string {
  const key = String(path[0] ?? '');
  const option = command.options?.find((o) => optionKey(o) === key);
  if (option) return new Option(option.flags).long ?? key;
  const argument = command.arguments?.find((a) => a.key === key);
  return argument ? argument.syntax : path.map(String).join('.');
}

/** Validates the arguments with the command's schema: one message format for every command. */
export function parseArgs<S extends z.ZodType>(command: Command<S>, input: unknown): z.output<S> {
  return parseOrUsageError(command.args, input, (path) => fieldName(command as AnyCommand, path)) as z.output<S>;
}

/** Validates and runs; throws what the command throws (exitCodeFor turns it into the exit code). */
export async function runCommand(command: AnyCommand, input: unknown, ctx: CommandContext): Promise<number> {
  return command.run(parseArgs(command, input), ctx);
}

/** A store opened on first use from `--db`; `close` closes it if it was opened. */
export function lazyStore(dbFlag?: string): { open(): Promise<Database>; close(): Promise<void> } {
  let opening: Promise<Database> | undefined;
  return {
    // Exchanges a killed `serve` answered but had not yet stored are stored first.
    open: () => (opening ??= openDatabase(resolveDbPath(dbFlag)).then(async (db) => (await replayJournal(db), db))),
    close: async () => {
      const db = await opening?.catch(() => undefined); // an open that failed leaves nothing to close
      db?.close();
    },
  };
}

/** Runs a command body in this process on `input.db` (tests and direct callers); throws its errors. */
export async function runLocal(command: AnyCommand, input: Record<string, unknown>, io: CommandIO, commands: readonly AnyCommand[] = []): Promise<number> {
  const store = lazyStore(typeof input.db === 'string' ? input.db : undefined);
  try {
    return await runCommand(command, input, { io, openStore: store.open, actor: process.env.USER ?? 'cli', commands });
  } finally {
    await store.close();
  }
}

/**
 * The one place errors become exit codes (the table is EXIT in scripts/io.ts). The message goes to
 * stderr; `stack: false` (a server answering a CLI) prints a crash's message without its stack.
 */
export function exitCodeFor(error: unknown, io: CommandIO, options: { stack?: boolean } = {}): number {
  if (error instanceof CommanderError) {
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage; // commander already printed help or the error
  }
  if (AppError.isInstance(error)) {
    io.err(`firstcall: ${error.message}`);
    switch (error.code) {
      case 'usage':
      case 'validation':
      case 'not_found':
      case 'unauthorized':
      case 'forbidden':
        return EXIT.usage; // nothing was run: fix the arguments or the setup
      case 'database_locked':
        return EXIT.busy; // nothing was run: another process holds the store
      case 'conflict':
        return EXIT.failed; // refused by a check (e.g. the promotion gate)
      default:
        return EXIT.incomplete;
    }
  }
  // A crash is never a pass, nor a quality verdict: the work is incomplete.
  const detail = error instanceof Error ? ((options.stack ?? true) ? (error.stack ?? error.message) : error.message) : String(error);
  io.err(`firstcall: ${detail}`);
  return EXIT.incomplete;
}
