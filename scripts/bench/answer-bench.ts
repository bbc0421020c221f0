// npm run bench:answer [-- --seconds 8 --connections 50 --latency 20 --n 2000 --profile DIR]
// (--profile: CPU profiles of the servers' main threads during the rounds that measure CPU per request)
// POST /v1/answer under load, each server in its own process (the load generator never shares their
// event loop): channel `web` promoted with a model behind a 20 ms OpenAI-compatible mock, next to a
// bare fastify route awaiting the same mock (two alternating rounds each after a warm-up); then
// channel `app` promoted with the offline bot (local:kb). While each load runs, GET /v1/configs/web
// is probed on 2 more connections; its p99 on the idle server is the reference. The bodies are
// the first customer messages of dialogues outside the knowledge base (dev and test splits).
// Then second turns: each request continues (dialogue_id) one of 400 dialogues started before it.
// Last line: JSON with `ratio` (answer / bare, mock model), `offline_p99_ms`, `configs_p99_ms`, `continuation_rps`.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { evaluate } from '../../server/services/evaluate.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { promote } from '../../server/services/promotion.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { splitOf } from '../../server/services/splits.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    connections: { type: 'string', default: '50' },
    latency: { type: 'string', default: '20' },
    n: { type: 'string', default: '2000' },
    profile: { type: 'string' },
  },
});
const duration = Number(values.seconds);
const connections = Number(values.connections);
const latencyMs = Number(values.latency);
const PROBE_CONNECTIONS = 2;
const dir = mkdtempSync(join(tmpdir(), 'firstcall-answer-bench-'));
const root = join(import.meta.dirname, '..', '..');
const children: ChildProcess[] = [];

/** CPU time (user + system, all threads: the local:kb workers too) a child has used so far, in ms (Linux /proc). */
function cpuMs(url: string): number {
  const pid = pids.get(url);
  if (pid === undefined) return NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, in clock ticks of 1/100 s
  } catch {
    return NaN;
  }
}
const pids = new Map<string, number>();

