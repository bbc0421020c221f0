import { describe, expect, it } from 'vitest';
import { idFraction, isHeldOut, splitById } from './holdout-split.ts';

describe('splitById', () => {
  it('puts about the asked share aside, the same way every time', () => {
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: `d${i}` }));
    const { train, heldOut } = splitById(items, 0.2);
    expect(train.length + heldOut.length).toBe(5000);
    expect(heldOut.length / 5000).toBeGreaterThan(0.18);
    expect(heldOut.length / 5000).toBeLessThan(0.22);
    expect(splitById(items, 0.2).heldOut).toEqual(heldOut);
  });

  it('depends only on the id (so both languages of a dialogue land on the same side) and the salt', () => {
    expect(isHeldOut('3830772740080373')).toBe(isHeldOut('3830772740080373'));
    expect(idFraction('x', 'a')).not.toBe(idFraction('x', 'b'));
    const zh = [{ id: 'a1', text: '你好' }];
    const en = [{ id: 'a1', text: 'hello' }];
    expect(splitById(zh).heldOut.length).toBe(splitById(en).heldOut.length);
  });
});
