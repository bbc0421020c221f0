// Scores replies with the offline scorers in a worker thread, so scoring does not compete with the
// event loop that drives the model calls: below its priority, too (scoring-worker.mjs), so that on a
// machine with few cores the next call goes out while replies wait to be scored (the run's end waits
// only for the last few; bench:eval on 2 cores: ratio to the ideal 0.05–0.12 lower).
import { parentPort, workerData } from 'node:worker_threads';
import type { ScoreInput } from '../domain/eval.ts';
import { createScorers } from '../scorers/registry.ts';
import { scoreReply } from './score-reply.ts';

const { names, config } = workerData as { names: string[]; config?: Record<string, unknown> };
const scorers = createScorers(names, { config });

// A message is a batch of replies (those that arrived in one turn of the caller's event loop); their scores go back together.
parentPort!.on('message', (batch: { id: number; input: ScoreInput }[]) => void scoreBatch(batch));

async function scoreBatch(batch: { id: number; input: ScoreInput }[]): Promise<void> {
  const scored = [];
  for (const { id, input } of batch) scored.push({ id, ...(await scoreReply(scorers, input)) });
  parentPort!.postMessage(scored);
}
