import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown } from './mini-markdown.ts';

describe('mini markdown', () => {
  it('parses headings, lists and paragraphs', () => {
    const blocks = parseMarkdown('# Title\n\nFirst line\nsecond line\n\n- a\n- **b**\n\n1. one\n2. two');
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'list', 'list']);
    expect(blocks[1]).toEqual({ kind: 'paragraph', lines: [[{ kind: 'text', text: 'First line' }], [{ kind: 'text', text: 'second line' }]] });
    expect(blocks[2]).toMatchObject({ ordered: false, items: [[{ kind: 'text', text: 'a' }], [{ kind: 'bold', text: 'b' }]] });
    expect(blocks[3]).toMatchObject({ ordered: true, start: 1 });
  });

  it('keeps the numbering of numbered items separated by blank lines', () => {
    const blocks = parseMarkdown('1. one\n\n2. two');
    expect(blocks).toMatchObject([{ start: 1 }, { start: 2 }]);
  });

  it('keeps HTML as plain text', () => {
    expect(parseInline('<img src=x onerror=alert(1)> `<b>`')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> ' },
      { kind: 'code', text: '<b>' },
    ]);
  });
});
