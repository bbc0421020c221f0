// npm run bench:label [-- --n 200000 --requests 2000 --mode both|quiet|during-ingest --via cli|direct --labeled 0]
// With N generated dialogues in the store, a reviewer asks for the next item and saves a label for
// it over real HTTP on loopback, and p50/p95/p99 of both are printed: first with nothing else running
// (quiet), then while `firstcall ingest` of another N/2 dialogues runs in the serving process, sent
// the way the CLI sends it when a server holds the store (POST /api/cli/ingest), so the ingest shares
// the process, the event loop and the store with the queue (and, as the command does, brings the FCR
// estimates up to date once loaded, on a connection of its own). `--via direct` calls the ingest use case in the
// serving process instead: the load alone, without the command's refresh. `--labeled K` stores
// another reviewer's submitted labels of K of the dialogues first (a store where labeling has gone on
// for a while; with overlap 1 the queue leaves those out). Last line: JSON.
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { latencyPercentiles } from '../../server/metrics/quantiles.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { LabelRepository } from '../../server/storage/label-repository.ts';
import { LABEL_SCHEMA_VERSION } from '../../server/domain/label.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { COMMANDS } from '../commands/index.ts';
import { startServer } from '../commands/serve.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200000' },
    requests: { type: 'string', default: '2000' },
    mode: { type: 'string', default: 'both' },
    via: { type: 'string', default: 'cli' },
    labeled: { type: 'string', default: '0' },
  },
});
const n = Number(values.n);
const requests = Number(values.requests);
const mode = values.mode;
if (!['both', 'quiet', 'during-ingest'].includes(mode)) throw new Error(`--mode is both, quiet or during-ingest, not ${mode}`);
const via = values.via;
const labeled = Number(values.labeled);
if (!['cli', 'direct'].includes(via)) throw new Error(`--via is cli or direct, not ${via}`);
const TARGET_MS = 20;
const dir = mkdtempSync(join(tmpdir(), 'firstcall-label-bench-'));

interface Phase {
  next: number[];
  save: number[];
}

