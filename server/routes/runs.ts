// Eval runs for the team lead: suites and candidates to choose from, starting a run (progress as
// server-sent events), the leaderboard per suite, a run's cases with the scorers' reasons, and two
// runs compared case by case. Summaries have the shape of RunSummary (server/eval/summarize.ts).
// Every run says how many of its cases failed and whether it is incomplete (not promotable); the
// leaderboard ranks each candidate's latest complete run and lists a newer incomplete one apart.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { ErrorBody } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { REPO_ROOT } from '../eval/evaluate.ts';
import type { RunManager } from '../eval/run-manager.ts';
import { getRun, loadResults } from '../eval/run-eval.ts';
import { leaderboardRuns, listRuns, withRunFlags } from '../eval/run-list.ts';
import { compositeByCase } from '../eval/summarize.ts';
import { DEFAULT_CHANNELS, getConfig } from '../promotion/configs.ts';
import { listSuites, loadSuite } from '../services/suites.ts';
import type { Database } from '../storage/database.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const TEAM = ['engineer', 'admin'] as const;
const CANDIDATES_DIR = join(REPO_ROOT, 'evals', 'candidates');

const RunRow = z.object({
  id: z.string(),
  suite_name: z.string(),
  suite_version: z.number(),
  candidate_name: z.string(),
  candidate_hash: z.string(),
  model: z.string(),
  /** running | done | incomplete | failed (RUN_STATUSES). */
  status: z.string(),
  started_at: z.string(),
  summary: z.unknown(),
  /** Results that could not be run or scored. */
  errors: z.number().int(),
  /** More failed cases than the run allowed (--max-errors, default 0): not ranked, not promotable. */
  incomplete: z.boolean(),
  /** "74 of 74 cases failed (first error: …)" when incomplete. */
  incomplete_reason: z.string().nullable(),
});
const Progress = z.object({ run_id: z.string(), candidate: z.string(), status: z.enum(['running', 'done', 'incomplete', 'failed']), done: z.number(), total: z.number(), error: z.string().nullable() });
const ResultRow = z.object({
  case_id: z.string(),
  trial: z.number(),
  output: z.string().nullable(),
  handoff_queue: z.string().nullable(),
  error: z.string().nullable(),
  latency_ms: z.number().nullable(),
  scores: z.record(z.string(), z.object({ score: z.number(), pass: z.boolean(), reason: z.string() })),
});

