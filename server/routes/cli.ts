// POST /api/cli/:command: `firstcall` on the same machine sends a command here while this server holds
// the store (DuckDB allows one writer); the command runs in this process against the open store, with
// its output and exit code returned as the CLI would have printed them. Admins only; the local token
// `firstcall serve` writes next to the store authenticates as the admin `local-cli`.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../domain/api.ts';
import { CliRequest, CliResult } from '../domain/cli.ts';
import { AppError } from '../domain/errors.ts';
import { LOCAL_CLI_VIEWER, type LocalCli } from '../services/local-cli.ts';

/** `localCli` gives the runner attached to the app's store by `firstcall serve`, if any. */
export const cliRoutes: FastifyPluginAsyncZod<{ localCli: () => LocalCli | undefined }> = async (app, { localCli }) => {
  app.post('/api/cli/:command', {
    config: { roles: ['admin'] },
    schema: {
      params: z.object({ command: z.string().regex(/^[a-z][a-z-]{0,39}$/, 'a command id such as suite-build') }),
      body: CliRequest,
      response: { 200: CliResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
    handler: async (request) => {
      const cli = localCli();
      if (!cli) throw new AppError('not_found', 'this server takes no CLI commands (it was not started by firstcall serve)');
      // The local token's holder is the machine's user, who names themself; a key's holder is its name.
      const actor = request.viewer.id === LOCAL_CLI_VIEWER.id ? (request.body.actor ?? LOCAL_CLI_VIEWER.name) : request.viewer.name;
      return cli.run(request.params.command, request.body.args, actor);
    },
  });
};
