import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/temp.ts';
import { estimateTokens } from './token-estimate.ts';
import { MAX_EXAMPLE_TOKENS, validateJsonlFile, validateRecords } from './validate.ts';

const chat = (i: number) => ({
  messages: [
    { role: 'system', content: 'You are a support agent.' },
    { role: 'user', content: `Question ${i}?` },
    { role: 'assistant', content: 'An answer.', weight: 1 },
  ],
});
const ten = Array.from({ length: 10 }, (_, i) => chat(i));

describe('validateRecords (openai)', () => {
  it('accepts ten well-formed examples and reports token statistics', () => {
    const result = validateRecords('openai', ten);
    expect(result.valid).toBe(true);
    expect(result.errors).toEqual([]);
    expect(result.stats.examples).toBe(10);
    expect(result.stats.tokens.total).toBe(10 * estimateTokens('You are a support agent. Question 0? An answer.'));
  });

  it.each([
    ['a bad role', { messages: [{ role: 'customer', content: 'hi' }, { role: 'assistant', content: 'hello' }] }, /role must be one of system, user, assistant/],
    ['empty content', { messages: [{ role: 'user', content: '  ' }, { role: 'assistant', content: 'hello' }] }, /content must be a non-empty string/],
    ['no assistant message', { messages: [{ role: 'system', content: 's' }, { role: 'user', content: 'hi' }] }, /no assistant message/],
    ['a weight on a user message', { messages: [{ role: 'user', content: 'hi', weight: 1 }, { role: 'assistant', content: 'hello' }] }, /weight is allowed only on assistant/],
    ['a weight other than 0 or 1', { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', weight: 0.5 }] }, /weight must be 0 or 1/],
    ['no messages', { prompt: 'hi' }, /messages must be an array/],
  ])('rejects %s, naming the line', (_, broken, reason) => {
    const result = validateRecords('openai', [...ten.slice(0, 4), broken, ...ten.slice(4)]);
    expect(result.valid).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.line).toBe(5);
    expect(result.errors[0]!.reason).toMatch(reason);
  });

  it('rejects fewer than ten examples (OpenAI minimum)', () => {
    const result = validateRecords('openai', ten.slice(0, 9));
    expect(result.valid).toBe(false);
    expect(result.errors).toEqual([{ line: 0, reason: '9 examples; openai needs at least 10' }]);
    expect(validateRecords('openai', ten.slice(0, 9), { minExamples: 1 }).valid).toBe(true);
  });

  it('warns about an example above 65,536 tokens', () => {
    const long = { messages: [{ role: 'user', content: '字'.repeat(MAX_EXAMPLE_TOKENS + 1) }, { role: 'assistant', content: 'ok' }] };
    const result = validateRecords('openai', [...ten, long]);
    expect(result.valid).toBe(true);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]!.line).toBe(11);
    expect(result.stats.tokens.max).toBeGreaterThan(MAX_EXAMPLE_TOKENS);
  });
});

describe('validateRecords (other formats)', () => {
  const pairMessages = [{ role: 'user', content: 'hi' }];
  it('checks OpenAI DPO', () => {
    const ok = { input: { messages: pairMessages }, preferred_output: [{ role: 'assistant', content: 'a' }], non_preferred_output: [{ role: 'assistant', content: 'b' }] };
    expect(validateRecords('openai-dpo', Array(10).fill(ok)).valid).toBe(true);
    const broken = [
      { ...ok, input: { messages: [] } },
      { ...ok, preferred_output: [{ role: 'assistant', content: 'a' }, { role: 'assistant', content: 'c' }] },
      { ...ok, non_preferred_output: [{ role: 'user', content: 'b' }] },
    ];
    const result = validateRecords('openai-dpo', [...Array(10).fill(ok), ...broken]);
    expect(result.errors.map((e) => e.line)).toEqual([11, 12, 13]);
    expect(result.errors[0]!.reason).toMatch(/input.messages is empty/);
  });

  it('checks TRL preference, TRL SFT, ShareGPT and Alpaca', () => {
    expect(validateRecords('trl-preference', [{ prompt: pairMessages, chosen: [{ role: 'assistant', content: 'a' }], rejected: [{ role: 'assistant', content: 'b' }] }]).valid).toBe(true);
    expect(validateRecords('trl-preference', [{ prompt: pairMessages, chosen: [{ role: 'assistant', content: 'a' }] }]).errors[0]!.reason).toMatch(/rejected/);
    expect(validateRecords('trl', [{ messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'b', weight: 1 }] }]).errors[0]!.reason).toMatch(/weight is not allowed/);
    expect(validateRecords('sharegpt', [{ conversations: [{ from: 'human', value: 'a' }, { from: 'gpt', value: 'b' }] }]).valid).toBe(true);
    expect(validateRecords('sharegpt', [{ conversations: [{ from: 'user', value: 'a' }, { from: 'gpt', value: 'b' }] }]).errors[0]!.reason).toMatch(/from must be one of/);
    expect(validateRecords('sharegpt', [{ conversations: [{ from: 'human', value: 'a' }] }]).errors[0]!.reason).toMatch(/no assistant/);
    expect(validateRecords('alpaca', [{ instruction: 'i', input: '', output: 'o' }]).valid).toBe(true);
    expect(validateRecords('alpaca', [{ instruction: 'i', output: '' }]).errors.map((e) => e.reason)).toEqual(['input must be a string', 'output must be a non-empty string']);
  });
});

describe('validateJsonlFile', () => {
  it('reads a file line by line, reporting lines that are not JSON or empty', async () => {
    const dir = tempDir();
    const path = join(dir, 'train.jsonl');
    writeFileSync(path, `${ten.map((r) => JSON.stringify(r)).join('\n')}\n{not json\n\n${JSON.stringify(chat(11))}\n`);
    const result = await validateJsonlFile(path, 'openai');
    expect(result.errors.map((e) => [e.line, e.reason.slice(0, 8)])).toEqual([[11, 'not JSON'], [12, 'empty li']]);
    expect(result.stats.examples).toBe(13);
  });
});

describe('estimateTokens', () => {
  it('counts CJK characters once and English words 1.3 times', () => {
    expect(estimateTokens('屏幕碎了')).toBe(4);
    expect(estimateTokens('my screen cracked')).toBe(4);
    expect(estimateTokens('Phone X 屏幕')).toBe(Math.ceil(2 + 2 * 1.3));
    expect(estimateTokens('')).toBe(0);
  });
});
