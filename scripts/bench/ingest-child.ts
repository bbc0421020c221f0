// One measured ingest in its own process (so peak RSS is this job's alone). Prints one JSON line.
// usage: ingest-child.ts firstcall|raw FILE DB
import { DuckDBInstance } from '@duckdb/node-api';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { openDatabase } from '../../server/storage/database.ts';

const [mode, file, dbPath] = process.argv.slice(2) as [string, string, string];
const started = performance.now();
let records: number;
if (mode === 'firstcall') {
  const db = await openDatabase(dbPath);
  const summary = await ingestFiles(db, { paths: [file] });
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
console.log(JSON.stringify({ mode, records, seconds, cpu_seconds, peak_rss_mb: Math.round(usage.maxRSS / 1024) }));
