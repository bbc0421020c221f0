// `firstcall eval --scorer-model`: which learned models the csat scorer uses; an unknown id exits 2.
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

describe('firstcall eval --scorer-model', () => {
  it('scores csat with the built-in models, and exits 2 on an unknown model id', async () => {
    const { db } = await evalStore(12);
    const file = db.path;
    db.close();
    const base = ['eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/human-replay.yaml', '--db', file, '--scorers', 'csat,fcr'];
    const builtin = await run(...base, '--scorer-model', 'builtin');
    expect(builtin.err).not.toContain('firstcall:');
    expect(builtin.code).toBe(0);
    expect(builtin.out).toMatch(/csat/);
    const latest = await run(...base);
    expect(latest.code).toBe(0);
    const unknown = await run(...base, '--scorer-model', 'zh-csat-v7');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/no scorer model "zh-csat-v7": use latest, builtin/);
    // Checked even when no learned scorer runs.
    expect((await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/human-replay.yaml', '--db', file, '--scorer-model', 'nope')).code).toBe(2);
  });
});
