// What a command may touch of the terminal, injectable so commands run in tests without a process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  isTTY: boolean;
}

export const processIO: CommandIO = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  isTTY: Boolean(process.stderr.isTTY),
};

/**
 * Exit codes, one table for every command (scripts/command.ts maps thrown errors onto it):
 * 0 done / passed; 1 done, but a check failed (quality gate, --strict, promotion refused);
 * 2 usage or configuration error (nothing was run); 3 incomplete: the work could not be done
 * (eval cases failed beyond --max-errors, every label line rejected, an unexpected error);
 * 4 store busy: another process holds the database and the command could not go through a server.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3, busy: 4 } as const;

/** A gated run's exit code: an incomplete run outranks a failed gate (its numbers cannot be trusted either way). */
export function exitCodeForStatus(status: 'passed' | 'gate_failed' | 'incomplete'): number {
  return { passed: EXIT.ok, gate_failed: EXIT.failed, incomplete: EXIT.incomplete }[status];
}

/** Writes a report (`--json`, `--markdown`, `--junit`) to a path, relative to the working directory, making its folder. */
export function writeReportFile(path: string, text: string): void {
  const full = resolve(path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

/** The table as `firstcall --help` prints it. */
export const EXIT_HELP =
  `exit codes: ${EXIT.ok} passed, ${EXIT.failed} a check failed (quality gate, --strict, promotion refused), ${EXIT.usage} usage or configuration error, ` +
  `${EXIT.incomplete} incomplete (cases failed beyond --max-errors, nothing imported), ` +
  `${EXIT.busy} store busy (another process holds the database and no firstcall server there takes the command)`;
