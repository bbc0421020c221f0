import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evalStore } from '../server/test-support/eval-fixture.ts';
import { main } from './cli.ts';
import type { CommandIO } from './io.ts';

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  return { code: await main(argv, io), out, err };
}

describe('firstcall eval', () => {
  it('runs the shipped offline candidates, writes JSON, Markdown and JUnit, and exits by the gate', async () => {
    const { db, dir } = await evalStore();
    const file = db.path;
    db.close();
    const candidates = ['--candidate', 'evals/candidates/kb-concise.yaml', '--candidate', 'evals/candidates/human-replay.yaml'];
    const json = join(dir, 'r.json');
    const pass = await run('eval', '--suite', 'eval-test', ...candidates, '--db', file, '--fail-under', 'safety=0.5', '--json', json, '--markdown', join(dir, 'r.md'), '--junit', join(dir, 'r.xml'));
    expect(pass.err).not.toContain('firstcall:');
    expect(pass.code).toBe(0);
    expect(pass.out).toMatch(/candidate kb-concise \[local:kb\]/);
    expect(pass.out).toMatch(/by language/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report.candidates.map((c: { name: string }) => c.name)).toEqual(['kb-concise', 'human-replay']);
    for (const c of report.candidates) {
      for (const metric of ['fcr', 'accuracy', 'tone']) expect(c.summary.metrics[metric]).toEqual({ mean: expect.any(Number), low: expect.any(Number), high: expect.any(Number), n: expect.any(Number), pass_rate: expect.any(Number) });
      expect(Object.keys(c.summary.by_language).sort()).toEqual(['en', 'zh']);
    }
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toMatch(/^## firstcall eval: ✅ passed/);
    expect(readFileSync(join(dir, 'r.xml'), 'utf8')).toMatch(/<testsuite name="firstcall eval-test \/ kb-concise"/);

    const replay = report.candidates[1];
    const fail = await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/human-replay.yaml', '--db', file, '--fail-under', 'fcr=0.99,tone=0.99', '--baseline', replay.run_id, '--max-regression', '0');
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/gate: FAILED — fcr .* < 0\.99/);
  });

  it('exits 2 on usage and configuration errors', async () => {
    const { db } = await evalStore(10);
    const file = db.path;
    db.close();
    expect((await run('eval', '--suite', 'nope', '--candidate', 'evals/candidates/kb-concise.yaml', '--db', file)).code).toBe(2);
    expect((await run('eval', '--suite', 'eval-test', '--db', file)).code).toBe(2);
    expect((await run('eval', '--suite', 'eval-test', '--candidate', 'missing.yaml', '--db', file)).code).toBe(2);
    expect((await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/kb-concise.yaml', '--fail-under', 'fcr=high', '--db', file)).code).toBe(2);
    const noKey = await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/openai-empathetic.yaml', '--db', file, '--cache', 'off');
    expect(noKey.code).toBe(2);
  });
});
