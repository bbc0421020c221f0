// Latency: 1 at or under the target, falling linearly to 0 at the limit (defaults 2 s and 10 s).
import { z } from 'zod';
import type { Scorer } from '../domain/eval.ts';
import { fmt, scoreResult } from './scorer-result.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

export const LatencyOptions = z
  .strictObject({
    threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLDS.latency),
    /** At or under this, the score is 1. */
    target_ms: z.number().min(0).default(2_000),
    /** At or over this, the score is 0. */
    max_ms: z.number().positive().default(10_000),
  })
  .refine((o) => o.max_ms > o.target_ms, { message: 'max_ms must be greater than target_ms', path: ['max_ms'] });
export type LatencyOptions = z.input<typeof LatencyOptions>;

export function latencyScore(latencyMs: number, targetMs: number, maxMs: number): number {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) return 0;
  if (latencyMs <= targetMs) return 1;
  return Math.max(0, (maxMs - latencyMs) / (maxMs - targetMs));
}

export function createLatencyScorer(options: LatencyOptions = {}): Scorer {
  const o = LatencyOptions.parse(options);
  return {
    name: 'latency',
    threshold: o.threshold,
    method: 'offline',
    async score(input) {
      const ms = input.latency_ms;
      if (!Number.isFinite(ms) || ms < 0) return scoreResult(0, o.threshold, `no valid latency recorded (${String(ms)})`);
      const s = latencyScore(ms, o.target_ms, o.max_ms);
      return scoreResult(s, o.threshold, `${Math.round(ms)} ms (1 at <= ${o.target_ms} ms, 0 at >= ${o.max_ms} ms) -> ${fmt(s)}`);
    },
  };
}
