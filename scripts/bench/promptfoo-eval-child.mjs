// bench:eval's promptfoo side, in a process of its own: the real promptfoo package (tools/promptfoo)
// through its Node API evaluate(), the same requests (one test per suite case, its rendered messages
// as the prompt) to the same server with the same concurrency, caching off, results written to its
// own store (a temporary PROMPTFOO_CONFIG_DIR). Arg: a JSON file {tests, baseUrl, concurrency, params}.
// Prints one JSON line last: {seconds, results, errors, version}; seconds times evaluate() only.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { tests, baseUrl, concurrency, params } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const pkgDir = join(import.meta.dirname, '..', '..', 'tools', 'promptfoo', 'node_modules', 'promptfoo');
const { version } = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const promptfoo = await import(pathToFileURL(join(pkgDir, 'dist', 'src', 'index.js')).href);
const evaluate = promptfoo.evaluate ?? promptfoo.default?.evaluate;
if (typeof evaluate !== 'function') throw new Error(`promptfoo ${version} has no evaluate()`);

const started = performance.now();
const summary = await evaluate(
  {
    prompts: ['{{messages}}'],
    providers: [{ id: 'openai:chat:mock-model', config: { apiBaseUrl: baseUrl, apiKey: 'sk-bench', ...params } }],
    tests,
    writeLatestResults: true,
  },
  { maxConcurrency: concurrency, cache: false, showProgressBar: false },
);
const seconds = (performance.now() - started) / 1000;
const results = (typeof summary.toEvaluateSummary === 'function' ? await summary.toEvaluateSummary() : summary).results ?? [];
const errors = results.filter((r) => r.error || r.response?.error).length;
console.log(JSON.stringify({ seconds, results: results.length, errors, version }));
process.exit(0);
