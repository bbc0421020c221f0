// A real `firstcall serve` child process holds a store; the CLI's commands on that store go through
// it and print what, and exit as, they would have run directly (checked against a copy of the store).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalStore, REPO } from '../server/test-support/eval-fixture.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';
import { endpointFileOf, tokenFileOf } from './server-endpoint.ts';

type Run = { code: number; out: string; err: string };
async function run(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Run> {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  return { code: await main(argv, io, env), out, err };
}

/** Starts a child and resolves once a line of its stdout matches `ready`. */
function startChild(args: string[], ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, args, { cwd: REPO, env: { ...process.env, FIRSTCALL_API_KEY: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited ${code}: ${output}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });

/** What must not differ between a direct run and one through the server: the exit code and the output's shape. */
const shape = (r: Run) => ({ code: r.code, out: r.out.replace(/run-[\w-]+|\d+(\.\d+)?|\/\S+/g, '#'), err: r.err.replace(/\d+/g, '#') });

describe('firstcall commands while `firstcall serve` holds the store', () => {
  let served: string;
  let direct: string;
  let dir: string;
  let keys: Awaited<ReturnType<typeof evalStore>>['keys'];
  let server: { child: ChildProcess; output: () => string };
  const labels = () => join(dir, 'labels.jsonl');

  beforeAll(async () => {
    const store = await evalStore(40);
    ({ dir, keys } = store);
    served = store.db.path;
    store.db.close();
    direct = join(dir, 'direct.duckdb');
    copyFileSync(served, direct);
    writeFileSync(
      labels(),
      [
        JSON.stringify({ dialogue_id: 'ev-000', reviewer: 'alice', fcr: 'yes', accuracy: 'correct', tone: 5 }),
        JSON.stringify({ dialogue_id: 'ev-001', reviewer: 'alice', fcr: 'no', tone: 2 }),
        JSON.stringify({ dialogue_id: 'nope', reviewer: 'alice', fcr: 'yes' }),
      ].join('\n'),
    );
    server = await startChild([join(REPO, 'bin', 'firstcall.mjs'), 'serve', '--port', '0', '--db', served], /firstcall is serving .* at http:\/\/[^ ]+\//);
  });

  afterAll(async () => {
    if (server) await stop(server.child);
  });

  it('publishes its endpoint next to the store, with an owner-only local token', () => {
    const endpoint = JSON.parse(readFileSync(endpointFileOf(served), 'utf8'));
    expect(endpoint).toEqual({ pid: server.child.pid, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/$/), token_file: tokenFileOf(served) });
    expect(server.output()).toContain(endpoint.url);
    expect(statSync(endpoint.token_file).mode & 0o777).toBe(0o600);
    expect(readFileSync(endpoint.token_file, 'utf8').trim()).toMatch(/^fc_local_[\w-]{40,}$/);
  });

  it('runs suite build, eval, labels import, promote and score through the server, as they run directly', async () => {
    const sequence = (db: string, tag: string) => [
      ['suite', 'build', '--name', 'through', '--split', 'train', '--no-labeled-only', '--size', '12', '--dir', join(dir, `suites-${tag}`), '--json', '--db', db],
      ['eval', '--suite', 'through', '--candidate', 'evals/candidates/kb-concise.yaml', '--cache', 'off', '--json', join(dir, `report-${tag}.json`), '--db', db],
      ['labels', 'import', labels(), '--json', '--db', db],
      ['labels', 'import', labels(), '--strict', '--db', db],
      ['score', '--out', join(dir, `scores-${tag}.jsonl`), '--json', '--db', db],
      ['suite', 'show', 'no-such-suite', '--db', db],
    ];
    const viaServer: Run[] = [];
    const here: Run[] = [];
    for (const argv of sequence(served, 'served')) viaServer.push(await run(argv));
    for (const argv of sequence(direct, 'direct')) here.push(await run(argv));
    expect(viaServer.map((r) => r.code)).toEqual([0, 0, 0, 1, 0, 2]);
    expect(viaServer.map(shape)).toEqual(here.map(shape));

    expect(JSON.parse(viaServer[0]!.out)).toMatchObject({ name: 'through', version: 1, cases: 12, created: true, path: join(dir, 'suites-served', 'through', 'v1.json') });
    expect(existsSync(join(dir, 'suites-served', 'through', 'v1.json'))).toBe(true);
    expect(viaServer[1]!.out).toMatch(/candidate kb-concise \[local:kb\]/);
    const report = JSON.parse(readFileSync(join(dir, 'report-served.json'), 'utf8'));
    expect(report.candidates[0].name).toBe('kb-concise');
    expect(JSON.parse(viaServer[2]!.out)).toMatchObject({ imported: 2, rejected: [{ line: 3 }] });
    expect(JSON.parse(viaServer[4]!.out)).toMatchObject({ scored: 40 });
    expect(readFileSync(join(dir, 'scores-served.jsonl'), 'utf8').trim().split('\n')).toHaveLength(40);
    expect(viaServer[5]!.err).toMatch(/^firstcall: /);

    // promote: the gate's verdict and exit code are the same; a forced promotion records who asked.
    const promote = (db: string, runId: string, ...more: string[]) => run(['promote', '--run', runId, '--channel', 'web', '--json', '--db', db, ...more]);
    const directRun = JSON.parse(readFileSync(join(dir, 'report-direct.json'), 'utf8')).candidates[0].run_id;
    const [a, b] = [await promote(served, report.candidates[0].run_id), await promote(direct, directRun)];
    expect(shape(a)).toEqual(shape(b));
    const forced = await promote(served, report.candidates[0].run_id, '--force', 'through the server');
    expect(forced.code, forced.err).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ forced: true, version: expect.any(String) });
    const stats = await run(['stats', '--json', '--db', served]);
    expect(JSON.parse(stats.out)).toMatchObject({ dialogues: 40 });
  });

  it('authenticates with FIRSTCALL_API_KEY when set: an admin key works, a wrong one is a clear usage error', async () => {
    const ok = await run(['suite', 'list', '--db', served], { ...process.env, FIRSTCALL_API_KEY: keys.admin });
    expect(ok.code, ok.err).toBe(0);
    const wrong = await run(['suite', 'list', '--db', served], { ...process.env, FIRSTCALL_API_KEY: 'fc_admin_notAKeyThisServerKnowsAtAll' });
    expect(wrong.code).toBe(2);
    expect(wrong.err).toMatch(/^firstcall: the firstcall server at http:\/\/127\.0\.0\.1:\d+\/ refused the key in FIRSTCALL_API_KEY: unknown or revoked API key/m);
    expect(wrong.err).not.toContain('notAKey');
    const reviewer = await run(['suite', 'list', '--db', served], { ...process.env, FIRSTCALL_API_KEY: keys.reviewer });
    expect(reviewer.code).toBe(2);
    expect(reviewer.err).toContain('an admin key is needed');
  });

  it('says "store busy" (exit 4) for a command that does not run through a server', async () => {
    const r = await run(['keys', 'create', '--role', 'admin', '--db', served]);
    expect(r.code).toBe(4);
    expect(r.err).toMatch(/is open in .*\(PID \d+\).*does not run through the firstcall server/s);
  });

  it('removes the endpoint and the token when the server stops; the store then opens directly', async () => {
    expect(await stop(server.child)).toBe(0);
    expect(existsSync(endpointFileOf(served))).toBe(false);
    expect(existsSync(tokenFileOf(served))).toBe(false);
    const stats = await run(['labels', 'export', '--out', join(dir, 'exported.jsonl'), '--db', served]);
    expect(stats.code, stats.err).toBe(0);
    expect(stats.out).toMatch(/wrote 2 labels/);
  });
});

describe('a store held by a process that is not a firstcall server', () => {
  it('exits 4 (store busy) with the explanation, also when a dead server left its endpoint file', async () => {
    const { db } = await evalStore(4);
    const file = db.path;
    db.close();
    writeFileSync(endpointFileOf(file), JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:9/', token_file: tokenFileOf(file) }));
    const script = "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1]); await i.connect(); console.log('holding'); setInterval(() => {}, 1000);";
    const holder = await startChild(['--input-type=module', '-e', script, file], /holding/);
    try {
      const r = await run(['stats', '--db', file]);
      expect(r.code).toBe(4);
      expect(r.err).toMatch(new RegExp(`^firstcall: The database ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is open in .*\\(PID ${holder.child.pid}\\)`, 'm'));
      expect((await run(['eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/kb-concise.yaml', '--db', file])).code).toBe(4);
    } finally {
      await stop(holder.child);
    }
    expect((await run(['stats', '--db', file])).code).toBe(0);
  });
});
