// One measured ingest in its own process (so peak RSS is this job's alone). Prints one JSON line.
// usage: ingest-child.ts firstcall|raw|floor-stage|floor-load FILE DB
// The two floor modes are the parts of an ingest no implementation can skip, each alone, for the
// bench's lower bound: floor-stage decodes, parses, validates (zod) and redacts every line on this
// thread with the functions ingest uses, keeping nothing; floor-load has DuckDB load the same file
// itself, on one thread, into the store's tables (primary keys, the turns index), with no validation.
// For firstcall it also samples, a few times a second, DuckDB's own memory by tag (duckdb_memory())
// and this thread's JS heap, and reports them as they were when RSS peaked: the part of RSS that
// grows with N is then visible instead of guessed.
import { DuckDBInstance } from '@duckdb/node-api';
import { Customer, DialogueInput } from '../../server/domain/dialogue.ts';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { linesOfBlock, readLineBlocks } from '../../server/ingest/read-lines.ts';
import { redactTurns } from '../../server/ingest/stage-records.ts';
import { openDatabase, type Database } from '../../server/storage/database.ts';
import { duckdbMemoryByTag } from '../../server/storage/dialogue-loader.ts';

const [mode, file, dbPath] = process.argv.slice(2) as [string, string, string];
const MB = 1024 * 1024;

interface MemorySample {
  rss_mb: number;
  main_heap_mb: number;
  /** DuckDB's buffers by tag (IN_MEMORY_TABLE: rows not yet checkpointed and the in-memory staging slots; BASE_TABLE: cached blocks of the file; ART_INDEX; …), tags over 1 MB. */
  duckdb_mb: number;
  duckdb_tags_mb: Record<string, number>;
}

/** Samples memory until stopped; keeps the sample taken at the highest RSS. */
function sampleMemory(db: Database, everyMs = 250) {
  let peak: MemorySample | undefined;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    duckdbMemoryByTag(db)
      .then((byTag) => {
        const memory = process.memoryUsage();
        if (peak !== undefined && memory.rss / MB <= peak.rss_mb) return;
        const entries = Object.entries(byTag);
        peak = {
          rss_mb: Math.round(memory.rss / MB),
          main_heap_mb: Math.round(memory.heapUsed / MB),
          duckdb_mb: Math.round(entries.reduce((n, [, bytes]) => n + bytes, 0) / MB),
          duckdb_tags_mb: Object.fromEntries(entries.filter(([, bytes]) => bytes >= MB).map(([tag, bytes]) => [tag, Math.round(bytes / MB)])),
        };
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
let records: number;
let atPeak: MemorySample | undefined;
if (mode === 'firstcall') {
  const db = await openDatabase(dbPath);
  const sampler = sampleMemory(db);
  const summary = await ingestFiles(db, { paths: [file] });
  atPeak = sampler.stop();
  records = summary.loaded + summary.customers;
  db.close();
} else if (mode === 'floor-stage') {
  records = 0;
  const counts: Record<string, number> = {};
  for await (const block of readLineBlocks(file)) {
    for (const item of 'item' in block ? [block.item] : linesOfBlock(block)) {
      if (!('text' in item)) continue;
      const value: unknown = JSON.parse(item.text);
      if (typeof value !== 'object' || value === null) continue;
      const parsed = 'turns' in value ? DialogueInput.safeParse(value) : Customer.safeParse(value);
      if (parsed.success && 'turns' in parsed.data) redactTurns(parsed.data, counts);
      if (parsed.success) records++;
    }
  }
} else if (mode === 'floor-load') {
  const db = await openDatabase(dbPath);
  // One thread: its CPU seconds are then the load's work (on more, DuckDB's threads also spend CPU
  // waiting for each other: 5.5–8.6 CPU s on two instead of 4.9 on one, for the same load).
  await db.run('SET threads = 1');
  const source = file.replaceAll("'", "''");
  const turn = 'STRUCT("role" VARCHAR, "text" VARCHAR, "at" VARCHAR, "agent_kind" VARCHAR, "name" VARCHAR)[]';
  const purchase = 'STRUCT(product VARCHAR, category VARCHAR, purchased_at DATE, warranty_months INTEGER, order_id VARCHAR, price DOUBLE)[]';
  await db.transaction(async () => {
    await db.run(`
      CREATE TEMP TABLE lines AS SELECT * FROM read_ndjson('${source}', columns = {
        id: 'VARCHAR', channel: 'VARCHAR', customer_id: 'VARCHAR', language: 'VARCHAR', started_at: 'VARCHAR', turns: '${turn}',
        outcome: 'STRUCT(resolved BOOLEAN, escalated BOOLEAN, csat TINYINT)', metadata: 'JSON',
        name: 'VARCHAR', tier: 'VARCHAR', since: 'DATE', purchases: '${purchase}'})`);
    await db.run(`
      INSERT INTO dialogues
      SELECT id, coalesce(channel, 'unknown'), customer_id, coalesce(language, 'unknown'), started_at, CAST(started_at AS TIMESTAMPTZ), 'jsonl',
             metadata->>'intent', outcome.resolved, outcome.escalated, outcome.csat, metadata, len(turns), 'floor', 'floor'
      FROM lines WHERE turns IS NOT NULL`);
    await db.run(`
      INSERT INTO turns SELECT id, seq, t.role, t.text, t.at, t.agent_kind, t.name
      FROM (SELECT id, unnest(range(len(turns))) AS seq, unnest(turns) AS t FROM lines WHERE turns IS NOT NULL)`);
    await db.run(`
      INSERT INTO customers SELECT customer_id, name, coalesce(tier, 'standard'), language, since, 'floor', 'floor'
      FROM lines WHERE turns IS NULL QUALIFY row_number() OVER (PARTITION BY customer_id) = 1`);
    await db.run(`
      INSERT INTO purchases SELECT id, seq, p.product, p.category, p.purchased_at, p.warranty_months, p.order_id, p.price
      FROM (SELECT customer_id AS id, unnest(range(len(purchases))) AS seq, unnest(purchases) AS p FROM lines
            WHERE turns IS NULL QUALIFY row_number() OVER (PARTITION BY customer_id) = 1)`);
  });
  await db.run('CHECKPOINT');
  records = Number((await db.all<{ n: bigint }>('SELECT (SELECT count(*) FROM dialogues) + (SELECT count(*) FROM customers) AS n'))[0]!.n);
  db.close();
} else {
  const instance = await DuckDBInstance.create(dbPath);
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE scratch AS SELECT * FROM read_json_auto('${file.replaceAll("'", "''")}')`);
  records = Number((await connection.runAndReadAll('SELECT count(*) FROM scratch')).getRows()[0]![0]);
  connection.closeSync();
  instance.closeSync();
}
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
const cpu_seconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
const work = process.cpuUsage(cpuBefore);
// work_cpu_seconds leaves out starting the process and loading its modules.
const work_cpu_seconds = (work.user + work.system) / 1e6;
console.log(JSON.stringify({ mode, records, seconds, cpu_seconds, work_cpu_seconds, peak_rss_mb: Math.round(usage.maxRSS / 1024), ...(atPeak ? { at_peak: atPeak } : {}) }));
