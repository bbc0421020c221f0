import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startMockOpenAI } from '../server/test-support/mock-openai-server.ts';
import { openDatabase } from '../server/storage/database.ts';
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
    // The store has no gold labels: fcr and tone cannot be checked against reviewers, so they do not gate…
    const untrusted = await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/human-replay.yaml', '--db', file, '--fail-under', 'fcr=0.99,tone=0.99');
    expect(untrusted.code).toBe(0);
    expect(untrusted.out).toMatch(/fcr not gated: only 0 labels to check it against \(needs 30\)/);
    // …unless asked to.
    const fail = await run('eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/human-replay.yaml', '--db', file, '--fail-under', 'fcr=0.99,tone=0.99', '--baseline', replay.run_id, '--max-regression', '0', '--gate-untrusted');
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

describe('firstcall eval: a broken run never passes', () => {
  it('exits 3 when every case errored (empty replay cache), and every report says why first', async () => {
    const { db, dir, candidate } = await evalStore(10);
    const file = db.path;
    db.close();
    const emptyCache = join(dir, 'empty-cache');
    mkdirSync(emptyCache);
    const [json, md, xml] = [join(dir, 'r.json'), join(dir, 'r.md'), join(dir, 'r.xml')] as const;
    const r = await run('eval', '--suite', 'eval-test', '--candidate', candidate, '--db', file, '--cache', 'replay', '--cache-dir', emptyCache, '--api-key', 'sk-test', '--json', json, '--markdown', md, '--junit', xml);
    expect(r.code).toBe(3);
    const first = r.out.split('\n')[0]!;
    expect(first).toMatch(/^run incomplete: (\d+) of \1 cases failed \(first error: openai:mock-model: no recorded response/);
    expect(r.out).not.toContain('gate: passed');

    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(Object.keys(report).slice(0, 3)).toEqual(['status', 'reasons', 'passed']);
    expect(report).toMatchObject({ status: 'incomplete', passed: false });
    expect(report.reasons[0]).toBe(first);
    expect(report.candidates[0].completeness).toMatchObject({ complete: false, allowed: 0, max_errors: '0' });
    const markdown = readFileSync(md, 'utf8').split('\n');
    expect(markdown[0]).toBe('## firstcall eval: ⚠️ run incomplete');
    expect(markdown[2]).toMatch(/^\*\*run incomplete: \d+ of \d+ cases failed/);
    const junit = readFileSync(xml, 'utf8');
    expect(junit.indexOf('name="run complete"><error message="run incomplete:')).toBeGreaterThan(0);
    expect(junit.indexOf('name="run complete"')).toBeLessThan(junit.indexOf('#'));

    const reopened = await openDatabase(file);
    expect((await reopened.all<{ status: string }>('SELECT status FROM eval_runs'))[0]!.status).toBe('incomplete');
    reopened.close();

    const promote = await run('promote', '--run', report.candidates[0].run_id, '--channel', 'web', '--force', 'ship it', '--db', file);
    expect(promote.code).toBe(1);
    expect(promote.err).toMatch(/^firstcall: promotion refused: run \S+ is incomplete: \d+ of \d+ cases failed/);
  });

  it('exits 3 with --quiet when the model server is down, and says why on stderr', async () => {
    const { db, candidate } = await evalStore(10);
    const file = db.path;
    db.close();
    const server = await startMockOpenAI();
    await server.close(); // nothing listens on its port any more
    const r = await run('eval', '--suite', 'eval-test', '--candidate', candidate, '--db', file, '--base-url', server.url, '--api-key', 'sk-test', '--cache', 'off', '--retries', '0', '--quiet');
    expect(r.code).toBe(3);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^firstcall: run incomplete: (\d+) of \1 cases failed \(first error: .+\)$/m);
  });

  it('counts a judge that never returns valid JSON as errors (exit 3); --max-errors 100% lets the run through', async () => {
    const { db } = await evalStore(10);
    const file = db.path;
    db.close();
    const judge = await startMockOpenAI({ handler: () => ({ body: { id: 'x', object: 'chat.completion', model: 'judge', choices: [{ index: 0, message: { role: 'assistant', content: 'I think it is fine!' }, finish_reason: 'stop' }] } }) });
    try {
      const args = ['eval', '--suite', 'eval-test', '--candidate', 'evals/candidates/kb-concise.yaml', '--db', file, '--judge', 'openai:judge', '--base-url', judge.url, '--api-key', 'sk-test', '--cache', 'off', '--scorers', 'fcr,tone'];
      const broken = await run(...args);
      expect(broken.code).toBe(3);
      expect(broken.out.split('\n')[0]).toMatch(/^run incomplete: (\d+) of \1 cases failed \(first error: scorers fcr, tone failed: judge openai:judge gave no usable verdict/);
      expect(broken.out).toMatch(/errors (\d+)\/\1/);

      const allowed = await run(...args, '--max-errors', '100%');
      expect(allowed.code).toBe(0);
      expect(allowed.out).toMatch(/gate: passed/);
      const some = await run(...args, '--max-errors', '2');
      expect(some.code).toBe(3);
      expect(some.out.split('\n')[0]).toMatch(/cases failed, more than --max-errors 2 allows/);
    } finally {
      await judge.close();
    }
  });

  it('exits 2 before any call for an unknown --fail-under metric or a bad --max-errors, listing what is valid', async () => {
    const { db, candidate } = await evalStore(10);
    const file = db.path;
    db.close();
    const server = await startMockOpenAI();
    try {
      const base = ['eval', '--suite', 'eval-test', '--candidate', candidate, '--db', file, '--base-url', server.url, '--api-key', 'sk-test', '--cache', 'off'];
      const typo = await run(...base, '--fail-under', 'fcrr=0.5');
      expect(typo.code).toBe(2);
      expect(typo.err).toContain('unknown metric "fcrr"; metrics: fcr, accuracy, tone, escalation, safety, latency, cost, csat, composite');
      const unmeasured = await run(...base, '--scorers', 'fcr', '--fail-under', 'tone=0.5');
      expect(unmeasured.code).toBe(2);
      expect(unmeasured.err).toContain('tone is not measured by --scorers fcr');
      for (const bad of ['lots', '-1', '150%', '5%%', '']) {
        const r = await run(...base, '--max-errors', bad);
        expect(r.code, bad).toBe(2);
        expect(r.err).toContain('--max-errors wants a number of cases');
      }
      expect(server.requests).toHaveLength(0);
      const reopened = await openDatabase(file);
      expect(await reopened.all('SELECT id FROM eval_runs')).toHaveLength(0);
      reopened.close();
    } finally {
      await server.close();
    }
  });
});

describe('firstcall score and calibrate', () => {
  it('scores logged replies into one JSON line per dialogue and stores the scores', async () => {
    const { db, dir } = await evalStore(12);
    const file = db.path;
    db.close();
    const out = join(dir, 'scores.jsonl');
    const result = await run('score', '--scorers', 'fcr,tone,safety', '--out', out, '--db', file, '--language', 'zh', '--json');
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    for (const line of lines) {
      expect(line.dialogue_id).toMatch(/^ev-/);
      expect(Object.keys(line.scores).sort()).toEqual(['fcr', 'safety', 'tone']);
      for (const v of Object.values(line.scores)) expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(JSON.parse(result.out)).toMatchObject({ scored: 6 });
    expect((await run('score', '--scorers', 'latency', '--out', out, '--db', file)).code).toBe(2);
  });

  it("compares a scorer with reviewers' labels and says how far to trust it", async () => {
    const { labelingStore, fixtureDialogue } = await import('../server/test-support/labeling-fixture.ts');
    const { LabelingService } = await import('../server/services/labeling.ts');
    const { createApiKey } = await import('../server/services/api-keys.ts');
    const polite = '您好，非常抱歉给您带来不便！您的手机在保修期内，我们会为您免费维修，请放心。';
    const rude = '自己摔的还想免费？不关我事。';
    const { db } = await labelingStore(
      Array.from({ length: 24 }, (_, i) => fixtureDialogue(`t-${i}`, { turns: [{ role: 'customer', text: '我的手机屏幕碎了，怎么办？' }, { role: 'agent', text: i % 2 ? rude : polite }] })),
    );
    const viewer = (await createApiKey(db, 'reviewer', 'alice')).info;
    const labeling = new LabelingService(db);
    for (let i = 0; i < 24; i++) await labeling.save(`t-${i}`, viewer, { fields: { tone: i % 2 ? 1 : 5, fcr: i % 2 ? 'no' : 'yes' }, status: 'submitted', version: null });
    const file = db.path;
    db.close();
    const result = await run('calibrate', '--scorer', 'tone', '--db', file, '--json');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.out);
    expect(report).toMatchObject({ scorer: 'tone', method: 'offline', n: 24 });
    expect(report.spearman).toBeGreaterThan(0.8);
    expect(report.confusion).toHaveLength(5);
    expect(report.verdict).toMatch(/agreement/);
    expect((await run('calibrate', '--scorer', 'latency', '--db', file)).code).toBe(2);
  });
});
