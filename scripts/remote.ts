// CLI commands through the server that holds the store: the CLI side (make the arguments mean the
// same in the server's process, send them, print what comes back) and the server side (run the same
// command body against the open store, capturing its output and exit code).
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CliResult } from '../server/domain/cli.ts';
import { AppError } from '../server/domain/errors.ts';
import type { LocalCli } from '../server/services/local-cli.ts';
import type { Database } from '../server/storage/database.ts';
import { exitCodeFor, optionKey, runCommand, type AnyCommand } from './command.ts';
import type { CommandIO } from './io.ts';
import type { Endpoint } from './server-endpoint.ts';

/**
 * The arguments as the server must see them: files resolved against the CLI's working directory
 * (`in` paths only when they exist there), relative path defaults resolved the same way, and flags
 * that fall back to the environment filled from the CLI's environment.
 */
export function argsForServer(command: AnyCommand, args: Record<string, unknown>, cwd: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = { ...args };
  const absolute = (value: unknown, kind: 'in' | 'out'): unknown => {
    if (Array.isArray(value)) return value.map((v) => absolute(v, kind));
    if (typeof value !== 'string' || value === '') return value;
    const full = resolve(cwd, value);
    return kind === 'out' || existsSync(full) ? full : value;
  };
  for (const a of command.arguments ?? []) if (a.path) out[a.key] = absolute(out[a.key], a.path);
  for (const o of command.options ?? []) {
    const key = optionKey(o);
    if (out[key] === undefined && o.pathDefault) out[key] = o.pathDefault;
    if (out[key] === undefined && o.env) out[key] = o.env.map((name) => env[name]).find((v) => v !== undefined && v !== '');
    if (o.path) out[key] = absolute(out[key], o.path);
    if (out[key] === undefined) delete out[key];
  }
  return out;
}

export interface ForwardOptions {
  endpoint: Endpoint;
  /** FIRSTCALL_API_KEY, else the server's local token. */
  key: string;
  keySource: string;
  actor: string;
}

/** Sends the command to the server and returns what it printed and its exit code. */
export async function forwardCommand(command: AnyCommand, args: Record<string, unknown>, options: ForwardOptions): Promise<CliResult> {
  const url = new URL(`api/cli/${command.id}`, options.endpoint.url);
  const body = JSON.stringify({ args, actor: options.actor });
  let response: { status: number; text: string };
  try {
    response = await post(url, body, options.key);
  } catch (error) {
    throw new AppError(
      'database_locked',
      `the store is held by the firstcall server at ${options.endpoint.url} (PID ${options.endpoint.pid}), which did not answer (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const message = () => {
    try {
      return (JSON.parse(response.text) as { error?: { message?: string } }).error?.message ?? response.text.slice(0, 200);
    } catch {
      return response.text.slice(0, 200);
    }
  };
  if (response.status === 401 || response.status === 403 || response.status === 429) {
    throw new AppError('unauthorized', `the firstcall server at ${options.endpoint.url} refused ${options.keySource}: ${message()}${response.status === 403 ? ' (an admin key is needed)' : ''}`);
  }
  if (response.status !== 200) throw new AppError('internal', `the firstcall server at ${options.endpoint.url} answered ${response.status}: ${message()}`);
  const parsed = CliResult.safeParse(JSON.parse(response.text));
  if (!parsed.success) throw new AppError('internal', `the firstcall server at ${options.endpoint.url} sent an answer that is not a CLI result`);
  return parsed.data;
}

/** A POST without a response timeout: a command (an eval) may run for long. */
function post(url: URL, body: string, key: string): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${key}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Prints a server's answer as the command would have printed it here. */
export function printResult(result: CliResult, io: CommandIO): number {
  // Each io call ends a line; the captured text already holds those line ends.
  if (result.stdout) io.out(result.stdout.replace(/\n$/, ''));
  if (result.stderr) io.err(result.stderr.replace(/\n$/, ''));
  return result.exit_code;
}

/** The server side: runs a remote-capable command of `commands` against `db`, capturing its output. */
export function commandRunner(commands: readonly AnyCommand[], db: Database, log?: (error: unknown) => void): LocalCli['run'] {
  return async (id, args, actor) => {
    const command = commands.find((c) => c.id === id);
    if (!command?.remote) {
      const ids = commands.filter((c) => c.remote).map((c) => c.id);
      throw new AppError('not_found', `firstcall ${id.replaceAll('-', ' ')} does not run through the server; these do: ${ids.join(', ')}`);
    }
    let stdout = '';
    let stderr = '';
    const line = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);
    const io: CommandIO = { out: (text) => void (stdout += line(text)), err: (text) => void (stderr += line(text)), isTTY: false };
    let exitCode: number;
    try {
      exitCode = await runCommand(command, args, { io, openStore: async () => db, actor, commands, serving: true });
    } catch (error) {
      if (!AppError.isInstance(error)) log?.(error);
      exitCode = exitCodeFor(error, io, { stack: false });
    }
    return { exit_code: exitCode, stdout, stderr };
  };
}
