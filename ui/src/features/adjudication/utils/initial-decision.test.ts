import { describe, expect, it } from 'vitest';
import { emptyFields } from '../../../lib/label-fields.ts';
import { initialDecision, undecided } from './initial-decision.ts';

describe('initial decision', () => {
  const a = { ...emptyFields(), intent: 'refund', fcr: 'yes' as const, tone: 4, notes: 'a' };
  const b = { ...emptyFields(), intent: 'refund', fcr: 'no' as const, tone: 4, notes: 'b' };

  it('keeps what reviewers agree on and empties disputed agreement fields', () => {
    const decision = initialDecision([a, b], null);
    expect(decision).toMatchObject({ intent: 'refund', fcr: null, tone: 4, notes: 'a' });
    expect(undecided(decision, ['fcr', 'notes'])).toEqual(['fcr']);
  });

  it('starts from the gold label when there is one', () => {
    expect(initialDecision([a, b], { ...b, fcr: 'unclear' })).toMatchObject({ fcr: 'unclear' });
  });
});
