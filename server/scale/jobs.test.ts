// The work queue's pure parts: job ids, what provider settings may travel, and --rate.
import { describe, expect, it } from 'vitest';
import { ConversationJob, jobId, providerOf, shareableSettings } from './jobs.ts';
import { parseRateLimit } from './worker.ts';

const both = { zh: '您好', en: 'Hello' };
const TEMPLATE = { id: 't', version: 1, system: both, escalation: { rules: both, message: both }, fallback_message: both, policy: both };

describe('work jobs', () => {
  it('names a job by run, case and trial without the colon BullMQ refuses in ids', () => {
    expect(jobId('run-1', 'web-1#2', 3)).toBe('run-1|web-1%232|3');
    expect(jobId('run-1', 'a:b', 1)).not.toContain(':');
    expect(jobId('run-1', 'a|b', 1)).not.toBe(jobId('run-1|a', 'b', 1));
  });

  it('never lets API keys or tokens travel through Redis, only settings such as a base URL', () => {
    expect(shareableSettings({ openai: { baseURL: 'http://x/v1', apiKey: 'sk-secret', timeoutMs: 5 }, hf: { accessToken: 'hf_secret' } as never })).toEqual({ openai: { baseURL: 'http://x/v1', timeoutMs: 5 } });
  });

  it('refuses a conversation job with a response cache but no channel to the writer\'s recordings', () => {
    const job = { kind: 'conversation', scenario: {}, candidate: { name: 'c', model: 'openai:m', template: TEMPLATE, params: { temperature: 0, max_tokens: 10 } }, simulator: 'offline', trial: 1, seed: 1, settings: {} };
    expect(ConversationJob.safeParse({ ...job, cache: 'off' }).success).toBe(true);
    expect(ConversationJob.safeParse({ ...job, cache: 'replay' }).error?.issues[0]?.message).toMatch(/needs the writer's cache channel/);
    expect(ConversationJob.safeParse({ ...job, cache: 'replay', cache_channel: '0b6f4c8e-3c1a-4d7e-9f00-1a2b3c4d5e6f' }).success).toBe(true);
    expect(ConversationJob.safeParse({ ...job, cache: 'read', cache_channel: '../x' }).success).toBe(false);
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
