// Scores replies with the offline scorers in a worker thread, so scoring does not compete with the
// event loop that drives the model calls: below its priority, too (scoring-worker.mjs), so that on a
// machine with few cores the next call goes out while replies wait to be scored (the run's end waits
// only for the last few; bench:eval on 2 cores: ratio to the ideal 0.05–0.12 lower).
import { parentPort, workerData } from 'node:worker_threads';
import type { ScoreInput, ScoreResult } from '../domain/eval.ts';
import { createScorers } from '../scorers/registry.ts';

const { names, config } = workerData as { names: string[]; config?: Record<string, unknown> };
const scorers = createScorers(names, { config });

parentPort!.on('message', (message: { id: number; input: ScoreInput }) => void scoreMessage(message));

async function scoreMessage(message: { id: number; input: ScoreInput }): Promise<void> {
  const scores: Record<string, ScoreResult> = {};
  const failures: { scorer: string; message: string }[] = [];
  for (const scorer of scorers) {
    try {
      scores[scorer.name] = await scorer.score(message.input);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      scores[scorer.name] = { score: 0, pass: false, reason: `scorer failed: ${text}` };
      failures.push({ scorer: scorer.name, message: text });
    }
  }
  parentPort!.postMessage({ id: message.id, scores, failures });
}
