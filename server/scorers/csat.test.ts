// The reply-level csat scorer: the case's conversation plus the candidate's reply, scored by the
// learned csat model of the case's language; built-in by default, store-fitted ones through
// evaluate's scorerModel (also in scoring workers), and checked on real held-out STC-3 dialogues.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScoreInput, Suite, SuiteCase } from '../domain/eval.ts';
import { createScoringPool } from '../eval/scoring-pool.ts';
import { loadBuiltinModels } from '../learn/builtin-models.ts';
import { splitById } from '../learn/holdout-split.ts';
import { LearnedModel } from '../learn/learned-model.ts';
import { readStc3File, STC3_FILES } from '../learn/stc3-dataset.ts';
import { rocAuc } from '../metrics/roc-auc.ts';
import { evaluate } from '../services/evaluate.ts';
import type { Database } from '../storage/database.ts';
import { ScorerModelRepository } from '../storage/scorer-model-repository.ts';
import { evalStore } from '../test-support/eval-fixture.ts';
import { CSAT_THRESHOLD } from './csat.ts';
import { createScorers, SCORERS } from './registry.ts';

const DATA = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/data/stc3-helpdesk');
const builtin = loadBuiltinModels();

function caseOf(language: 'zh' | 'en', customer: string, history: SuiteCase['history'] = []): SuiteCase {
  return { case_id: 'c1', language, history, customer_message: customer } as unknown as SuiteCase;
}
const input = (c: SuiteCase, reply: string): ScoreInput => ({ case: c, reply, handoff: null, latency_ms: 0, model: 'test:x' });

describe('csat scorer', () => {
  it('is in the registry as a judgement that is not default, quality or composite', () => {
    const entry = SCORERS.get('csat')!;
    expect(entry.traits).toMatchObject({ kind: 'judgement' });
    expect(SCORERS.withTrait('default')).not.toContain('csat');
    expect(SCORERS.withTrait('quality')).not.toContain('csat');
    expect(SCORERS.withTrait('composite')).not.toContain('csat');
    expect(SCORERS.ofKind('judgement')).toContain('csat');
    expect(entry.options.parse({}).threshold).toBe(CSAT_THRESHOLD);
    expect(entry.create().method).toBe('learned:builtin');
  });

  it('scores the conversation with the reply as the last agent turn, with the evidence as its reason', async () => {
    const [csat] = createScorers(['csat']);
    const c = caseOf('en', 'My order never arrived, where is it?');
    const good = await csat!.score(input(c, 'Sorry for the trouble! I have resent the parcel, it arrives tomorrow. Thank you for your patience.'));
    expect(good.score).toBeGreaterThanOrEqual(0);
    expect(good.score).toBeLessThanOrEqual(1);
    expect(good.pass).toBe(good.score >= 0.5);
    expect(good.reason).toMatch(/^predicted CSAT \d\.\d\/5; strongest evidence (for|against) satisfied: .+ -> \d\.\d\d$/);
    // Exactly the whole-dialogue model on history + message + reply.
    const turns = [{ role: 'customer' as const, text: 'My order never arrived, where is it?' }, { role: 'agent' as const, text: 'no' }];
    const expected = builtin.en!.csat!.score({ turns }).probability;
    expect((await csat!.score(input(c, 'no'))).score).toBeCloseTo(expected, 3);
  });

  it('takes models as loaded models or as their JSON files, and refuses a model of another target or language', async () => {
    const zh = builtin.zh!.csat!;
    const fromFile = SCORERS.get('csat')!.create({ models: { zh: JSON.parse(JSON.stringify(zh.file)) }, sources: { zh: 'zh-csat-v9' } });
    const fromModel = SCORERS.get('csat')!.create({ models: { zh } });
    expect(fromFile.method).toBe('learned:zh-csat-v9');
    const c = caseOf('zh', '我的订单什么时候到？');
    expect(await fromFile.score(input(c, '明天送达，谢谢您的耐心。'))).toEqual(await fromModel.score(input(c, '明天送达，谢谢您的耐心。')));
    // No model for the case's language: n/a, not a zero.
    expect(await fromFile.score(input(caseOf('en', 'hi'), 'hello'))).toMatchObject({ na: true, reason: 'n/a: no learned csat model for en' });
    expect(() => SCORERS.get('csat')!.create({ models: { zh: builtin.zh!.fcr } })).toThrow(/models\.zh is a zh fcr model/);
    expect(() => SCORERS.get('csat')!.create({ models: { en: { nope: 1 } } })).toThrow(/bad options for scorer csat: models\.en is not a learned model/);
    expect(() => SCORERS.get('csat')!.create({ model: 'x' })).toThrow(/bad options for scorer csat/);
  });

  it('gives the same scores in a scoring worker given the model files', async () => {
    const shifted = { zh: { ...builtin.zh!.csat!.file, bias: builtin.zh!.csat!.file.bias + 2 }, en: builtin.en!.csat!.file };
    const config = { csat: { models: shifted, sources: { zh: 'zh-csat-v1', en: 'builtin' } } };
    const pool = createScoringPool(['csat'], 1, config);
    try {
      const [local] = createScorers(['csat'], { config });
      for (const c of [caseOf('zh', '我的订单什么时候到？'), caseOf('en', 'Where is my order?')]) {
        const i = input(c, c.language === 'zh' ? '明天送达。' : 'It arrives tomorrow.');
        expect(await pool.score(i)).toMatchObject({ scores: { csat: await local!.score(i) }, failures: [] });
      }
    } finally {
      await pool.close();
    }
  });
});