export const runRoutes: FastifyPluginAsyncZod<{ db: Database; runs: RunManager }> = async (app, { db, runs }) => {
  app.get('/api/suites', {
    config: { roles: TEAM },
    schema: { response: { 200: z.object({ suites: z.array(z.object({ name: z.string(), version: z.number(), hash: z.string(), created_at: z.string(), split: z.string(), n_cases: z.number() })) }), ...errors } },
    handler: async () => ({ suites: await listSuites(db) }),
  });

  app.get('/api/candidates', {
    config: { roles: TEAM },
    schema: { response: { 200: z.object({ candidates: z.array(z.object({ file: z.string(), name: z.string(), model: z.string(), hash: z.string() })) }), ...errors } },
    handler: async () => {
      const files = readdirSync(CANDIDATES_DIR).filter((f) => /\.ya?ml$|\.json$/.test(f)).sort();
      const candidates = [];
      for (const file of files) {
        const c = await loadCandidate(join(CANDIDATES_DIR, file), { root: REPO_ROOT });
        candidates.push({ file, name: c.spec.name, model: c.spec.model, hash: c.hash });
      }
      return { candidates };
    },
  });

  app.post('/api/runs', {
    config: { roles: TEAM },
    schema: {
      body: z.object({ suite: z.string().min(1), candidate: z.string().regex(/^[a-z0-9._-]+\.(ya?ml|json)$/i, 'a candidate file name from evals/candidates'), repeat: z.number().int().min(1).max(10).optional() }),
      response: { 202: Progress, ...errors },
    },
    handler: async (request, reply) => {
      await loadSuite(db, request.body.suite); // unknown suite -> 400 now, not a failed run later
      const started = runs.start({ suite: request.body.suite, candidate: join(CANDIDATES_DIR, request.body.candidate), repeat: request.body.repeat });
      return reply.status(202).send(started);
    },
  });

  app.get('/api/runs/:id/events', {
    config: { roles: TEAM },
    schema: { params: z.object({ id: z.string() }) },
    handler: async (request, reply) => {
      const first = runs.progress(request.params.id);
      if (!first) throw new AppError('not_found', `run ${request.params.id} is not running in this server`);
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (p: unknown) => reply.raw.write(`data: ${JSON.stringify(p)}\n\n`);
      send(first);
      if (first.status !== 'running') return reply.raw.end();
      const stop = runs.subscribe(request.params.id, (p) => {
        send(p);
        if (p.status !== 'running') {
          stop();
          reply.raw.end();
        }
      });
      request.raw.on('close', stop);
      return reply;
    },
  });

  app.get('/api/runs', {
    config: { roles: TEAM },
    schema: { querystring: z.object({ suite: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), response: { 200: z.object({ runs: z.array(RunRow) }), ...errors } },
    handler: async (request) => ({ runs: await listRuns(db, { suite: request.query.suite, limit: request.query.limit }) }),
  });

  app.get('/api/leaderboard', {
    config: { roles: TEAM },
    schema: {
      querystring: z.object({ suite: z.string() }),
      response: {
        200: z.object({
          suite: z.object({ name: z.string(), version: z.number(), cases: z.number() }),
          /** Per candidate, its latest complete run on the latest version of the suite, best composite first. */
          entries: z.array(RunRow),
          /** Per candidate, a newer run that is incomplete (shown apart; never ranked or promoted). */
          incomplete: z.array(RunRow),
          production: z.record(z.string(), z.string().nullable()),
        }),
        ...errors,
      },
    },
    handler: async (request) => {
      const suite = await loadSuite(db, request.query.suite);
      const { entries, incomplete } = await leaderboardRuns(db, suite.hash);
      const production: Record<string, string | null> = {};
      for (const channel of DEFAULT_CHANNELS) production[channel] = (await getConfig(db, channel))?.version ?? null;
      return { suite: { name: suite.name, version: suite.version, cases: suite.cases.length }, entries, incomplete, production };
    },
  });

  app.get('/api/runs/:id', {
    config: { roles: TEAM },
    schema: {
      params: z.object({ id: z.string() }),
      response: { 200: z.object({ run: RunRow, results: z.array(ResultRow), cases: z.array(z.object({ case_id: z.string(), dialogue_id: z.string(), language: z.string(), intent: z.string().nullable(), customer_message: z.string(), reference_answer: z.string() })) }), ...errors },
    },
    handler: async (request) => {
      const run = await getRun(db, request.params.id);
      if (!run) throw new AppError('not_found', `no run ${request.params.id}`);
      const suite = await loadSuite(db, run.suite_name, run.suite_version);
      return {
        run: withRunFlags(run),
        results: await loadResults(db, run.id),
        cases: suite.cases.map(({ case_id, dialogue_id, language, intent, customer_message, reference_answer }) => ({ case_id, dialogue_id, language, intent, customer_message, reference_answer })),
      };
    },
  });

  app.get('/api/compare', {
    config: { roles: TEAM },
    schema: {
      querystring: z.object({ a: z.string(), b: z.string() }),
      response: { 200: z.object({ a: RunRow, b: RunRow, cases: z.array(z.object({ case_id: z.string(), customer_message: z.string(), a: ResultRow.nullable(), b: ResultRow.nullable(), delta: z.number().nullable() })) }), ...errors },
    },
    handler: async (request) => {
      const [a, b] = await Promise.all([getRun(db, request.query.a), getRun(db, request.query.b)]);
      if (!a || !b) throw new AppError('not_found', `no run ${!a ? request.query.a : request.query.b}`);
      if (a.suite_hash !== b.suite_hash) throw new AppError('validation', 'the two runs were made on different suites');
      const suite = await loadSuite(db, a.suite_name, a.suite_version);
      const [ra, rb] = await Promise.all([loadResults(db, a.id), loadResults(db, b.id)]);
      const [ca, cb] = [compositeByCase(ra), compositeByCase(rb)];
      const first = (rows: typeof ra, id: string) => rows.find((r) => r.case_id === id) ?? null;
      return {
        a: withRunFlags(a),
        b: withRunFlags(b),
        cases: suite.cases.map((c) => ({
          case_id: c.case_id,
          customer_message: c.customer_message,
          a: first(ra, c.case_id),
          b: first(rb, c.case_id),
          delta: ca.has(c.case_id) && cb.has(c.case_id) ? Math.round((cb.get(c.case_id)! - ca.get(c.case_id)!) * 10_000) / 10_000 : null,
        })),
      };
    },
  });
};
