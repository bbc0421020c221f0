// Test helper: an ingest worker that exits on the first batch it is sent (ingest-workers.test.ts).
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => process.exit(7));
