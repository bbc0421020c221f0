import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { evaluate } from '../services/evaluate.ts';
import { startMockOpenAI } from '../test-support/mock-openai-server.ts';
import type { Database } from '../storage/database.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import type { Keys } from '../test-support/labeling-fixture.ts';

let app: FastifyInstance;
let keys: Keys;
let db: Database;
let candidate: string;
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  const store = await evalStore(30);
  ({ keys, db, candidate } = store);
  app = await buildApp({ db: store.db });
});
afterAll(() => app?.close());

describe('runs from the server', () => {
  it('starts a run in the server, streams its progress with the security headers, and ranks it on the leaderboard; two runs compare case by case', async () => {
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
      // The event stream is written past fastify's onSend hook and still carries the security headers.
      expect(stream.headers['content-type']).toBe('text/event-stream');
      expect(stream.headers['x-frame-options']).toBe('DENY');
      expect(stream.headers['x-content-type-options']).toBe('nosniff');
      expect(String(stream.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
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

describe('runs with failed cases', () => {
  interface Run { id: string; candidate_name: string; status: string; errors: number; incomplete: boolean; incomplete_reason: string | null }

  it('are marked incomplete in /api/runs, and the leaderboard keeps the candidate\'s last good run with the broken rerun listed apart', async () => {
    const server = await startMockOpenAI();
    const good = await evaluate(db, { suite: 'eval-test', candidates: [candidate], cache: 'off', provider: { openai: { baseURL: server.url, apiKey: 'sk-test' } } });
    await server.close(); // the model server goes down before the rerun
    const broken = await evaluate(db, { suite: 'eval-test', candidates: [candidate], cache: 'off', retries: 0, provider: { openai: { baseURL: server.url, apiKey: 'sk-test' } } });
    const [goodId, brokenId] = [good.report.candidates[0]!.run_id, broken.report.candidates[0]!.run_id];

    const list = (await app.inject({ url: '/api/runs?suite=eval-test', headers: as(keys.engineer) })).json().runs as Run[];
    const byId = new Map(list.map((r) => [r.id, r]));
    expect(byId.get(goodId)).toMatchObject({ status: 'done', errors: 0, incomplete: false, incomplete_reason: null });
    expect(byId.get(brokenId)).toMatchObject({ status: 'incomplete', incomplete: true });
    expect(byId.get(brokenId)!.errors).toBeGreaterThan(0);
    expect(byId.get(brokenId)!.incomplete_reason).toMatch(/^(\d+) of \1 cases failed \(first error: /);
    expect((await app.inject({ url: `/api/runs/${brokenId}`, headers: as(keys.engineer) })).json().run).toMatchObject({ id: brokenId, incomplete: true });

    const board = (await app.inject({ url: '/api/leaderboard?suite=eval-test', headers: as(keys.engineer) })).json() as { entries: Run[]; incomplete: Run[] };
    expect(board.entries.find((e) => e.candidate_name === 'mock-concise')).toMatchObject({ id: goodId, incomplete: false });
    expect(board.entries.some((e) => e.id === brokenId)).toBe(false);
    expect(board.incomplete).toEqual([expect.objectContaining({ id: brokenId, candidate_name: 'mock-concise', incomplete: true })]);

    const refused = await app.inject({ method: 'POST', url: '/api/promotions', payload: { run_id: brokenId, channel: 'web' }, headers: as(keys.admin) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toContain(`run ${brokenId} is incomplete`);
  });
});
