// npm run bench:eval [-- --cases 2000 --latency 20 --concurrency 16]
// Runs N suite cases through the real openai: provider against a local OpenAI-compatible server
// with a fixed latency, with the offline scorers on and results stored in DuckDB; prints wall time
// next to the ideal (N × latency / concurrency), their ratio and peak RSS. If promptfoo is
// installed, the same requests go through promptfoo's Node API in the same run. Last line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCandidate } from '../../server/candidates/load-candidate.ts';
import { renderMessages } from '../../server/candidates/render-prompt.ts';
import { runEval } from '../../server/eval/run-eval.ts';
import { createScoringPool } from '../../server/eval/scoring-pool.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { startMockOpenAI } from '../../server/test-support/mock-openai-server.ts';
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
const dir = mkdtempSync(join(tmpdir(), 'firstcall-eval-bench-'));

try {
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: Math.ceil(n * 1.4), seed: 5, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  await ingestFiles(db, { paths: [corpus] });
  const { suite } = await buildSuite(db, { name: 'bench', split: 'train', size: n, filters: { labeled_only: false }, dir: join(dir, 'suites') });
  const candidate = await loadCandidate('evals/candidates/openai-empathetic.yaml', { root });
  const server = await startMockOpenAI({ latencyMs: latency });
  const provider = createOpenAIProvider({ model: 'mock-model', baseURL: server.url, apiKey: 'sk-bench' });
  const ideal = (suite.cases.length * latency) / concurrency / 1000;
  console.log(`${suite.cases.length} cases, server latency ${latency} ms, concurrency ${concurrency}; ideal ${ideal.toFixed(2)} s`);

  const started = performance.now();
  const names = SCORERS.withTrait('default');
  const scoringPool = createScoringPool(names, 1);
  const outcome = await runEval(db, { suite, candidate, provider, scorers: SCORERS.create(names), scoringPool, concurrency });
  await scoringPool.close();
  const seconds = (performance.now() - started) / 1000;
  const rss = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`firstcall eval:  ${seconds.toFixed(2)} s (${outcome.summary.errors} errors, scored and stored), ratio to ideal ${(seconds / ideal).toFixed(2)} (target <= 1.15), peak RSS ${rss} MB`);

  let promptfoo: { seconds: number } | { skipped: string };
  try {
    const pf = (await import(/* @vite-ignore */ ['promptfoo'].join(''))) as { default?: { evaluate: (config: unknown, options: unknown) => Promise<unknown> }; evaluate?: (config: unknown, options: unknown) => Promise<unknown> };
    const evaluate = pf.evaluate ?? pf.default?.evaluate;
    if (!evaluate) throw new Error('promptfoo has no evaluate()');
    const tests = suite.cases.map((c) => ({ vars: { messages: JSON.stringify(renderMessages(candidate.template, c)) } }));
    const t = performance.now();
    await evaluate(
      { prompts: ['{{messages}}'], providers: [{ id: 'openai:chat:mock-model', config: { apiBaseUrl: server.url, apiKey: 'sk-bench' } }], tests },
      { maxConcurrency: concurrency, cache: false, showProgressBar: false },
    );
    promptfoo = { seconds: (performance.now() - t) / 1000 };
    console.log(`promptfoo:       ${promptfoo.seconds.toFixed(2)} s on the same requests (ratio to ideal ${(promptfoo.seconds / ideal).toFixed(2)})`);
  } catch (error) {
    promptfoo = { skipped: `promptfoo not measured: ${(error as Error).message.split('\n')[0]}` };
    console.log(`promptfoo:       ${promptfoo.skipped} (it is not a dependency: ~2 GB of optional packages; DESIGN.md measured 11–21 s here)`);
  }
  await server.close();
  db.close();
  console.log(
    JSON.stringify({
      bench: 'eval',
      cases: suite.cases.length,
      latency_ms: latency,
      concurrency,
      seconds: Number(seconds.toFixed(3)),
      ideal_seconds: Number(ideal.toFixed(3)),
      ratio: Number((seconds / ideal).toFixed(3)),
      peak_rss_mb: rss,
      errors: outcome.summary.errors,
      promptfoo_seconds: 'seconds' in promptfoo ? Number(promptfoo.seconds.toFixed(3)) : null,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
