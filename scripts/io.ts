// What a command may touch of the terminal, injectable so commands run in tests without a process.
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

/** The table as `firstcall --help` prints it. */
export const EXIT_HELP =
  `exit codes: ${EXIT.ok} passed, ${EXIT.failed} a check failed (quality gate, --strict, promotion refused), ${EXIT.usage} usage or configuration error, ` +
  `${EXIT.incomplete} incomplete (cases failed beyond --max-errors, nothing imported), ` +
  `${EXIT.busy} store busy (another process holds the database and no firstcall server there takes the command)`;
