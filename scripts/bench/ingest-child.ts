// One measured ingest in its own process (so peak RSS is this job's alone). Prints one JSON line.
// usage: ingest-child.ts firstcall|raw FILE DB
// For firstcall it also samples, a few times a second, DuckDB's own memory by tag (duckdb_memory())
// and this thread's JS heap, and reports them as they were when RSS peaked: the part of RSS that
// grows with N is then visible instead of guessed.
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
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
let records: number;
let atPeak: MemorySample | undefined;
if (mode === 'firstcall') {
  const db = await openDatabase(dbPath);
  const sampler = sampleMemory(db);
  const summary = await ingestFiles(db, { paths: [file] });
  atPeak = sampler.stop();
  records = summary.loaded + summary.customers;
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
console.log(JSON.stringify({ mode, records, seconds, cpu_seconds, peak_rss_mb: Math.round(usage.maxRSS / 1024), ...(atPeak ? { at_peak: atPeak } : {}) }));
