// `firstcall serve`: the API and the web UI on one port; the server owns the database while it runs,
// and takes the CLI's commands for it (an endpoint file and a local admin token next to the store).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildApp, buildReplicaApp } from '../../server/app.ts';
import { usageError } from '../../server/domain/errors.ts';
import { ReplicaConfigs } from '../../server/scale/config-mirror.ts';
import { ReplicaAnswers } from '../../server/scale/replica-answers.ts';
import { RedisUrl } from '../../server/scale/redis-options.ts';
import { startReplication } from '../../server/services/replication.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { attachLocalCli } from '../../server/services/local-cli.ts';
import { getSettings } from '../../server/services/settings.ts';
import type { Database } from '../../server/storage/database.ts';
import { defineCommand, type AnyCommand } from '../command.ts';
import { EXIT } from '../io.ts';
import { commandRunner } from '../remote.ts';
import { newLocalToken, publishEndpoint } from '../server-endpoint.ts';

export const DEFAULT_PORT = 4310;

export interface Server {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions {
  port?: number;
  host?: string;
  logger?: boolean;
  /** Commands the CLI may send to this server (POST /api/cli/:command); none when absent. */
  commands?: readonly AnyCommand[];
  /** Redis URL: mirror configs and keys for answer replicas and store the exchanges they log (server/scale). */
  redis?: string;
}

/**
 * Starts the server on an open store (refreshing FCR estimates first) and closes it with grace. With
 * `commands`, it writes `<db>.server.json` and the local token next to the store, removed on close.
 */
export async function startServer(db: Database, options: ServerOptions = {}): Promise<Server> {
  await refreshFcrEstimates(db, (await getSettings(db)).fcr_window_days);
  const app = await buildApp({ db, logger: options.logger ?? false, ...(options.redis ? { redis: options.redis } : {}) });
  const token = newLocalToken();
  const detach = options.commands
    ? attachLocalCli(db, { token, run: commandRunner(options.commands, db, (error) => app.log.error({ err: error }, 'CLI command crashed')) })
    : () => undefined;
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  } catch (error) {
    detach();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`;
  const endpoint = options.commands && db.path !== ':memory:' ? publishEndpoint(db.path, url, token) : undefined;
  const replication = options.redis ? await startReplication(db, options.redis, { log: (err, message) => app.log.error({ err }, message) }) : undefined;
  return {
    app,
    url,
    close: async () => {
      endpoint?.remove();
      detach();
      await app.close();
      await replication?.close();
    },
  };
}

/** An answer replica: no store; configs, keys, customers and the knowledge base from the primary's mirror in Redis. */
export async function startReplica(options: { redis: string; port?: number; host?: string; logger?: boolean }): Promise<Server> {
  const mirror = await ReplicaConfigs.open(options.redis);
  const answers = await ReplicaAnswers.open(options.redis, mirror).catch(async (error: unknown) => {
    await mirror.close();
    throw error;
  });
  const closeMirror = () => Promise.all([answers.close(), mirror.close()]);
  const app = await buildReplicaApp({ configs: mirror, keys: mirror, answers, logger: options.logger ?? false });
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? DEFAULT_PORT, host });
  } catch (error) {
    await closeMirror();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    app,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/`,
    close: async () => {
      await app.close();
      await closeMirror();
    },
  };
}

/** Resolves when the process is asked to stop. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

export const serve = defineCommand({
  name: 'serve',
  description: 'serve the API and the web UI (the server owns the database while it runs; the CLI sends its commands there)',
  options: [
    { flags: '--port <n>', help: 'port (0: any free port)', default: String(DEFAULT_PORT) },
    { flags: '--host <host>', help: 'address to listen on', default: '127.0.0.1' },
    { flags: '--redis <url>', help: 'scale out: eval runs started here go to `firstcall worker` processes; promoted configs and API keys are mirrored for answer replicas (--replica), and the exchanges they log are stored here' },
    { flags: '--replica', help: 'an answer replica (needs --redis): serves /v1/configs, /v1/models, /v1/answer and /v1/chat/completions from the primary’s mirror without opening the store; the exchanges it logs go to the primary' },
  ],
  args: z.object({
    port: z.coerce.number().int('--port must be a whole number').min(0).max(65_535).default(DEFAULT_PORT),
    host: z.string().min(1).default('127.0.0.1'),
    redis: RedisUrl.optional(),
    replica: z.boolean().default(false),
  }),
  store: true,
  async run(args, { io, openStore, commands }) {
    if (args.replica) {
      if (!args.redis) throw usageError('--replica needs --redis URL: a replica gets its configs and keys from the primary through Redis');
      const replica = await startReplica({ redis: args.redis, port: args.port, host: args.host, logger: true });
      io.out(`firstcall answer replica at ${replica.url} (configs from ${args.redis.replace(/\/\/[^@/]*@/, '//***@')}; no store; Ctrl-C to stop)`);
      const signal = await untilSignal();
      io.err(`${signal}: closing`);
      await replica.close();
      return EXIT.ok;
    }
    const db = await openStore();
    const server = await startServer(db, { port: args.port, host: args.host, logger: true, commands, redis: args.redis });
    io.out(`firstcall is serving ${db.path} at ${server.url} (API under /api; Ctrl-C to stop)`);
    const signal = await untilSignal();
    io.err(`${signal}: closing`);
    await server.close();
    return EXIT.ok;
  },
});
