import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli.ts';
import type { CommandIO } from '../../scripts/io.ts';
import { loadCandidate } from '../candidates/load-candidate.ts';
import { renderMessages } from '../candidates/render-prompt.ts';
import type { GenerateResult, Provider } from '../domain/eval.ts';
import { startMockOpenAI, type MockRequest } from '../test-support/mock-openai-server.ts';
import { createOpenAIProvider } from '../providers/openai.ts';
import { createScorers, SCORERS } from '../scorers/registry.ts';
import { openDatabase, type Database } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { evalStore, REPO } from '../test-support/eval-fixture.ts';
import { runEval, summarizeStoredRun } from './run-eval.ts';

const loadResults = (db: Database, runId: string) => new EvalRunRepository(db).results(runId);

const lastUser = (r: MockRequest) => {
  const messages = (r.body as { messages: { role: string; content: string }[] }).messages;
  return messages.filter((m) => m.role === 'user').at(-1)!.content;
};

describe('runEval against an OpenAI-compatible server', () => {
  const attempts = new Map<string, number>();
  const serverPromise = startMockOpenAI({
    handler: (request) => {
      const text = lastUser(request);
      const id = /case-(\d+)/.exec(text)?.[1] ?? '';
      const n = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, n);
      if (id === '2' && n === 1) return { status: 429, headers: { 'retry-after': '0' }, body: { error: { message: 'slow down' } } };
      if (id === '4') return { status: 500, body: { error: { message: 'boom' } } };
      if (id === '6') return { body: '{"not": "a completion"' };
      return { body: { id: 'x', object: 'chat.completion', model: 'mock-model', choices: [{ index: 0, message: { role: 'assistant', content: text.includes('订单') ? '很抱歉久等了，您的订单明天送达。' : 'Sorry for the wait — your order arrives tomorrow.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 50, completion_tokens: 12, total_tokens: 62 } } };
    },
  });
  afterAll(async () => (await serverPromise).close());

  it('records a failed case with its error and keeps going; retries 429 and scores the rest', async () => {
    const server = await serverPromise;
    const { db, suite, candidate } = await evalStore();
    const outcome = await runEval(db, {
      suite,
      candidate: await loadCandidate(candidate, { root: REPO }),
      provider: createOpenAIProvider({ model: 'mock-model', baseURL: server.url, apiKey: 'sk-test' }),
      scorers: createScorers(['fcr', 'accuracy', 'tone', 'latency', 'cost']),
      retries: 2,
      retryBaseDelayMs: 1,
      concurrency: 4,
    });
    const results = await loadResults(db, outcome.run_id);
    expect(results).toHaveLength(suite.cases.length);
    const byCase = new Map(results.map((r) => [r.case_id.replace(/#.*/, ''), r]));
    // The mock answers case 2 with a 429 first, case 4 with 500s and case 6 with a broken body: all three must be in the suite.
    expect([...byCase.keys()]).toEqual(expect.arrayContaining(['ev-002', 'ev-004', 'ev-006']));
    expect(byCase.get('ev-004')!.error).toMatch(/after 3 attempts/);
    expect(byCase.get('ev-006')!.error).toMatch(/after 1 attempt\)/);
    expect(byCase.get('ev-002')!.error).toBeNull();
    expect(attempts.get('2')).toBe(2);
    const ok = results.filter((r) => !r.error);
    expect(ok.length).toBe(suite.cases.length - 2);
    expect(ok.every((r) => r.scores.accuracy!.score > 0.5 && r.input_tokens === 50)).toBe(true);
    expect(outcome.summary.errors).toBe(2);
    expect(outcome.summary.metrics.fcr!.n).toBe(suite.cases.length);
  });
});

describe('runEval: actions a candidate says it took', () => {
  // The same reply from every candidate: it says a refund and a cancellation happened.
  const said = (calls?: GenerateResult['tool_calls']): Provider => ({
    id: 'stub',
    generate: async (request) => ({
      text: request.case?.language === 'zh' ? '很抱歉久等了，已为您取消订单并退款，您的订单明天送达。' : "Sorry for the wait, I've cancelled the order and refunded you; your order arrives tomorrow.",
      model: 'stub',
      ...(calls ? { tool_calls: calls } : {}),
    }),
  });
  const accuracyReasons = async (model: string, provider: Provider) => {
    const { db, suite, candidate } = await evalStore(6);
    const loaded = await loadCandidate(candidate, { root: REPO });
    const outcome = await runEval(db, { suite, candidate: { ...loaded, spec: { ...loaded.spec, model } }, provider, scorers: createScorers(['accuracy']) });
    return (await loadResults(db, outcome.run_id)).map((r) => r.scores.accuracy!);
  };

  it('caps a model that says so without a tool call, or whose call was refused', async () => {
    for (const calls of [undefined, [{ name: 'cancel_order', arguments: { order_id: 'x' }, result: { ok: false, refused: 'already_shipped', message: 'shipped' } }]]) {
      const results = await accuracyReasons('openai:mock-model', said(calls));
      expect(results.every((r) => !r.pass && /took no action/.test(r.reason))).toBe(true);
    }
  });

  it('believes a candidate whose tool call did it, and the logged human agent (replay:human), who acts where the log does not show', async () => {
    const acted = await accuracyReasons('local:agent', said([{ name: 'cancel_order', arguments: { order_id: 'x' }, result: { ok: true, status: 'cancelled' } }]));
    expect(acted.some((r) => /took no action/.test(r.reason))).toBe(false);
    const human = await accuracyReasons('replay:human', said());
    expect(human.some((r) => /took no action/.test(r.reason))).toBe(false);
  });
});

describe('runEval: a hand-off where the logged agent acted', () => {
  // Every case's logged agent cancelled the order; every reply hands off.
  const handsOff: Provider = {
    id: 'stub',
    generate: async (request) => ({
      text: request.case?.language === 'zh' ? '这需要同事为您取消，我现在为您转接人工客服。[[handoff:human]]' : "A colleague has to cancel that for you; I'm transferring you now. [[handoff:human]]",
      model: 'stub',
    }),
  };
  const run = async (model: string) => {
    const { db, suite, candidate } = await evalStore(6);
    // Labeled: no hand-off needed (the logged agent settled it).
    const labeled = suite.cases.map(({ expected_escalation_source: _, ...c }) => ({ ...c, expected_escalation: false }));
    const acted = { ...suite, cases: labeled.map((c) => ({ ...c, reference_answer: c.language === 'zh' ? '已为您取消订单，货款原路退回。' : "I've cancelled the order and your money goes back to your card." })) };
    const loaded = await loadCandidate(candidate, { root: REPO });
    const outcome = await runEval(db, { suite: acted, candidate: { ...loaded, spec: { ...loaded.spec, model } }, provider: handsOff, scorers: createScorers(['escalation']) });
    const stored = await summarizeStoredRun(db, outcome.run_id, acted);
    return { outcome, stored, results: await loadResults(db, outcome.run_id), n: acted.cases.length };
  };

  it('is right from a model the eval gives no tools, in its scores, its summary and the summary of its stored results', async () => {
    const { outcome, stored, results, n } = await run('openai:mock-model');
    expect(n).toBeGreaterThan(0);
    expect(results.every((r) => r.scores.escalation!.pass && /cannot do/.test(r.scores.escalation!.reason))).toBe(true);
    expect(outcome.summary.escalation).toMatchObject({ tp: n, fp: 0 });
    expect(stored.escalation).toMatchObject({ tp: n, fp: 0 });
  });

  it('is needless from a candidate that can act (local:agent), whose own tools could have cancelled it', async () => {
    const { outcome, stored, results, n } = await run('local:agent');
    expect(results.every((r) => !r.scores.escalation!.pass && /^NEEDLESS/.test(r.scores.escalation!.reason))).toBe(true);
    expect(outcome.summary.escalation).toMatchObject({ tp: 0, fp: n });
    expect(stored.escalation).toMatchObject({ tp: 0, fp: n });
  });
});

describe('the summary of a new run', () => {
  it('is made as its results come, and equals the summary of the results it stored (two trials, failed calls, replies finishing out of order)', async () => {
    // Replies come back in another order than the cases (a delay per case; the later a failing case,
    // the sooner it fails), some calls fail, and
    // every default scorer runs, so sums over the results depend on the order they are listed in.
    const server = await startMockOpenAI({
      handler: (request) => {
        const id = Number(/case-(\d+)/.exec(lastUser(request))?.[1] ?? 0);
        if (id % 9 === 4) return { status: 500, delayMs: (60 - id) * 10, body: { error: { message: `boom on case ${id}` } } };
        return { delayMs: (id * 7) % 11 };
      },
    });
    try {
      const { db, suite, candidate } = await evalStore(60);
      const outcome = await runEval(db, {
        suite,
        candidate: await loadCandidate(candidate, { root: REPO }),
        provider: createOpenAIProvider({ model: 'mock-model', baseURL: server.url, apiKey: 'sk-test' }),
        scorers: createScorers(SCORERS.withTrait('default')),
        repeat: 2,
        retries: 0,
        concurrency: 120,
        flushEvery: 7,
        maxErrors: { kind: 'percent', p: 100 },
      });
      expect(outcome.summary.errors).toBeGreaterThan(0);
      expect(outcome.summary.trials).toBe(suite.cases.length * 2);
      const { completeness, ...fromMemory } = outcome.summary;
      expect(completeness?.complete).toBe(true);
      expect(JSON.stringify(fromMemory)).toBe(JSON.stringify(await summarizeStoredRun(db, outcome.run_id, suite)));
      expect(await loadResults(db, outcome.run_id)).toHaveLength(suite.cases.length * 2);
    } finally {
      await server.close();
    }
  });
});

describe('storing results as they come', () => {
  it('stores every finished case once the last calls are out, while those calls still run', async () => {
    const { db, suite, candidate } = await evalStore(12);
    const concurrency = 3;
    const last = new Set(suite.cases.slice(-concurrency).map((c) => c.case_id));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    // Every call answers at once but the last ones, which wait until the test has looked at the store.
    const provider: Provider = {
      id: 'stub',
      generate: async (request) => {
        if (last.has(request.case!.case_id)) {
          waiting++;
          await gate;
        }
        return { text: 'Sorry for the wait: your order arrives tomorrow.', model: 'stub' };
      },
    };
    const runId = 'run-held';
    const run = runEval(db, { suite, candidate: await loadCandidate(candidate, { root: REPO }), provider, scorers: createScorers(['tone']), concurrency, flushEvery: 1000, runId });
    try {
      // Well inside the run's one-second write: the cases before the last ones are stored already.
      const deadline = Date.now() + 600;
      let stored = 0;
      while (Date.now() < deadline && (waiting < concurrency || stored < suite.cases.length - concurrency)) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        stored = (await loadResults(db, runId)).length;
      }
      expect(waiting).toBe(concurrency);
      expect(stored).toBe(suite.cases.length - concurrency);
    } finally {
      release();
    }
    const outcome = await run;
    expect(outcome.summary.trials).toBe(suite.cases.length);
    expect(await loadResults(db, runId)).toHaveLength(suite.cases.length);
  });

  it('stores each case once when a resumed run runs its failed cases again (their first results are replaced)', async () => {
    const { db, suite, candidate: file } = await evalStore(12);
    const candidate = await loadCandidate(file, { root: REPO });
    const failing = new Set(suite.cases.filter((_, i) => i % 4 === 1).map((c) => c.case_id));
    let failNow = true;
    const provider: Provider = {
      id: 'stub',
      generate: async (request) => {
        if (failNow && failing.has(request.case!.case_id)) throw new Error('model down');
        return { text: 'Sorry for the wait: your order arrives tomorrow.', model: 'stub' };
      },
    };
    const first = await runEval(db, { suite, candidate, provider, scorers: createScorers(['tone']), retries: 0, concurrency: 2, flushEvery: 2, maxErrors: { kind: 'percent', p: 100 } });
    expect(first.summary.errors).toBe(failing.size);
    failNow = false;
    const resumed = await runEval(db, { suite, candidate, provider, scorers: createScorers(['tone']), concurrency: 2, flushEvery: 2, resume: first.run_id });
    expect(resumed.ran).toBe(failing.size);
    expect(resumed.summary.errors).toBe(0);
    const results = await loadResults(db, first.run_id);
    expect(results.map((r) => r.case_id).sort()).toEqual(suite.cases.map((c) => c.case_id).sort());
    expect(results.filter((r) => r.error !== null)).toEqual([]);
  });

  it('refuses to store a case and trial the run has stored already, where results are added rather than saved', async () => {
    const { db, suite, candidate: file } = await evalStore(3);
    const candidate = await loadCandidate(file, { root: REPO });
    const provider: Provider = { id: 'stub', generate: async () => ({ text: 'Sorry for the wait: your order arrives tomorrow.', model: 'stub' }) };
    const run = await runEval(db, { suite, candidate, provider, scorers: createScorers(['tone']) });
    const runs = new EvalRunRepository(db);
    const [stored] = await runs.results(run.run_id);
    const again = { ...stored!, attempts: 1, cached: false, output: 'another reply' };
    await expect(runs.addResults(run.run_id, [again])).rejects.toThrow(/constraint|duplicate/i);
    await runs.saveResults(run.run_id, [again]);
    expect((await runs.results(run.run_id)).find((r) => r.case_id === stored!.case_id)?.output).toBe('another reply');
  });
});

describe('a reply that hands off in words, without a marker', () => {
  const transfer: Provider = { id: 'stub', generate: async () => ({ text: "I'm transferring you to a human agent now.", model: 'stub' }) };

  it('is stored as a hand-off, and the scorers quote its words rather than a marker it never had', async () => {
    const { db, suite, candidate } = await evalStore(4);
    const outcome = await runEval(db, { suite, candidate: await loadCandidate(candidate, { root: REPO }), provider: transfer, scorers: createScorers(['escalation', 'fcr']) });
    const results = await loadResults(db, outcome.run_id);
    expect(results.map((r) => r.handoff_queue)).toEqual(results.map(() => 'human'));
    for (const r of results) {
      for (const name of ['escalation', 'fcr']) {
        expect(r.scores[name]!.reason).toContain('hands off (“transferring you”)');
        expect(r.scores[name]!.reason).not.toContain('marker');
      }
    }
  });

  it('is no hand-off for an escalation scorer told to count the marker only (textual_handoff: false)', async () => {
    const { db, suite, candidate } = await evalStore(4);
    const scorers = createScorers(['escalation'], { config: { escalation: { textual_handoff: false } } });
    const outcome = await runEval(db, { suite, candidate: await loadCandidate(candidate, { root: REPO }), provider: transfer, scorers });
    for (const r of await loadResults(db, outcome.run_id)) expect(r.scores.escalation!.reason).not.toMatch(/hands off \(/);
  });
});

describe('prompts rendered ahead of their calls', () => {
  it('sends each case the prompt rendered for it, though prompts are rendered while earlier calls are out (calls finishing out of order, two trials)', async () => {
    const { db, suite, candidate: file } = await evalStore(40);
    const candidate = await loadCandidate(file, { root: REPO });
    const sent: string[] = [];
    const wrong: string[] = [];
    const provider: Provider = {
      id: 'stub',
      generate: async (request) => {
        sent.push(request.case!.case_id);
        if (JSON.stringify(request.messages) !== JSON.stringify(renderMessages(candidate.template, request.case!))) wrong.push(request.case!.case_id);
        await new Promise((resolve) => setTimeout(resolve, (sent.length * 7) % 13));
        return { text: 'Sorry for the wait: your order arrives tomorrow.', model: 'stub' };
      },
    };
    const outcome = await runEval(db, { suite, candidate, provider, scorers: createScorers(['tone']), concurrency: 4, repeat: 2 });
    expect(outcome.summary.trials).toBe(suite.cases.length * 2);
    expect(sent).toHaveLength(suite.cases.length * 2);
    expect(new Set(sent).size).toBe(suite.cases.length);
    expect(wrong).toEqual([]);
  });
});

describe('resuming a killed run', () => {
  it('finishes only the cases the killed process did not store', async () => {
    const server = await startMockOpenAI({ latencyMs: 120 });
    try {
      const { db, suite, candidate, dir } = await evalStore(60);
      const file = db.path;
      db.close();
      const child = spawn(
        process.execPath,
        [join(REPO, 'bin', 'firstcall.mjs'), 'eval', '--suite', 'eval-test', '--candidate', candidate, '--db', file, '--base-url', server.url, '--api-key', 'sk-test', '--concurrency', '2', '--cache', 'off', '--quiet'],
        { stdio: 'ignore' },
      );
      await new Promise<void>((resolve, reject) => {
        const timer = setInterval(() => {
          if (server.requests.length >= 20) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve();
          }
        }, 20);
        child.on('exit', () => (clearInterval(timer), reject(new Error('the eval finished before it could be killed'))));
      });
      await new Promise((resolve) => child.once('exit', resolve));

      const reopened = await openDatabase(file);
      const [run] = await new EvalRunRepository(reopened).list({ limit: 10 });
      expect(run!.status).toBe('running');
      const stored = (await loadResults(reopened, run!.id)).length;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(suite.cases.length);
      reopened.close();

      const before = server.requests.length;
      const io: CommandIO = { out: () => {}, err: () => {}, isTTY: false };
      const code = await main(['eval', '--suite', 'eval-test', '--candidate', candidate, '--db', file, '--base-url', server.url, '--api-key', 'sk-test', '--resume', run!.id, '--cache', 'off', '--quiet', '--json', join(dir, 'report.json')], io);
      expect(code).toBe(0);
      expect(server.requests.length - before).toBe(suite.cases.length - stored);

      const after = await openDatabase(file);
      expect(await loadResults(after, run!.id)).toHaveLength(suite.cases.length);
      expect((await new EvalRunRepository(after).list({ limit: 10 }))[0]!.status).toBe('done');
      after.close();
    } finally {
      await server.close();
    }
  });
});
