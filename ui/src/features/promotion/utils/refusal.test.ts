import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api-client.ts';
import { refusalOf } from './refusal.ts';

const check = { name: 'fcr_mcnemar' as const, passed: false, detail: 'FCR is worse.', values: { b: 1, c: 4 } };

describe('refusalOf', () => {
  it('reads the gate decision a refused promotion carries', () => {
    const error = new ApiError(409, 'conflict', 'promotion refused by the gate: FCR is worse.', { decision: { allowed: false, checks: [check] }, forcible: true });
    expect(refusalOf(error)).toEqual({ decision: { allowed: false, checks: [check] }, forcible: true });
  });

  it('tells a refused incomplete run (not forcible, no decision) from a gate refusal', () => {
    const error = new ApiError(409, 'conflict', 'promotion refused: run run-1-abc is incomplete: 74 of 74 cases failed', { forcible: false });
    expect(refusalOf(error)).toEqual({ forcible: false });
  });

  it('is null for anything else', () => {
    expect(refusalOf(new ApiError(409, 'conflict', 'saved elsewhere'))).toBeNull();
    expect(refusalOf(new ApiError(400, 'usage', 'no finished run', { forcible: true }))).toBeNull();
    expect(refusalOf(new Error('boom'))).toBeNull();
  });
});
