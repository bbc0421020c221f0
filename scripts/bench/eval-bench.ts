// npm run bench:eval [-- --cases 2000 --latency 20 --concurrency 16]
// Runs N suite cases through the real openai: provider against an OpenAI-compatible server with a
// fixed latency (the shared mock, in a process of its own), with the default offline scorers on
// (in the scoring worker, as `firstcall eval` does) and results stored in DuckDB; then the same
// requests through promptfoo (tools/promptfoo, installed by `prebench:eval`) via its Node API in a
// process of its own, against the same server with the same concurrency, caching off and results
// stored. Prints both times next to the ideal (N × latency / concurrency) and their ratios, and
// firstcall's speed-up over promptfoo, and the CPU seconds firstcall and the model server spent
// over firstcall's run (what to compare on a loaded machine). Between the two, the same requests
// from a bare node:http client (eval-bare-child.mjs): the ratio this machine allows a client that
// does nothing else. Last line: JSON.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCandidate } from '../../server/candidates/load-candidate.ts';
import { renderMessages } from '../../server/candidates/render-prompt.ts';
import { runEval } from '../../server/eval/run-eval.ts';
import { createScoringPool } from '../../server/eval/scoring-pool.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createOpenAIProvider } from '../../server/providers/openai.ts';
import { SCORERS } from '../../server/scorers/registry.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '2000' }, latency: { type: 'string', default: '20' }, concurrency: { type: 'string', default: '16' } } });
const n = Number(values.cases);
const latency = Number(values.latency);
const concurrency = Number(values.concurrency);
const root = join(import.meta.dirname, '..', '..');

const promptfooPackage = join(root, 'tools', 'promptfoo', 'node_modules', 'promptfoo', 'package.json');
if (!existsSync(promptfooPackage)) {
  console.error('bench:eval measures promptfoo side by side, and promptfoo is not installed in tools/promptfoo: run `node scripts/setup-promptfoo.mjs` (`npm run bench:eval` does it first).');
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'firstcall-eval-bench-'));
const children: ChildProcess[] = [];

/** The model server: the shared mock in its own process. */
async function startServer(): Promise<{ url: string; stats: () => Promise<{ count: number; cpu_ms: number }> }> {
  const child = fork(join(root, 'bin', 'run-ts.mjs'), [join(import.meta.dirname, 'eval-mock-child.ts'), String(latency)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve(m.url));
    child.once('exit', (code) => reject(new Error(`the mock server exited (${code})`)));
  });
  const stats = () =>
    new Promise<{ count: number; cpu_ms: number }>((resolve) => {
      child.once('message', (m: { count: number; cpu_ms: number }) => resolve(m));
      child.send({ count: true });
    });
  return { url, stats };
}

interface PromptfooResult {
  seconds: number;
  results: number;
  errors: number;
  version: string;
}

/** Runs a bench child (node, no loader) on a JSON config file; its last stdout line is its JSON result. */
async function runChild<T>(script: string, config: unknown, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const file = join(dir, `${script}.json`);
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [join(import.meta.dirname, script), file], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const last = out.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`${script} failed (exit ${code}): ${(err.trim() || out.trim()).split('\n').slice(-5).join(' | ')}`);
  return JSON.parse(last) as T;
}

/** promptfoo's evaluate() on the same requests, in a child process with its own config dir. */
function runPromptfoo(config: { tests: unknown[]; baseUrl: string; concurrency: number; params: unknown }): Promise<PromptfooResult> {
  return runChild<PromptfooResult>('promptfoo-eval-child.mjs', config, {
    ...process.env,
    PROMPTFOO_DISABLE_TELEMETRY: '1',
    PROMPTFOO_DISABLE_UPDATE: '1',
    PROMPTFOO_CACHE_ENABLED: 'false',
    PROMPTFOO_CONFIG_DIR: mkdtempSync(join(dir, 'promptfoo-config-')),
  });
}

