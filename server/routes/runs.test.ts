import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let keys: Keys;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const store = await evalStore(30);
  keys = store.keys;
  app = await buildApp({ db: store.db });
});
afterAll(() => app?.close());

describe('runs from the server', () => {
  it('starts a run in the server, streams its progress, and ranks it on the leaderboard; two runs compare case by case', async () => {
    const candidates = (await app.inject({ url: '/api/candidates', headers: as(keys.engineer) })).json().candidates;
    expect(candidates.map((c: { file: string }) => c.file)).toEqual(expect.arrayContaining(['kb-concise.yaml', 'human-replay.yaml']));
    const ids: string[] = [];
    for (const candidate of ['kb-concise.yaml', 'human-replay.yaml']) {
      const started = await app.inject({ method: 'POST', url: '/api/runs', payload: { suite: 'eval-test', candidate }, headers: as(keys.engineer) });
      expect(started.statusCode).toBe(202);
      const id = started.json().run_id;
      ids.push(id);
      const stream = await app.inject({ url: `/api/runs/${id}/events`, headers: as(keys.engineer) }); // ends when the run ends
      const events = stream.body.trim().split('\n\n').map((e) => JSON.parse(e.replace(/^data: /, '')));
      expect(events.at(-1)).toMatchObject({ run_id: id, status: 'done' });
      expect(events.at(-1).done).toBe(events.at(-1).total);
    }
    const board = (await app.inject({ url: '/api/leaderboard?suite=eval-test', headers: as(keys.engineer) })).json();
    expect(board.entries.map((e: { candidate_name: string }) => e.candidate_name).sort()).toEqual(['human-replay', 'kb-concise']);
    expect(board.entries[0].summary.metrics.composite.mean).toBeGreaterThanOrEqual(board.entries[1].summary.metrics.composite.mean);

    const detail = (await app.inject({ url: `/api/runs/${ids[0]}`, headers: as(keys.engineer) })).json();
    expect(detail.results.length).toBe(detail.cases.length);
    expect(detail.results[0].scores.fcr.reason.length).toBeGreaterThan(3);

    const compare = (await app.inject({ url: `/api/compare?a=${ids[0]}&b=${ids[1]}`, headers: as(keys.engineer) })).json();
    expect(compare.cases.length).toBe(detail.cases.length);
    expect(compare.cases.every((c: { delta: number | null }) => typeof c.delta === 'number')).toBe(true);
    expect((await app.inject({ method: 'POST', url: '/api/runs', payload: { suite: 'nope', candidate: 'kb-concise.yaml' }, headers: as(keys.engineer) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/runs', payload: { suite: 'eval-test', candidate: '../../etc/passwd' }, headers: as(keys.engineer) })).statusCode).toBe(400);
  });
});
