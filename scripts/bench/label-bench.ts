// npm run bench:label [-- --n 200000 --requests 2000]
// With N generated dialogues in the store, a reviewer asks for the next item and saves a label for
// it, REQUESTS times each, over real HTTP on loopback; prints p50/p95/p99 of both. Last line: JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { latencyPercentiles } from '../../server/metrics/quantiles.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { startServer } from '../commands/serve.ts';

const { values } = parseArgs({ options: { n: { type: 'string', default: '200000' }, requests: { type: 'string', default: '2000' } } });
const n = Number(values.n);
const requests = Number(values.requests);
const dir = mkdtempSync(join(tmpdir(), 'firstcall-label-bench-'));

try {
  const corpus = join(dir, 'corpus.jsonl');
  await writeCorpus({ n, seed: 11, out: corpus });
  const db = await openDatabase(join(dir, 'bench.duckdb'));
  const summary = await ingestFiles(db, { paths: [corpus] });
  const { key } = await createApiKey(db, 'reviewer', 'bench');
  const server = await startServer(db, { port: 0 });
  console.log(`store: ${summary.loaded.toLocaleString('en-US')} dialogues; ${requests} next-item and ${requests} save-label requests over HTTP`);
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const fields = { intent: 'screen_repair', fcr: 'yes', accuracy: 'correct', tone: 4, tone_tags: ['polite'], escalation_needed: 'no', escalated: 'no', reference_answer: 'ok', required_facts: [], notes: '', turn_flags: [] };

  const timed = async (work: () => Promise<Response>) => {
    const started = performance.now();
    const response = await work();
    const body = await response.json();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${JSON.stringify(body)}`);
    return { ms: performance.now() - started, body };
  };
  // Warm-up (JIT, caches) is not counted.
  for (let i = 0; i < 20; i++) await timed(() => fetch(`${server.url}api/queue/next`, { headers }));

  const next: number[] = [];
  const save: number[] = [];
  for (let i = 0; i < requests; i++) {
    const got = await timed(() => fetch(`${server.url}api/queue/next`, { headers }));
    next.push(got.ms);
    const id = got.body.item.dialogue.id as string;
    const saved = await timed(() =>
      fetch(`${server.url}api/dialogues/${encodeURIComponent(id)}/label`, { method: 'PUT', headers, body: JSON.stringify({ fields, status: 'submitted', version: null }) }),
    );
    save.push(saved.ms);
  }
  await server.close();
  db.close();

  const a = latencyPercentiles(next)!;
  const b = latencyPercentiles(save)!;
  const f = (x: number) => x.toFixed(1).padStart(6);
  console.log(`next item:  p50 ${f(a.p50)} ms  p95 ${f(a.p95)} ms  p99 ${f(a.p99)} ms   (target p95 <= 20 ms)`);
  console.log(`save label: p50 ${f(b.p50)} ms  p95 ${f(b.p95)} ms  p99 ${f(b.p99)} ms   (target p95 <= 20 ms)`);
  const round = (x: number) => Number(x.toFixed(2));
  console.log(
    JSON.stringify({
      bench: 'label',
      dialogues: summary.loaded,
      requests,
      next_p50_ms: round(a.p50),
      next_p95_ms: round(a.p95),
      next_p99_ms: round(a.p99),
      save_p50_ms: round(b.p50),
      save_p95_ms: round(b.p95),
      save_p99_ms: round(b.p99),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
