import { describe, expect, it } from 'vitest';
import { LabelFields, type Label } from '../domain/label.ts';
import { computeAgreement, disagreeingFields } from './agreement.ts';

const label = (dialogue_id: string, reviewer: string, f: Partial<LabelFields>, status: Label['status'] = 'submitted'): Label => ({
  ...LabelFields.parse(f),
  dialogue_id,
  reviewer,
  status,
  version: 1,
  schema_version: 1,
  created_at: '',
  updated_at: '',
});

describe('computeAgreement', () => {
  it('gives kappa 1 and alpha 1 when two reviewers agree on varied items', () => {
    const labels = ['yes', 'no', 'yes', 'unclear'].flatMap((fcr, i) => [label(`d${i}`, 'a', { fcr } as Partial<LabelFields>), label(`d${i}`, 'b', { fcr } as Partial<LabelFields>)]);
    const report = computeAgreement(labels);
    const fcr = report.fields.find((f) => f.field === 'fcr')!;
    expect(fcr.alpha).toBeCloseTo(1);
    expect(fcr.pairs).toEqual([{ a: 'a', b: 'b', n: 4, kappa: 1 }]);
    expect(report.disagreements).toBe(0);
    expect(report.reviewers).toEqual([
      { reviewer: 'a', labeled: 4, disagreement_rate: 0 },
      { reviewer: 'b', labeled: 4, disagreement_rate: 0 },
    ]);
  });

  it('computes Cohen’s kappa of a textbook 2x2 table (kappa 0.4)', () => {
    // 50 items: both yes 20, a yes/b no 5, a no/b yes 10, both no 15 -> po 0.7, pe 0.5, kappa 0.4
    const pairs = [...Array(20).fill(['yes', 'yes']), ...Array(5).fill(['yes', 'no']), ...Array(10).fill(['no', 'yes']), ...Array(15).fill(['no', 'no'])];
    const labels = pairs.flatMap(([x, y], i) => [label(`d${i}`, 'a', { fcr: x }), label(`d${i}`, 'b', { fcr: y })]);
    const fcr = computeAgreement(labels).fields.find((f) => f.field === 'fcr')!;
    expect(fcr.pairs[0]!.kappa).toBeCloseTo(0.4, 10);
    expect(fcr.units).toBe(50);
  });

  it('treats tone as ordinal: a 4 against a 5 disagrees less than a 1 against a 5', () => {
    const near = computeAgreement([label('x', 'a', { tone: 4 }), label('x', 'b', { tone: 5 }), label('y', 'a', { tone: 2 }), label('y', 'b', { tone: 2 }), label('z', 'a', { tone: 1 }), label('z', 'b', { tone: 1 })]);
    const far = computeAgreement([label('x', 'a', { tone: 1 }), label('x', 'b', { tone: 5 }), label('y', 'a', { tone: 2 }), label('y', 'b', { tone: 2 }), label('z', 'a', { tone: 1 }), label('z', 'b', { tone: 1 })]);
    const alpha = (r: ReturnType<typeof computeAgreement>) => r.fields.find((f) => f.field === 'tone')!.alpha!;
    expect(alpha(near)).toBeGreaterThan(alpha(far));
  });

  it('ignores drafts and counts a reviewer’s disagreement rate over co-labeled dialogues only', () => {
    const report = computeAgreement([
      label('d1', 'a', { fcr: 'yes' }),
      label('d1', 'b', { fcr: 'no' }),
      label('d2', 'a', { fcr: 'yes' }),
      label('d2', 'b', { fcr: 'yes' }),
      label('d3', 'a', { fcr: 'no' }),
      label('d3', 'c', { fcr: 'yes' }, 'draft'),
    ]);
    expect(report.disagreements).toBe(1);
    expect(report.reviewers).toEqual([
      { reviewer: 'a', labeled: 3, disagreement_rate: 0.5 },
      { reviewer: 'b', labeled: 2, disagreement_rate: 0.5 },
    ]);
  });
});

describe('disagreeingFields', () => {
  it('names the fields on which labels differ, ignoring empty ones', () => {
    expect(disagreeingFields([label('d', 'a', { fcr: 'yes', tone: 3, intent: 'refund' }), label('d', 'b', { fcr: 'no', tone: 3 })])).toEqual(['fcr']);
  });
});
