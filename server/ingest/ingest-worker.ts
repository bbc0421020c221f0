// An ingest worker thread: stages the batches it is sent (decode, parse, validate, redact) and posts
// each result back with its sequence number. See stage-pool.ts.
import { parentPort } from 'node:worker_threads';
import { stageJob, type StageJob } from './stage-records.ts';

parentPort!.on('message', (message: { seq: number; job: StageJob }) => {
  parentPort!.postMessage({ seq: message.seq, staged: stageJob(message.job) });
});
