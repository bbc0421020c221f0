// promptfoo out and in, with the real CLI (tools/promptfoo, 0.121.20): a suite exported by
// `firstcall export promptfoo` runs under `promptfoo eval` with local:kb, local:agent and openai: candidates
// (the last against a local OpenAI-compatible server), and every case gets the output and the per-metric scores
// firstcall's own runner gives it; `firstcall import promptfoo` then stores the results as runs that the
// runs API, the leaderboard and compare show beside firstcall's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/io.ts';
import { buildApp } from '../app.ts';
import type { CaseResult, RunRow } from '../domain/runs-api.ts';
import { ingestFiles } from '../ingest/ingest-service.ts';
import { createApiKey } from '../services/api-keys.ts';
import { DEFAULT_SCORERS, evaluate } from '../services/evaluate.ts';
import { PROMPTFOO_BIN } from '../services/promptfoo.ts';
import { buildSuite } from '../services/suites.ts';
import { openDatabase } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { importSyntheticTruth } from '../synthetic/truth-labels.ts';
import { writeCorpus } from '../synthetic/write-corpus.ts';
import { startMockOpenAI, type MockOpenAIServer } from '../test-support/mock-openai-server.ts';
import { tempDir } from '../test-support/temp.ts';

const installed = existsSync(PROMPTFOO_BIN);
if (!installed) console.warn(`promptfoo interop tests skipped: promptfoo is not installed at ${PROMPTFOO_BIN} (npm test's pretest installs it: node scripts/setup-promptfoo.mjs)`);

