// A progress line on a terminal (cli-progress), nothing when stderr is not a TTY (CI logs stay clean).
import cliProgress from 'cli-progress';
import type { CommandIO } from './io.ts';

export interface Progress {
  update(values: Record<string, string | number>, value?: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

/** `format` uses cli-progress tokens ({bar}, {value}, {total}, {eta_formatted}) and the keys of `values`. */
export function startProgress(io: CommandIO, format: string, total = 0, values: Record<string, string | number> = {}): Progress {
  if (!io.isTTY) return silent;
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true, fps: 5 });
  bar.start(total, 0, values);
  return {
    update: (payload, value) => (value === undefined ? bar.update(payload) : bar.update(value, payload)),
    stop: () => bar.stop(),
  };
}
