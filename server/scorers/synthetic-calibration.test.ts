// Guards the lexicons against regressions on the seeded synthetic corpus, whose logged replies are
// labelled good, curt, wrong or rude. The corpus shares phrasing with the lexicons, so this is a
// floor, not a measure of accuracy on real dialogues (that is what judge calibration is for).
import { describe, expect, it } from 'vitest';
import type { ScoreInput } from '../domain/eval.ts';
import { syntheticCases } from '../test-support/scorer-cases.ts';
import { analyzeAccuracy } from './accuracy.ts';
import { analyzeFcr } from './fcr.ts';
import { detectHandoff } from './handoff.ts';
import { analyzeTone } from './tone.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

interface Row {
  quality: string;
  fcr: number;
  accuracy: number;
  tone: number;
  handedOff: boolean;
  loggedEscalated: boolean;
}

function rows(n: number): Row[] {
  const out: Row[] = [];
  for (const { dialogue: d, meta, case: c, reply } of syntheticCases({ n, seed: 20_260_312, humanReply: false })) {
    const input: ScoreInput = { case: c, reply, handoff: null, latency_ms: 0, model: 'replay:human' };
    out.push({
      quality: meta.agent_quality,
      fcr: analyzeFcr(input).score,
      accuracy: analyzeAccuracy(input).score,
      tone: analyzeTone(input).score,
      handedOff: detectHandoff(input).handedOff,
      loggedEscalated: d.outcome?.escalated ?? false,
    });
  }
  return out;
}

describe('offline scorers on the synthetic corpus', () => {
  const data = rows(400);
  const passRate = (quality: string, key: 'fcr' | 'accuracy' | 'tone') => {
    const rs = data.filter((r) => r.quality === quality);
    return rs.filter((r) => r[key] >= DEFAULT_THRESHOLDS[key]).length / rs.length;
  };

  it('passes good replies on fcr, accuracy and tone', () => {
    expect(passRate('good', 'fcr')).toBeGreaterThan(0.95);
    expect(passRate('good', 'accuracy')).toBeGreaterThan(0.95);
    expect(passRate('good', 'tone')).toBeGreaterThan(0.9);
  });

  it('fails wrong replies on accuracy and rude ones on tone', () => {
    expect(passRate('wrong', 'accuracy')).toBeLessThan(0.05);
    expect(passRate('rude', 'tone')).toBeLessThan(0.05);
    expect(passRate('curt', 'tone')).toBeLessThan(0.1);
  });

  it('reads hand-offs from the words as the log recorded them', () => {
    const disagree = data.filter((r) => r.handedOff !== r.loggedEscalated).length;
    expect(disagree).toBe(0);
  });
});
