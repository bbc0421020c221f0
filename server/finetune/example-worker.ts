// A worker thread of a fine-tuning build: turns batches of labeled dialogues into outcomes (see
// example-builder.ts), spooling its example lines to its own file.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../domain/errors.ts';
import { ExampleBuilder, type ExampleBuilderOptions, type SourceItem } from './example-builder.ts';

export type WorkerRequest = { id: number; items: SourceItem[] } | { id: number; close: true };

const builder = new ExampleBuilder(workerData as ExampleBuilderOptions);
const port = parentPort!;

port.on('message', (m: WorkerRequest) => {
  try {
    if ('close' in m) {
      builder.close();
      port.postMessage({ id: m.id, outcomes: [] });
      return;
    }
    port.postMessage({ id: m.id, outcomes: m.items.map((item) => builder.build(item)) });
  } catch (error) {
    const e = AppError.isInstance(error) ? { code: error.code, message: error.message } : { code: 'internal', message: (error as Error).stack ?? String(error) };
    port.postMessage({ id: m.id, error: e });
  }
});
