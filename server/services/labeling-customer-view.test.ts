import { describe, expect, it } from 'vitest';
import { fixtureDialogue, labelingStore } from '../test-support/labeling-fixture.ts';
import { LabelingService } from './labeling.ts';

describe("the reviewer's view of the customer", () => {
  it('shows the record as the agent had it: purchases by the contact date, warranty as of that day, with the name', async () => {
    // FIXTURE_CUSTOMER bought Phone 9 on 2025-01-02 and Phone X on 2026-02-09; this contact is on 2026-01-01.
    const { db } = await labelingStore([fixtureDialogue('early', { started_at: '2026-01-01T10:00:00+08:00' })]);
    const view = await new LabelingService(db).view('early', { id: 'k1', name: 'alice', role: 'reviewer', created_at: '2026-01-01T00:00:00Z' });
    expect(view.customer!.name).toBe('李娜');
    expect(view.customer!.purchases.map((p) => p.product)).toEqual(['Phone 9']);
    expect(view.customer!.purchases[0]!.warranty).toEqual({ status: 'in_warranty', expires_on: '2026-01-01', days_left: 0 });
  });
});
