// POST /api/cli/:command on the real app: only while `firstcall serve` attached its runner, only for
// admins (or the server's local token), only for the commands that may run through a server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../scripts/command.ts';
import { COMMANDS } from '../../scripts/commands/index.ts';
import { ingest } from '../../scripts/commands/ingest.ts';
import { commandRunner } from '../../scripts/remote.ts';
import { newLocalToken } from '../../scripts/server-endpoint.ts';
import { buildApp } from '../app.ts';
import { WORKERS_FROM_BYTES } from '../ingest/ingest-service.ts';
import { defaultStageWorkers } from '../ingest/stage-pool.ts';
import { attachLocalCli } from '../services/local-cli.ts';
import { writeCorpus } from '../synthetic/write-corpus.ts';
import { tempDir, tempStore } from '../test-support/temp.ts';
import { fixtureDialogue, labelingStore, type Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let keys: Keys;
let detach: () => void = () => undefined;
const token = newLocalToken();

beforeAll(async () => {
  const store = await labelingStore([fixtureDialogue('d-1'), fixtureDialogue('d-2')]);
  keys = store.keys;
  app = await buildApp({ db: store.db });
  await app.ready();
  detach = attachLocalCli(store.db, { token, run: commandRunner(COMMANDS, store.db) });
});
afterAll(async () => {
  detach();
  await app?.close();
});

const post = (command: string, args: Record<string, unknown>, key: string, actor?: string) =>
  app.inject({ method: 'POST', url: `/api/cli/${command}`, headers: { authorization: `Bearer ${key}` }, payload: { args, ...(actor ? { actor } : {}) } });

describe('POST /api/cli/:command', () => {
  it('runs a command against the open store with the local token and returns its output and exit code', async () => {
    const response = await post('stats', { json: true }, token);
    expect(response.statusCode).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({ exit_code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toMatchObject({ dialogues: 2, turns: expect.any(Number) });
  });

  it('returns a usage error as the CLI prints it, with exit code 2', async () => {
    const result = (await post('suite-show', { name: 'nope' }, keys.admin)).json();
    expect(result.exit_code).toBe(2);
    expect(result.stderr).toMatch(/^firstcall: /);
    const invalid = (await post('quarantine', { limit: 'lots' }, token)).json();
    expect(invalid.exit_code).toBe(2);
    expect(invalid.stderr).toContain('--limit');
  });

  it('refuses commands that do not run through a server, and unknown ones', async () => {
    for (const command of ['keys-create', 'serve', 'demo', 'generate', 'frobnicate']) {
      const response = await post(command, {}, token);
      expect({ command, status: response.statusCode }).toEqual({ command, status: 404 });
      expect(response.json().error.message).toContain('does not run through the server');
    }
  });

  it('runs an ingest with one staging worker fewer than the command line does, leaving a core to the requests it answers', async () => {
    const dir = tempDir();
    const file = join(dir, 'corpus.jsonl');
    await writeCorpus({ n: 10_000, seed: 3, out: file });
    expect(statSync(file).size).toBeGreaterThanOrEqual(WORKERS_FROM_BYTES);
    const served = await post('ingest', { paths: [file], json: true }, token);
    expect(served.json()).toMatchObject({ exit_code: 0 });
    expect(JSON.parse(served.json().stdout).workers).toBe(defaultStageWorkers(1));
    const store = await tempStore(dir);
    const io = { out: (text: string) => void (printed += text), err: () => undefined, isTTY: false };
    let printed = '';
    expect(await runCommand(ingest, { paths: [file], json: true }, { io, openStore: async () => store, actor: 'test', commands: COMMANDS })).toBe(0);
    expect(JSON.parse(printed).workers).toBe(defaultStageWorkers(0));
  });

  it('lets in admins only; a wrong token is unknown', async () => {
    expect((await post('stats', {}, keys.engineer)).statusCode).toBe(403);
    expect((await post('stats', {}, keys.reviewer)).statusCode).toBe(403);
    expect((await post('stats', {}, newLocalToken())).statusCode).toBe(401);
    expect((await post('stats', {}, keys.admin)).statusCode).toBe(200);
  });

  it('takes no commands when no runner is attached (an app not started by firstcall serve)', async () => {
    detach();
    expect((await post('stats', {}, keys.admin)).statusCode).toBe(404);
    expect((await post('stats', {}, token)).statusCode).toBe(401); // the local token went with it
  });
});