try {
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n, seed: 11, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  const summary = await ingestFiles(db, { paths: [corpus] });
  await refreshFcrEstimates(db); // as `firstcall ingest` leaves the store
  if (labeled > 0) {
    const ids: string[] = [];
    for await (const line of createInterface({ input: createReadStream(corpus) })) {
      const record = JSON.parse(line) as { id?: string; turns?: unknown };
      if (record.turns !== undefined && record.id !== undefined) ids.push(record.id);
      if (ids.length === labeled) break;
    }
    const vendor = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: [], escalation_needed: 'no', escalated: 'no', reference_answer: '', required_facts: [], notes: '', turn_flags: [] } as const;
    await new LabelRepository(db).upsertMany(ids.map((id) => ({ dialogue_id: id, reviewer: 'vendor', status: 'submitted' as const, schema_version: LABEL_SCHEMA_VERSION, ...vendor, tone_tags: [], required_facts: [], turn_flags: [] })));
  }
  const reviewer = (await createApiKey(db, 'reviewer', 'bench')).key;
  const admin = (await createApiKey(db, 'admin', 'bench-admin')).key;
  const server = await startServer(db, { port: 0, commands: COMMANDS });
  console.log(`store: ${summary.loaded.toLocaleString('en-US')} dialogues${labeled > 0 ? `, ${labeled.toLocaleString('en-US')} of them labeled by another reviewer` : ''}; up to ${requests} next-item and ${requests} save-label requests over HTTP per phase`);
  const headers = { authorization: `Bearer ${reviewer}`, 'content-type': 'application/json' };
  const fields = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: ['polite'], escalation_needed: 'no', escalated: 'no', reference_answer: 'ok', required_facts: [], notes: '', turn_flags: [] };

  const timed = async (work: () => Promise<Response>) => {
    const started = performance.now();
    const response = await work();
    const body = await response.json();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  /** One reviewer's loop: next item, then save a label for it; until `requests` rounds or `until()` says stop. */
  const review = async (until: () => boolean = () => false): Promise<Phase> => {
    const phase: Phase = { next: [], save: [] };
    for (let i = 0; i < requests && !until(); i++) {
      const got = await timed(() => fetch(`${server.url}api/queue/next`, { headers }));
      phase.next.push(got.ms);
      const id = got.body.item.dialogue.id as string;
      const saved = await timed(() =>
        fetch(`${server.url}api/dialogues/${encodeURIComponent(id)}/label`, { method: 'PUT', headers, body: JSON.stringify({ fields, status: 'submitted', version: null }) }),
      );
      phase.save.push(saved.ms);
    }
    return phase;
  };
  // Warm-up (JIT, caches) is not counted.
  for (let i = 0; i < 20; i++) await timed(() => fetch(`${server.url}api/queue/next`, { headers }));

  // CPU of this process (server and client: both run here) per next+save round while nothing else
  // runs in it: a figure the other processes on the machine disturb far less than latencies.
  const cpuBefore = process.cpuUsage();
  const quiet = mode === 'during-ingest' ? undefined : await review();
  const cpuQuiet = process.cpuUsage(cpuBefore);

  let during: (Phase & { ingest_seconds: number; ingested: number }) | undefined;
  if (mode !== 'quiet') {
    const more = join(dir, 'more.jsonl');
    const extra = Math.max(1, Math.floor(n / 2));
    await writeCorpus({ n: extra, seed: 12, out: more }); // other ids: every one of them is new to the store
    let running = true;
    const started = performance.now();
    const viaCli = async () => {
      const response = await fetch(`${server.url}api/cli/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args: { paths: [more], json: true } }),
      });
      const body = (await response.json()) as { exit_code: number; stdout: string; stderr: string };
      if (!response.ok || body.exit_code !== 0) throw new Error(`ingest failed: HTTP ${response.status} ${JSON.stringify(body).slice(0, 500)}`);
      return JSON.parse(body.stdout) as { loaded: number };
    };
    const ingest = (via === 'cli' ? viaCli() : ingestFiles(db, { paths: [more] })).finally(() => (running = false));
    ingest.catch(() => undefined); // awaited below
    await new Promise((resolve) => setTimeout(resolve, 200)); // the ingest has started reading and staging
    const phase = await review(() => !running);
    const ingested = await ingest;
    during = { ...phase, ingest_seconds: (performance.now() - started) / 1000, ingested: ingested.loaded };
  }
  await server.close();
  db.close();

  const f = (x: number) => x.toFixed(1).padStart(6);
  const round = (x: number) => Number(x.toFixed(2));
  const report = (name: string, phase: Phase) => {
    const a = latencyPercentiles(phase.next)!;
    const b = latencyPercentiles(phase.save)!;
    console.log(`${name} next item:  p50 ${f(a.p50)} ms  p95 ${f(a.p95)} ms  p99 ${f(a.p99)} ms   (target p95 <= ${TARGET_MS} ms; ${phase.next.length} requests)`);
    console.log(`${name} save label: p50 ${f(b.p50)} ms  p95 ${f(b.p95)} ms  p99 ${f(b.p99)} ms   (target p95 <= ${TARGET_MS} ms)`);
    return { a, b };
  };
  // The figures depend on what else runs: the machine's load average is printed with them.
  const load = loadavg().map((x) => round(x));
  console.log(`load average (1, 5, 15 min): ${load.join(', ')} on ${availableParallelism()} cores`);
  const result: Record<string, unknown> = { bench: 'label', dialogues: summary.loaded, labeled, requests, target_p95_ms: TARGET_MS, load_avg_1m: load[0], cores: availableParallelism() };
  if (quiet) {
    const { a, b } = report('quiet       ', quiet);
    const cpuPerRound = (cpuQuiet.user + cpuQuiet.system) / 1000 / quiet.next.length;
    console.log(`quiet        CPU of this process per next + save: ${cpuPerRound.toFixed(2)} ms`);
    Object.assign(result, {
      next_p50_ms: round(a.p50),
      next_p95_ms: round(a.p95),
      next_p99_ms: round(a.p99),
      save_p50_ms: round(b.p50),
      save_p95_ms: round(b.p95),
      save_p99_ms: round(b.p99),
      cpu_ms_per_round: round(cpuPerRound),
    });
  }
  if (during) {
    console.log(`ingest in the serving process (${via === 'cli' ? 'POST /api/cli/ingest, FCR refresh included' : 'the ingest use case alone'}): ${during.ingested.toLocaleString('en-US')} dialogues in ${during.ingest_seconds.toFixed(1)} s, measured meanwhile:`);
    if (during.next.length < 20) console.log(`warning: only ${during.next.length} requests completed during the ingest; percentiles are rough`);
    const { a, b } = report('under ingest', during);
    Object.assign(result, {
      ingest_via: via,
      ingest_dialogues: during.ingested,
      ingest_seconds: round(during.ingest_seconds),
      ingest_requests: during.next.length,
      ingest_next_p50_ms: round(a.p50),
      ingest_next_p95_ms: round(a.p95),
      ingest_next_p99_ms: round(a.p99),
      ingest_save_p95_ms: round(b.p95),
      ingest_save_p99_ms: round(b.p99),
    });
  }
  console.log(JSON.stringify(result));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
