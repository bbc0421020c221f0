import { describe, expect, it } from 'vitest';
import { anonymousCustomerViewAsOf, customerViewAsOf } from './customer-view.ts';

const RECORD = {
  customer_id: 'c-1',
  name: '王芳',
  tier: 'gold' as const,
  purchases: [
    { product: 'Nova X5 手机', purchased_at: '2025-04-01', warranty_months: 12, order_id: 'DD1' },
    { product: 'Aero 14 笔记本电脑', purchased_at: '2026-04-07', warranty_months: 24, order_id: 'DD2' },
    { product: 'Vista 55 电视', purchased_at: '2026-04-10', warranty_months: 24, order_id: 'DD3' },
  ],
};

describe('customerViewAsOf', () => {
  it('holds only purchases made on or before the contact date: a case of 2026-04-07 never lists one of 2026-04-10', () => {
    const view = customerViewAsOf(RECORD, '2026-04-07');
    expect(view.purchases.map((p) => p.order_id)).toEqual(['DD1', 'DD2']);
  });

  it('judges warranty as of the contact date, not today', () => {
    const view = customerViewAsOf(RECORD, '2026-03-31T22:00:00+08:00');
    expect(view.purchases).toHaveLength(1);
    expect(view.purchases[0]!.warranty).toEqual({ status: 'in_warranty', expires_on: '2026-03-31', days_left: 0 });
    expect(customerViewAsOf(RECORD, '2026-04-01').purchases[0]!.warranty.status).toBe('expired');
  });

  it('recomputes a warranty status the record already carries', () => {
    const stale = { ...RECORD, purchases: [{ ...RECORD.purchases[0]!, warranty: { status: 'in_warranty' as const, expires_on: '2026-03-31', days_left: 400 } }] };
    expect(customerViewAsOf(stale, '2026-04-07').purchases[0]!.warranty.status).toBe('expired');
  });

  it('keeps the name for reviewers and drops it for anything that leaves the store', () => {
    expect(customerViewAsOf(RECORD, '2026-04-07').name).toBe('王芳');
    expect(anonymousCustomerViewAsOf(RECORD, '2026-04-07')).not.toHaveProperty('name');
  });
});
