// `firstcall serve`: the API and the web UI on one port; the server owns the database while it runs.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { getSettings } from '../../server/services/settings.ts';
import { openDatabase, resolveDbPath, type Database } from '../../server/storage/database.ts';
import type { CommandIO } from '../io.ts';

export const DEFAULT_PORT = 4310;

export interface Server {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** Starts the server on an open store (refreshing FCR estimates first) and closes it with grace. */
export async function startServer(db: Database, options: { port?: number; host?: string; logger?: boolean } = {}): Promise<Server> {
  await refreshFcrEstimates(db, (await getSettings(db)).fcr_window_days);
  const app = await buildApp({ db, logger: options.logger ?? false });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`, close: () => app.close() };
}

/** Resolves when the process is asked to stop. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

export async function serveCommand(args: { db?: string; port?: number; host?: string }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  const server = await startServer(db, { port: args.port, host: args.host, logger: true });
  io.out(`firstcall is serving ${db.path} at ${server.url} (API under /api; Ctrl-C to stop)`);
  const signal = await untilSignal();
  io.err(`${signal}: closing`);
  await server.close();
  db.close();
  return 0;
}
