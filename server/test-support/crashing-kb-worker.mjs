// A local:kb worker (server/providers/local-kb-worker.ts) that dies, for tests of the worker pool:
// the thread exits on a case whose customer message holds CRASH, and before building when the
// knowledge base holds an entry with that id; otherwise it is the real worker.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

if (workerData.entries.some((e) => e.id === 'CRASH')) throw new Error('cannot build this knowledge base');
parentPort.on('message', (job) => {
  if (job.case.customer_message.includes('CRASH')) process.exit(3);
});
register();
await import('../providers/local-kb-worker.ts');
