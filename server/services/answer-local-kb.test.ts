import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { createLocalKbPool, type LocalKbPool } from '../providers/local-kb-pool.ts';
import { resolveProvider } from '../providers/registry.ts';
import type { Database } from '../storage/database.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';
import { evaluate } from './evaluate.ts';
import { knowledgeBaseSource } from './knowledge-base.ts';
import { promote } from './promotion.ts';

let db: Database;
let keys: Keys;
let app: FastifyInstance;
let pool: LocalKbPool;

beforeAll(async () => {
  ({ db, keys } = await evalStore(40));
  const { report } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/kb-concise.yaml'], cache: 'off' });
  await promote(db, { runId: report.candidates[0]!.run_id, channel: 'web', by: 'test', force: 'worker failure test' });
  // The offline bot in a worker that dies on a message holding CRASH.
  pool = createLocalKbPool({ ...(await knowledgeBaseSource(db)), size: 1, workerFile: new URL('../test-support/crashing-kb-worker.mjs', import.meta.url) });
  app = await buildApp({ db, answers: { resolve: async (model) => (model === 'local:kb' ? pool : resolveProvider(model)) } });
});
afterAll(async () => {
  await app?.close();
  await pool?.close();
});

const ask = (text: string) => app.inject({ method: 'POST', url: '/v1/answer', headers: { authorization: `Bearer ${keys.bot}` }, payload: { channel: 'web', messages: [{ role: 'customer', text }] } });

describe('the production offline bot in worker threads', () => {
  it('answers with the fallback message and a hand-off, not a 5xx, when its worker dies, and logs the exchange', async () => {
    const response = await ask('CRASH: where is my order?');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.handoff).toMatchObject({ reason: expect.stringMatching(/model unavailable: local:kb: worker exited/) });
    const [logged] = await db.all<{ escalated: boolean }>('SELECT escalated FROM dialogues WHERE id = $id', { id: body.dialogue_id });
    expect(logged?.escalated).toBe(true);
  });

  it('answers the next question from a fresh worker', async () => {
    const response = await ask('Where is my order? It has not arrived');
    expect(response.statusCode).toBe(200);
    expect(response.json().handoff?.reason ?? '').not.toMatch(/model unavailable/);
  });
});
