// Test helper, not a test: ingests a file into a store and, after its third batch (so at least one
// merge has committed), says `ingesting` on stdout and freezes, so the test can SIGKILL it mid-ingest.
import { openDatabase } from '../storage/database.ts';
import { ingestFiles } from './ingest-service.ts';

const [store, file] = process.argv.slice(2);
const db = await openDatabase(store!);
let batches = 0;
await ingestFiles(db, {
  paths: [file!],
  mergeEvery: 100,
  onProgress: () => {
    if (++batches < 3) return;
    process.stdout.write('ingesting\n'); // synchronous on a pipe
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000); // until killed
  },
});
