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

/** Exit codes, decided in one place: 0 done, 1 done but a gate or --strict failed, 2 usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;
