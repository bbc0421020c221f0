import { describe, expect, it } from 'vitest';
import type { GenerateRequest, Provider, SuiteCase } from '../domain/eval.ts';
import { createJudgeScorer } from '../scorers/judge.ts';
import { EN_SCREEN_EXPIRED, EN_SCREEN_REPLIES } from '../test-support/scorer-cases.ts';
import { createToneScorer } from '../scorers/tone.ts';
import { agreementBand, BAND_ADVICE } from '../metrics/agreement-scale.ts';
import { calibrate, calibrateCompare } from './calibrate.ts';

/** 30 labeled cases: good replies labelled 5, rude ones 1. */
const cases: SuiteCase[] = Array.from({ length: 30 }, (_, i) => ({
  ...EN_SCREEN_EXPIRED,
  case_id: `c${i}#1`,
  dialogue_id: `c${i}`,
  human_reply: i % 2 ? EN_SCREEN_REPLIES.good : EN_SCREEN_REPLIES.rude,
  gold: { fcr: null, accuracy: null, tone: i % 2 ? 5 : 1 },
}));

/** A judge that gives every reply 3/5, recording its requests. No network. */
const flatJudge: Provider & { requests: GenerateRequest[] } = {
  id: 'fake:flat',
  requests: [],
  async generate(request) {
    this.requests.push(request);
    return { text: '{"score": 3, "pass": false, "rationale": "meh"}', model: 'flat' };
  },
};

describe('calibrate', () => {
  it('reads its verdict from kappa on the shared scale', async () => {
    const report = await calibrate(createToneScorer(), cases);
    expect(report.n).toBe(30);
    expect(report.band).toBe(agreementBand(report.kappa));
    expect(report.verdict).toBe(`κ ${report.kappa!.toFixed(2)}: ${BAND_ADVICE[report.band!]}`);
    // The verdict follows kappa, not Spearman's rho (which is 1 here).
    expect(report.spearman).toBeGreaterThan(report.kappa!);
  });

  it('compares the judge with the offline scorer on the same labels', async () => {
    const cmp = await calibrateCompare(createJudgeScorer('tone', flatJudge), createToneScorer(), cases);
    expect(cmp.judge.n).toBe(30);
    expect(cmp.offline.n).toBe(30);
    expect(cmp.judge.method).toBe('fake:flat');
    expect(cmp.offline.method).toBe('offline');
    expect(cmp.better).toBe('offline');
    expect(cmp.kappa_difference).toBeLessThan(0);
    await expect(calibrateCompare(createJudgeScorer('fcr', flatJudge), createToneScorer(), cases)).rejects.toThrow(/same metric/);
  });
});
