// The work queue's pure parts: job ids, what provider settings may travel, and --rate.
import { describe, expect, it } from 'vitest';
import { jobId, providerOf, shareableSettings } from './jobs.ts';
import { parseRateLimit } from './worker.ts';

describe('work jobs', () => {
  it('names a job by run, case and trial without the colon BullMQ refuses in ids', () => {
    expect(jobId('run-1', 'web-1#2', 3)).toBe('run-1|web-1%232|3');
    expect(jobId('run-1', 'a:b', 1)).not.toContain(':');
    expect(jobId('run-1', 'a|b', 1)).not.toBe(jobId('run-1|a', 'b', 1));
  });

  it('never lets API keys or tokens travel through Redis, only settings such as a base URL', () => {
    expect(shareableSettings({ openai: { baseURL: 'http://x/v1', apiKey: 'sk-secret', timeoutMs: 5 }, hf: { accessToken: 'hf_secret' } as never })).toEqual({ openai: { baseURL: 'http://x/v1', timeoutMs: 5 } });
  });

  it('finds the provider queue of a model id', () => {
    expect(providerOf('openai:gpt-4o-mini')).toBe('openai');
    expect(providerOf('hf:Qwen/Qwen2.5-7B-Instruct:together')).toBe('hf');
    expect(() => providerOf('nope:x')).toThrow(/unknown provider/);
  });

  it('reads --rate as a count per window, and says what it wants when it cannot', () => {
    expect(parseRateLimit('openai=20/s')).toEqual(['openai', { max: 20, durationMs: 1000 }]);
    expect(parseRateLimit('hf=300/min')).toEqual(['hf', { max: 300, durationMs: 60_000 }]);
    expect(parseRateLimit('openai=5/500ms')).toEqual(['openai', { max: 5, durationMs: 500 }]);
    expect(() => parseRateLimit('openai=fast')).toThrow(/--rate wants provider=N\/unit/);
    expect(() => parseRateLimit('anthropic=1/s')).toThrow(/openai, hf, replay, local/);
  });
});
