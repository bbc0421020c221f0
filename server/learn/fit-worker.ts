// Worker-thread entry for `fitLabeledInWorkers`: fits one language's targets (they share the
// extracted features: one message keeps the dialogues' turns shared between targets) and posts
// each report back with its model as the model file's JSON.
import { parentPort } from 'node:worker_threads';
import { fitLabeled, type FitJob } from './fit-labeled.ts';
import { LearnedModel } from './learned-model.ts';

parentPort!.on('message', (jobs: FitJob[]) => {
  try {
    const out = jobs.map((job) => {
      const current = job.current === null ? null : { name: job.current.name, model: LearnedModel.fromJson(job.current.file) };
      const { model, ...report } = fitLabeled(job.examples, { ...job.options, current });
      return { report, file: model?.file ?? null };
    });
    parentPort!.postMessage({ ok: true, out });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});
