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
 * Exit codes, one table for every command (scripts/cli.ts maps thrown errors onto it):
 * 0 done / passed; 1 done, but a check failed (quality gate, --strict, promotion refused);
 * 2 usage or configuration error (nothing was run); 3 incomplete: the work could not be done
 * (eval cases failed beyond --max-errors, every label line rejected, an unexpected error).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, incomplete: 3 } as const;
