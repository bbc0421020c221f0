// An ingest worker thread: stages the batches it is sent (decode, parse, validate, redact) and posts
// each result back with its sequence number. See stage-pool.ts.
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { stageJob, type StageJob } from './stage-records.ts';

const WORKER_NICENESS = 10;

// Below the thread that serves requests when the ingest runs inside `firstcall serve` (on Linux this
// sets this thread's own niceness); on an idle machine it changes nothing.
try {
  setPriority(WORKER_NICENESS);
} catch {
  // not permitted here: run at the normal priority
}

parentPort!.on('message', (message: { seq: number; job: StageJob }) => {
  parentPort!.postMessage({ seq: message.seq, staged: stageJob(message.job) });
});
