import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssues, parseOrUsageError } from './errors.ts';

describe('formatIssues', () => {
  it('prefixes each message with its field unless the message names it, and joins them', () => {
    const issues = [
      { path: ['suite'], message: 'suite is required' },
      { path: ['limit'], message: 'expected number' },
      { path: ['items', 0, 'id'], message: 'too short' },
      { path: [], message: 'unknown keys' },
    ];
    expect(formatIssues(issues)).toBe('suite is required; limit: expected number; items.0.id: too short; arguments: unknown keys');
    expect(formatIssues(issues.slice(1, 2), (p) => `--${String(p[0])}`)).toBe('--limit: expected number');
  });
});

describe('parseOrUsageError', () => {
  const Schema = z.object({ n: z.coerce.number().int().min(1), name: z.string({ message: '--name is required' }) });

  it('returns the parsed value', () => {
    expect(parseOrUsageError(Schema, { n: '3', name: 'a' })).toEqual({ n: 3, name: 'a' });
  });

  it('throws one usage error listing every issue', () => {
    expect(() => parseOrUsageError(Schema, { n: '0' }, (p) => `--${String(p[0])}`)).toThrow(
      expect.objectContaining({ code: 'usage', status: 400, message: expect.stringMatching(/^--n: .+; --name is required$/) }),
    );
  });
});
