// What `firstcall serve` attaches to the store it holds so that `firstcall` on the same machine can
// send it commands: a local admin token (accepted by ApiKeyVerifier as `local-cli`) and the runner
// behind POST /api/cli/:command. Keyed by the open store, so an app built on another store has none.
import type { CliResult } from '../domain/cli.ts';
import type { Database } from '../storage/database.ts';

export interface LocalCli {
  /** The token the server wrote next to the store, readable by its owner only. */
  token: string;
  /** Runs a CLI command (by id, e.g. `suite-build`) against this store; throws not_found for one that does not run here. */
  run(command: string, args: Record<string, unknown>, actor: string): Promise<CliResult>;
}

/** The viewer a request carrying the local token authenticates as. */
export const LOCAL_CLI_VIEWER = { id: 'local-cli', name: 'local-cli', role: 'admin', created_at: '1970-01-01T00:00:00Z' } as const;

const attached = new WeakMap<Database, LocalCli>();

/** Attaches `cli` to the store; the returned function detaches it (the token stops working). */
export function attachLocalCli(db: Database, cli: LocalCli): () => void {
  attached.set(db, cli);
  return () => {
    if (attached.get(db) === cli) attached.delete(db);
  };
}

export const localCliOf = (db: Database): LocalCli | undefined => attached.get(db);
