// The CLI-through-the-server exchange (POST /api/cli/:command): shared by the route and the CLI.
import { z } from 'zod';

export const CliRequest = z.object({
  /** The command's arguments as the CLI parsed them (paths already absolute), `--db` aside. */
  args: z.record(z.string(), z.unknown()),
  /** Who runs the command, recorded on promotions; taken from the local token's holder only. */
  actor: z.string().min(1).max(100).optional(),
});
export type CliRequest = z.infer<typeof CliRequest>;

export const CliResult = z.object({
  exit_code: z.number().int().min(0).max(255),
  stdout: z.string(),
  stderr: z.string(),
});
export type CliResult = z.infer<typeof CliResult>;
