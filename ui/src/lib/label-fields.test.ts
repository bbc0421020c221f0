import { describe, expect, it } from 'vitest';
import { differingFields, emptyFields, fieldsOf, linesOf } from './label-fields.ts';

describe('label fields', () => {
  it('finds fields that differ, comparing lists as sets', () => {
    const a = { ...emptyFields(), fcr: 'yes' as const, tone_tags: ['polite' as const, 'empathetic' as const] };
    const b = { ...emptyFields(), fcr: 'no' as const, tone_tags: ['empathetic' as const, 'polite' as const] };
    expect(differingFields([a, b])).toEqual(['fcr']);
    expect(differingFields([a])).toEqual([]);
  });

  it('takes only label fields from a saved label', () => {
    const fields = fieldsOf({ fcr: 'yes', reviewer: 'alice', version: 3 } as never);
    expect(fields).toEqual({ ...emptyFields(), fcr: 'yes' });
  });

  it('splits facts into trimmed non-empty lines', () => {
    expect(linesOf(' a \n\n b\r\n')).toEqual(['a', 'b']);
  });
});