async function startChild(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = spawn(process.execPath, [join(root, 'bin', 'run-ts.mjs'), join(import.meta.dirname, 'answer-child.ts'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env, ...(values.profile ? { BENCH_PROFILE_DIR: values.profile } : {}) },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      const url = /http:\/\/\S+/.exec(d.toString())?.[0];
      if (url) {
        pids.set(url, child.pid!);
        resolve(url);
      }
    });
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}`)));
  });
}

interface Load {
  rps: number;
  /** Requests answered during the load. */
  requests: number;
  /** CPU ms the measured server process used per request (NaN where /proc is missing). */
  cpuPerRequest: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const summary = (r: autocannon.Result, cpu = NaN): Load => ({
  rps: r.requests.average,
  requests: r.requests.total,
  cpuPerRequest: cpu / Math.max(1, r.requests.total),
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts,
  non2xx: r.non2xx,
});

/** 50 connections posting answer requests in turn from `bodies` (the CPU figure is meant for loads without the configs probe). */
async function answerLoad(url: string, headers: Record<string, string>, bodies: string[], seconds = duration, profile = false): Promise<Load> {
  let i = 0;
  const pid = pids.get(url);
  if (profile && values.profile && pid) process.kill(pid, 'SIGUSR2');
  const cpu0 = cpuMs(url);
  const result = await autocannon({
    url: `${url}/v1/answer`,
    connections,
    duration: seconds,
    requests: [{ method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: bodies[i++ % bodies.length]! }) }],
  });
  const cpu = cpuMs(url) - cpu0;
  if (profile && values.profile && pid) process.kill(pid, 'SIGUSR2');
  return summary(result, cpu);
}

function configsProbe(url: string, headers: Record<string, string>, seconds = duration): Promise<Load> {
  return autocannon({ url: `${url}/v1/configs/web`, connections: PROBE_CONNECTIONS, duration: seconds, headers }).then((r) => summary(r));
}

/** An answer load with the configs probe running beside it. */
async function withProbe(load: Promise<Load>, probe: () => Promise<Load>): Promise<{ answer: Load; configs: Load }> {
  const [answer, configs] = await Promise.all([load, probe()]);
  return { answer, configs };
}

/** First customer messages (and customer ids) of dialogues the knowledge base does not hold. */
async function requestBodies(corpus: string, channel: string, limit = 400): Promise<string[]> {
  const bodies: string[] = [];
  for await (const line of createInterface({ input: createReadStream(corpus) })) {
    const d = JSON.parse(line) as { id?: string; customer_id?: string; turns?: { role: string; text: string }[] };
    if (d.id === undefined || splitOf(d.id) === 'train') continue;
    const text = d.turns?.find((t) => t.role === 'customer')?.text;
    if (!text) continue;
    bodies.push(JSON.stringify({ channel, ...(d.customer_id ? { customer_id: d.customer_id } : {}), messages: [{ role: 'customer', text }] }));
    if (bodies.length >= limit) break;
  }
  return bodies;
}

/** Starts one dialogue per body (one request at a time) and returns the bodies of their second turns. */
async function continuationBodies(url: string, headers: Record<string, string>, bodies: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const body of bodies) {
    const response = await fetch(`${url}/v1/answer`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    if (!response.ok) throw new Error(`starting a dialogue: ${response.status} ${await response.text()}`);
    const { answer, dialogue_id } = (await response.json()) as { answer: string; dialogue_id: string };
    const first = JSON.parse(body) as { channel: string; customer_id?: string; messages: { role: string; text: string }[] };
    const zh = /\p{Script=Han}/u.test(first.messages[0]!.text);
    const next = { role: 'customer', text: zh ? '好的，那大概还要多久？' : 'OK, and how long will that take?' };
    out.push(JSON.stringify({ ...first, dialogue_id, messages: [...first.messages, { role: 'agent', text: answer }, next] }));
  }
  return out;
}

const round3 = (x: number) => (Number.isFinite(x) ? Number(x.toFixed(3)) : null);
const fmt = (l: Load) =>
  `${Math.round(l.rps).toLocaleString('en-US')} req/s, p50 ${l.p50} ms, p99 ${l.p99} ms${l.errors + l.non2xx > 0 ? `, errors ${l.errors}, non-2xx ${l.non2xx}` : ''}`;

try {
  const mockUrl = await startChild(['mock', String(latencyMs)]);

  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n: Number(values.n), seed: 3, out: corpus });
  const dbPath = join(dir, 'answer.duckdb');
  const db = await openDatabase(dbPath);
  await ingestFiles(db, { paths: [corpus] });
  await buildSuite(db, { name: 'answer', split: 'test', filters: { labeled_only: false }, dir: join(dir, 'suites') });
  const mockCandidate = join(dir, 'mock-model.yaml');
  writeFileSync(mockCandidate, 'name: mock-model\nprompt: prompts/concise-v1.yaml\nmodel: openai:mock-model\nparams:\n  temperature: 0\n  max_tokens: 400\n');
  const provider = { openai: { baseURL: mockUrl, apiKey: 'bench' } };
  const mockRun = await evaluate(db, { suite: 'answer', candidates: [mockCandidate], root, cache: 'off', provider });
  await promote(db, { runId: mockRun.report.candidates[0]!.run_id, channel: 'web', by: 'bench', force: 'bench: the mock model echoes the question' });
  const kbRun = await evaluate(db, { suite: 'answer', candidates: ['evals/candidates/kb-concise.yaml'], root, cache: 'off' });
  await promote(db, { runId: kbRun.report.candidates[0]!.run_id, channel: 'app', by: 'bench', force: 'bench: the offline bot under load' });
  const { key } = await createApiKey(db, 'bot', 'bench-bot');
  db.close();
  const webBodies = await requestBodies(corpus, 'web');
  const appBodies = await requestBodies(corpus, 'app');

  const ours = await startChild(['firstcall', dbPath], { FIRSTCALL_OPENAI_BASE_URL: mockUrl, FIRSTCALL_OPENAI_API_KEY: 'bench', ...(process.env.BENCH_TRACE_SQL ? { FIRSTCALL_TRACE_SQL: process.env.BENCH_TRACE_SQL } : {}) });
  const bare = await startChild(['bare', mockUrl]);
  const headers = { authorization: `Bearer ${key}` };

  // Warm-up: JIT, connection pools, the offline bot's knowledge base (3 s each; shorter in a short run).
  const warmUp = Math.min(3, duration);
  await answerLoad(ours, headers, webBodies, warmUp);
  await answerLoad(bare, headers, webBodies, warmUp);
  await answerLoad(ours, headers, appBodies, warmUp);
  const quiet = await configsProbe(ours, headers);
  // CPU per request, without the configs probe beside (it would count its requests' CPU too).
  const cpuRound = Math.max(2, duration / 2);
  const mockCpu = await answerLoad(ours, headers, webBodies, cpuRound, true);
  const bareCpu = await answerLoad(bare, headers, webBodies, cpuRound, true);
  const offlineCpu = await answerLoad(ours, headers, appBodies, cpuRound, true);

  // Two alternating rounds each, so drift in machine load hits both alike.
  const probe = () => configsProbe(ours, headers);
  const m1 = await withProbe(answerLoad(ours, headers, webBodies), probe);
  const b1 = await answerLoad(bare, headers, webBodies);
  const b2 = await answerLoad(bare, headers, webBodies);
  const m2 = await withProbe(answerLoad(ours, headers, webBodies), probe);
  const offline = await withProbe(answerLoad(ours, headers, appBodies), probe);
  // Second turns: each body continues one of 400 dialogues started just before (mock model).
  const continued = await continuationBodies(ours, headers, webBodies);
  const continuation = await answerLoad(ours, headers, continued, cpuRound, true);

  const pair = (a: Load, b: Load): Load => ({
    rps: (a.rps + b.rps) / 2,
    requests: a.requests + b.requests,
    cpuPerRequest: NaN,
    p50: Math.max(a.p50, b.p50),
    p99: Math.max(a.p99, b.p99),
    errors: a.errors + b.errors,
    non2xx: a.non2xx + b.non2xx,
  });
  const mock = pair(m1.answer, m2.answer);
  const bareLoad = pair(b1, b2);
  const mockConfigs = pair(m1.configs, m2.configs);
  const ratio = mock.rps / bareLoad.rps;
  console.log(`${connections} connections, ${duration} s per round, mock model ${latencyMs} ms; /v1/configs/web probed on ${PROBE_CONNECTIONS} more connections during each load`);
  console.log(`firstcall POST /v1/answer, mock model:   ${fmt(mock)}`);
  console.log(`bare fastify route, same mock model:     ${fmt(bareLoad)}`);
  console.log(`ratio answer/bare: ${ratio.toFixed(2)} (target >= 0.8)`);
  console.log(`CPU of the server process per request (user + system, all threads; separate ${cpuRound} s rounds without the probe):`);
  console.log(`  firstcall, mock model ${mockCpu.cpuPerRequest.toFixed(3)} ms; bare route ${bareCpu.cpuPerRequest.toFixed(3)} ms; firstcall, local:kb ${offlineCpu.cpuPerRequest.toFixed(3)} ms`);
  console.log(`firstcall POST /v1/answer, local:kb:     ${fmt(offline.answer)} (target p99 <= 50 ms)`);
  console.log(`second turns (dialogue_id), mock model: ${fmt(continuation)}; ${continuation.cpuPerRequest.toFixed(3)} ms CPU per request (no target; without the probe)`);
  console.log(`GET /v1/configs/web idle:                ${fmt(quiet)}`);
  console.log(`GET /v1/configs/web during mock load:    ${fmt(mockConfigs)}`);
  console.log(`GET /v1/configs/web during local:kb load: ${fmt(offline.configs)}`);
  console.log(
    JSON.stringify({
      bench: 'answer',
      connections,
      seconds: duration,
      latency_ms: latencyMs,
      answer_rps: Math.round(mock.rps),
      bare_rps: Math.round(bareLoad.rps),
      ratio: Number(ratio.toFixed(3)),
      answer_p99_ms: mock.p99,
      bare_p99_ms: bareLoad.p99,
      offline_rps: Math.round(offline.answer.rps),
      offline_p50_ms: offline.answer.p50,
      offline_p99_ms: offline.answer.p99,
      answer_cpu_ms_per_request: round3(mockCpu.cpuPerRequest),
      bare_cpu_ms_per_request: round3(bareCpu.cpuPerRequest),
      offline_cpu_ms_per_request: round3(offlineCpu.cpuPerRequest),
      continuation_rps: Math.round(continuation.rps),
      continuation_p99_ms: continuation.p99,
      continuation_cpu_ms_per_request: round3(continuation.cpuPerRequest),
      configs_p99_ms: Math.max(offline.configs.p99, mockConfigs.p99),
      configs_p99_offline_ms: offline.configs.p99,
      configs_p99_mock_ms: mockConfigs.p99,
      configs_p99_idle_ms: quiet.p99,
      errors: mock.errors + offline.answer.errors + continuation.errors,
      non2xx: mock.non2xx + offline.answer.non2xx + continuation.non2xx,
    }),
  );
} finally {
  // Each child gone before its store's folder is (a server still logging would find no journal).
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((resolve) => c.once('exit', resolve).kill()))));
  rmSync(dir, { recursive: true, force: true });
}