const REPO = join(import.meta.dirname, '..', '..');
const KB = join(REPO, 'evals', 'candidates', 'kb-concise.yaml');
const AGENT = join(REPO, 'evals', 'candidates', 'agent-empathetic.yaml');

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const io: CommandIO = { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`), isTTY: false };
  return { code: await main(argv, io), out, err };
}

/** The real promptfoo CLI, asynchronously (the mock model server answers from this process), writing nothing to $HOME. */
function promptfooEval(config: string, output: string, env: Record<string, string>): Promise<{ code: number | null; log: string }> {
  const child = spawn(PROMPTFOO_BIN, ['eval', '-c', config, '-o', output, '--no-cache', '--no-table', '--no-progress-bar'], {
    env: { ...process.env, PROMPTFOO_DISABLE_TELEMETRY: '1', PROMPTFOO_DISABLE_UPDATE: '1', PROMPTFOO_CONFIG_DIR: join(dir, 'promptfoo-home'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr.on('data', (d: Buffer) => (log += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, log }));
  });
}

const dir = tempDir('firstcall-promptfoo-');
const file = join(dir, 'store.duckdb');
const out = join(dir, 'export');
const resultsFile = join(out, 'results.json');
let mock: MockOpenAIServer;
let openaiCandidate: string;
/** firstcall's own runs of the same candidates, by candidate name. */
const firstcallRuns = new Map<string, { run_id: string; results: CaseResult[] }>();

interface PromptfooRow {
  provider: { label: string };
  vars: { case_id: string };
  response: { output: string };
  failureReason: number;
  gradingResult: { componentResults: Array<{ pass: boolean; score: number; reason: string; assertion: { metric: string; threshold: number } }> };
}

beforeAll(async () => {
  if (!installed) return;
  const corpus = join(dir, 'synthetic.jsonl');
  await writeCorpus({ n: 300, seed: 7, out: corpus });
  const db = await openDatabase(file);
  await ingestFiles(db, { paths: [corpus] });
  await importSyntheticTruth(db);
  await buildSuite(db, { name: 'pf', split: 'test', size: 5, dir });
  db.close();
  mock = await startMockOpenAI();
  openaiCandidate = join(dir, 'openai-concise.yaml');
  writeFileSync(openaiCandidate, `name: openai-concise\nprompt: ${join(REPO, 'prompts', 'concise-v1.yaml')}\nmodel: openai:mock-model\nparams:\n  temperature: 0\n  max_tokens: 200\n`);
  mkdirSync(join(dir, 'promptfoo-home'), { recursive: true });
}, 120_000);
afterAll(() => mock?.close());

describe.skipIf(!installed)('firstcall export promptfoo, run by the real promptfoo CLI', () => {
  it('gives every case the output and, metric by metric, the score and verdict firstcall eval gives it, with the prompt firstcall renders', async () => {
    const exported = await cli('export', 'promptfoo', '--suite', 'pf', '--candidate', KB, '--candidate', openaiCandidate, '--candidate', AGENT, '--out', out, '--db', file);
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/wrote .*promptfooconfig\.yaml: suite pf v1 \(5 cases\), kb-concise \[local:kb\], openai-concise \[openai:mock-model\], agent-empathetic \[local:agent\]/);
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('promptfoo eval -c ./promptfooconfig.yaml -o ./results.json');
    const config = readFileSync(join(out, 'promptfooconfig.yaml'), 'utf8');
    expect(config).toContain('value: file://assertions.mjs:fcr');
    expect(config).toContain('metric: fcr');

    const env = { FIRSTCALL_OPENAI_BASE_URL: mock.url, FIRSTCALL_OPENAI_API_KEY: 'test-key' };
    const run = await promptfooEval(join(out, 'promptfooconfig.yaml'), resultsFile, env);
    // promptfoo exits 100 when some test failed an assertion: a verdict, not a crash.
    expect([0, 100], run.log).toContain(run.code);
    const promptfooRequests = mock.requests.splice(0).map((r) => JSON.stringify((r.body as { messages: unknown }).messages));
    const rows = (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: { results: PromptfooRow[] } }).results.results;
    expect(rows).toHaveLength(15);
    expect(rows.filter((r) => r.failureReason === 2)).toEqual([]);

    const db = await openDatabase(file);
    try {
      const { report, results } = await evaluate(db, { suite: 'pf', candidates: [KB, openaiCandidate, AGENT], provider: { openai: { baseURL: mock.url, apiKey: 'test-key' } } });
      for (const c of report.candidates) firstcallRuns.set(c.name, { run_id: c.run_id, results: results.get(c.run_id) ?? [] });
    } finally {
      db.close();
    }
    // The model saw the same messages under promptfoo as under firstcall eval.
    const firstcallRequests = mock.requests.splice(0).map((r) => JSON.stringify((r.body as { messages: unknown }).messages));
    expect(promptfooRequests).toHaveLength(5);
    expect([...promptfooRequests].sort()).toEqual([...firstcallRequests].sort());

    for (const [name, { results }] of firstcallRuns) {
      expect(results).toHaveLength(5);
      for (const mine of results) {
        const theirs = rows.find((r) => r.provider.label === name && r.vars.case_id === mine.case_id);
        expect(theirs, `${name} ${mine.case_id}`).toBeDefined();
        expect(theirs!.response.output).toBe(mine.output);
        const byMetric = Object.fromEntries(theirs!.gradingResult.componentResults.map((c) => [c.assertion.metric, c]));
        expect(Object.keys(byMetric).sort()).toEqual([...DEFAULT_SCORERS].sort());
        for (const metric of DEFAULT_SCORERS) {
          const where = `${name} ${mine.case_id} ${metric}`;
          expect({ where, score: byMetric[metric]!.score, pass: byMetric[metric]!.pass }).toEqual({ where, score: mine.scores[metric]!.score, pass: mine.scores[metric]!.pass });
          if (metric !== 'latency') expect(byMetric[metric]!.reason, where).toBe(mine.scores[metric]!.reason);
        }
      }
    }
  }, 180_000);
});

describe.skipIf(!installed)('firstcall import promptfoo', () => {
  it('stores one run per provider, marked as from promptfoo, that the runs API, the leaderboard and compare show beside firstcall’s runs with the same scores', async () => {
    expect(existsSync(resultsFile)).toBe(true);
    const imported = await cli('import', 'promptfoo', resultsFile, '--db', file, '--json');
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.out) as { runs: Array<{ run_id: string; candidate: string; provider: string; results: number; status: string; already: boolean }> };
    expect(result.runs.map((r) => [r.provider, r.candidate, r.results, r.status, r.already]).sort()).toEqual([
      ['agent-empathetic', 'agent-empathetic (promptfoo)', 5, 'done', false],
      ['kb-concise', 'kb-concise (promptfoo)', 5, 'done', false],
      ['openai-concise', 'openai-concise (promptfoo)', 5, 'done', false],
    ]);
    // The same results again add nothing.
    const again = JSON.parse((await cli('import', 'promptfoo', resultsFile, '--db', file, '--json')).out) as { runs: Array<{ run_id: string; already: boolean }> };
    expect(again.runs.map((r) => r.already)).toEqual([true, true, true]);

    const db = await openDatabase(file);
    const app = await buildApp({ db });
    try {
      const as = { authorization: `Bearer ${(await createApiKey(db, 'engineer', 'erin')).key}` };
      const runs = (await app.inject({ url: '/api/runs?suite=pf', headers: as })).json<{ runs: RunRow[] }>().runs;
      expect(runs).toHaveLength(6);
      const leaderboard = await app.inject({ url: '/api/leaderboard?suite=pf', headers: as });
      expect(leaderboard.statusCode).toBe(200);
      expect(leaderboard.json<{ entries: RunRow[] }>().entries.map((e) => e.candidate_name).sort()).toEqual(['agent-empathetic', 'agent-empathetic (promptfoo)', 'kb-concise', 'kb-concise (promptfoo)', 'openai-concise', 'openai-concise (promptfoo)']);

      for (const run of result.runs) {
        const ours = firstcallRuns.get(run.provider)!;
        expect((await new EvalRunRepository(db).source(run.run_id))?.source).toBe('promptfoo');
        const importedRow = runs.find((r) => r.id === run.run_id)!;
        const firstcallRow = runs.find((r) => r.id === ours.run_id)!;
        expect(importedRow.incomplete).toBe(false);
        expect([importedRow.source, firstcallRow.source]).toEqual(['promptfoo', 'firstcall']); // what the UI marks
        for (const metric of [...DEFAULT_SCORERS, 'composite']) {
          if (metric === 'latency') continue; // measured on each run
          expect({ metric, mean: importedRow.summary!.metrics[metric]?.mean }).toEqual({ metric, mean: firstcallRow.summary!.metrics[metric]?.mean });
        }
        const detail = (await app.inject({ url: `/api/runs/${run.run_id}`, headers: as })).json<{ results: Array<{ case_id: string; output: string; scores: Record<string, { score: number; pass: boolean }> }> }>();
        for (const r of detail.results) {
          const mine = ours.results.find((m) => m.case_id === r.case_id)!;
          expect(r.output).toBe(mine.output);
          expect(r.scores.fcr).toMatchObject({ score: mine.scores.fcr!.score, pass: mine.scores.fcr!.pass });
        }
        const compared = await app.inject({ url: `/api/compare?a=${ours.run_id}&b=${run.run_id}`, headers: as });
        expect(compared.statusCode).toBe(200);
        expect(compared.json<{ cases: Array<{ delta: number | null }> }>().cases.map((c) => c.delta)).toEqual([0, 0, 0, 0, 0]);
      }
    } finally {
      await app.close();
      db.close();
    }
  }, 120_000);

  it('refuses a file that is not promptfoo’s results, or not of an exported suite, with exit 2 and the field that is wrong', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ evalId: 'x', results: { version: 2, results: [{ provider: { id: 'p' } }] }, config: {} }));
    const wrongVersion = await cli('import', 'promptfoo', bad, '--db', file);
    expect(wrongVersion.code).toBe(2);
    expect(wrongVersion.err).toMatch(/bad\.json is not a promptfoo results file: results\.version: expected 3/);
    expect(wrongVersion.err).toMatch(/results\.results\.0\.testIdx/);

    writeFileSync(bad, '{"results": ');
    expect((await cli('import', 'promptfoo', bad, '--db', file)).err).toMatch(/bad\.json is not JSON/);

    const foreign = JSON.parse(readFileSync(resultsFile, 'utf8')) as { config: { metadata?: unknown } };
    delete foreign.config.metadata;
    writeFileSync(bad, JSON.stringify(foreign));
    const notExported = await cli('import', 'promptfoo', bad, '--db', file);
    expect(notExported.code).toBe(2);
    expect(notExported.err).toMatch(/config\.metadata\.firstcall/);

    const missing = await cli('import', 'promptfoo', join(dir, 'nope.json'), '--db', file);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/nope\.json: no such file/);
  });
});