describe('csat through evaluate', () => {
  let db: Database;
  let suite: Suite;
  beforeAll(async () => {
    ({ db, suite } = await evalStore(16));
  });
  afterAll(() => db?.close());
  const run = (scorerModel?: string) => evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml'], scorers: ['csat'], scorerModel, cache: 'off' });

  it('stores csat scores with reasons, from the built-in models, then from the latest fitted one unless told builtin', async () => {
    const first = await run();
    const [rows] = [...first.results.values()];
    expect(rows!.length).toBeGreaterThan(0);
    for (const r of rows!) {
      expect(r.scores.csat).toMatchObject({ score: expect.any(Number), pass: expect.any(Boolean), reason: expect.stringMatching(/^predicted CSAT .*strongest evidence/) });
    }
    expect(first.report.candidates[0]!.summary.metrics.csat).toMatchObject({ n: rows!.length });
    // A judgement with no labels to check it against does not gate.
    expect(first.report.trust?.find((t) => t.scorer === 'csat')).toMatchObject({ trusted: false });

    // A fitted zh model (here: the built-in one, more optimistic) is used by default…
    const zh = builtin.zh!.csat!;
    const stored = await new ScorerModelRepository(db).add(LearnedModel.fromJson({ ...zh.file, bias: zh.file.bias + 3 }), { data_sha256: 'x'.repeat(64), labels: 100, warm_start: 'builtin', card: {} });
    const latest = await run('latest');
    const [latestRows] = [...latest.results.values()];
    const byCase = (rs: typeof rows) => new Map(rs!.map((r) => [r.case_id, r.scores.csat!.score]));
    const before = byCase(rows);
    const after = byCase(latestRows);
    const zhCases = suite.cases.filter((c) => c.language === 'zh').map((r) => r.case_id);
    expect(zhCases.length).toBeGreaterThan(0);
    for (const id of before.keys()) {
      if (zhCases.includes(id)) expect(after.get(id)!, id).toBeGreaterThan(before.get(id)!);
      else expect(after.get(id), id).toBe(before.get(id));
    }
    expect(stored.id).toBe('zh-csat-v1');
    // …`builtin` ignores it, and an unknown id is a usage error before anything runs.
    const pinned = await run('builtin');
    expect(byCase([...pinned.results.values()][0])).toEqual(before);
    await expect(run('zh-csat-v99')).rejects.toMatchObject({ code: 'usage', message: expect.stringMatching(/no scorer model "zh-csat-v99"/) });
  });
});

describe('csat through evaluate on a suite big enough for the scoring worker', () => {
  it('scores with a store-fitted model in the worker exactly as on the main thread', async () => {
    const { db, suite } = await evalStore(260);
    try {
      expect(suite.cases.length).toBeGreaterThanOrEqual(200);
      const zh = builtin.zh!.csat!;
      await new ScorerModelRepository(db).add(LearnedModel.fromJson({ ...zh.file, bias: zh.file.bias + 3 }), { data_sha256: 'y'.repeat(64), labels: 100, warm_start: 'builtin', card: {} });
      const { results } = await evaluate(db, { suite: 'eval-test', candidates: ['evals/candidates/human-replay.yaml'], scorers: ['csat'], cache: 'off' });
      const [rows] = [...results.values()];
      const config = { csat: { models: { zh: LearnedModel.fromJson({ ...zh.file, bias: zh.file.bias + 3 }), en: builtin.en!.csat! } } };
      const [local] = createScorers(['csat'], { config });
      const byId = new Map(suite.cases.map((c) => [c.case_id, c]));
      for (const r of rows!.slice(0, 20)) {
        const c = byId.get(r.case_id)!;
        expect(r.scores.csat, r.case_id).toEqual(await local!.score({ case: c, reply: r.output!, handoff: null, latency_ms: 0, model: 'replay:human' }));
      }
    } finally {
      db.close();
    }
  }, 120_000);
});

describe('csat on real held-out dialogues (STC-3): the last agent turn as the candidate reply', () => {
  for (const language of ['zh', 'en'] as const) {
    it(`ranks satisfied customers' dialogues higher (${language}, AUC > 0.75), well above reply length`, async () => {
      const { heldOut } = splitById(readStc3File(join(DATA, STC3_FILES[language]), language));
      const [csat] = createScorers(['csat']);
      const scores: number[] = [];
      const lengths: number[] = [];
      const satisfied: boolean[] = [];
      for (const d of heldOut.slice(0, 150)) {
        const last = d.turns.findLastIndex((t) => t.role === 'agent');
        if (last < 0) continue;
        const history = d.turns.slice(0, last);
        const c = { case_id: d.id, language, history, customer_message: '' } as unknown as SuiteCase;
        const r = await csat!.score(input(c, d.turns[last]!.text));
        scores.push(r.score);
        lengths.push(d.turns[last]!.text.length);
        satisfied.push(d.meanS > 0);
      }
      const auc = rocAuc(scores, satisfied)!;
      const lengthAuc = rocAuc(lengths, satisfied)!;
      expect(scores.length).toBeGreaterThan(100);
      expect(auc, `csat AUC ${auc.toFixed(3)} vs reply length ${lengthAuc.toFixed(3)}`).toBeGreaterThan(0.75);
      expect(auc).toBeGreaterThan(lengthAuc + 0.1);
    });
  }
});
