import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse.ts';

describe('createSseParser', () => {
  it('yields each complete event, across chunk boundaries, and ignores comments', () => {
    const seen: string[] = [];
    const feed = createSseParser((d) => seen.push(d));
    feed('data: {"a":1}\n\nda');
    feed('ta: {"a":2}\r\n\r\n: comment\n\ndata: {"a"');
    expect(seen).toEqual(['{"a":1}', '{"a":2}']);
    feed(':3}\n\n');
    expect(seen).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
  });
});