try {
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: Math.ceil(n * 1.4), seed: 5, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  await ingestFiles(db, { paths: [corpus] });
  const { suite } = await buildSuite(db, { name: 'bench', split: 'train', size: n, filters: { labeled_only: false }, dir: join(dir, 'suites') });
  const candidate = await loadCandidate('evals/candidates/openai-empathetic.yaml', { root });
  const server = await startServer();
  const provider = createOpenAIProvider({ model: 'mock-model', baseURL: server.url, apiKey: 'sk-bench' });
  const cases = suite.cases.length;
  const ideal = (cases * latency) / concurrency / 1000;
  console.log(`${cases} cases, server latency ${latency} ms (own process), concurrency ${concurrency}; ideal ${ideal.toFixed(2)} s (N × latency / concurrency)`);

  const names = SCORERS.withTrait('default');
  const mockBefore = await server.stats();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const scoringPool = createScoringPool(names, 1);
  const outcome = await runEval(db, { suite, candidate, provider, scorers: SCORERS.create(names), scoringPool, concurrency });
  await scoringPool.close();
  const seconds = (performance.now() - started) / 1000;
  // CPU seconds over the run: this process (every thread: event loop, scoring worker, V8's and
  // DuckDB's) and the model server's process. On a loaded machine these say more than the time.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  const mockAfter = await server.stats();
  const firstcallRequests = mockAfter.count - mockBefore.count;
  const mockCpuSeconds = (mockAfter.cpu_ms - mockBefore.cpu_ms) / 1000;
  console.log(
    `firstcall eval:  ${seconds.toFixed(2)} s, ratio to ideal ${(seconds / ideal).toFixed(2)} (target <= 1.15); ${firstcallRequests} requests, ${outcome.summary.errors} errors, ${names.length} scorers (${names.join(', ')}), results stored; peak RSS ${rss} MB`,
  );
  console.log(`  CPU over the run: firstcall ${cpuSeconds.toFixed(2)} s (all threads), model server ${mockCpuSeconds.toFixed(2)} s; 1.15x on 2 cores leaves at most ${(2 * 1.15 * ideal).toFixed(2)} s for both`);

  // The same messages firstcall sent, one request per case (rendered before the clock starts).
  const rendered = suite.cases.map((c) => renderMessages(candidate.template, c));
  const bare = await runChild<{ seconds: number; results: number; errors: number }>('eval-bare-child.mjs', {
    bodies: rendered.map((messages) => JSON.stringify({ model: 'mock-model', messages, ...candidate.spec.params })),
    baseUrl: server.url,
    concurrency,
  });
  if (bare.errors > 0) throw new Error(`the bare client got ${bare.errors} failed calls of ${bare.results}`);
  console.log(
    `bare node:http client: ${bare.seconds.toFixed(2)} s, ratio to ideal ${(bare.seconds / ideal).toFixed(2)}: what this machine and model server allow a client that only makes the calls (keep-alive, same requests, no scoring or storing); firstcall's time over it ${(seconds / bare.seconds).toFixed(2)}`,
  );
  const tests = rendered.map((messages) => ({ vars: { messages: JSON.stringify(messages) } }));
  const beforePromptfoo = await server.stats();
  const promptfoo = await runPromptfoo({ tests, baseUrl: server.url, concurrency, params: candidate.spec.params });
  const promptfooRequests = (await server.stats()).count - beforePromptfoo.count;
  if (promptfoo.results !== cases) throw new Error(`promptfoo returned ${promptfoo.results} results for ${cases} tests`);
  const speedup = promptfoo.seconds / seconds;
  console.log(
    `promptfoo ${promptfoo.version}: ${promptfoo.seconds.toFixed(2)} s, ratio to ideal ${(promptfoo.seconds / ideal).toFixed(2)}; ${promptfooRequests} requests, ${promptfoo.errors} errors, no assertions, results stored`,
  );
  console.log(`firstcall is ${speedup.toFixed(1)}x faster than promptfoo on the same requests (target >= 5)`);
  db.close();
  console.log(
    JSON.stringify({
      bench: 'eval',
      cases,
      latency_ms: latency,
      concurrency,
      seconds: Number(seconds.toFixed(3)),
      ideal_seconds: Number(ideal.toFixed(3)),
      ratio: Number((seconds / ideal).toFixed(3)),
      peak_rss_mb: rss,
      cpu_seconds: Number(cpuSeconds.toFixed(3)),
      mock_cpu_seconds: Number(mockCpuSeconds.toFixed(3)),
      errors: outcome.summary.errors,
      bare_client_seconds: Number(bare.seconds.toFixed(3)),
      bare_client_ratio: Number((bare.seconds / ideal).toFixed(3)),
      promptfoo_seconds: Number(promptfoo.seconds.toFixed(3)),
      promptfoo_ratio: Number((promptfoo.seconds / ideal).toFixed(3)),
      promptfoo_errors: promptfoo.errors,
      speedup_vs_promptfoo: Number(speedup.toFixed(2)),
    }),
  );
} finally {
  for (const child of children) if (child.exitCode === null) child.kill();
  rmSync(dir, { recursive: true, force: true });
}
