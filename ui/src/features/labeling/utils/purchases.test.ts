import { describe, expect, it } from 'vitest';
import { discussedPurchase, orderPurchases, productTerms } from './purchases.ts';

const purchases = [
  { product: 'Aero 14 笔记本电脑', purchased_at: '2025-02-18', order_id: 'DD20250218649216' },
  { product: 'Pulse Buds 2 无线耳机', purchased_at: '2026-06-12', order_id: 'DD20260612348916' },
  { product: 'Phone X', purchased_at: '2024-01-02' },
  { product: 'Care+ 服务套餐', purchased_at: '2026-01-05' },
];

describe('the purchase a dialogue is about', () => {
  it('takes Latin words (not bare small numbers) and CJK bigrams from a product name', () => {
    expect(productTerms('Aero 14 笔记本电脑')).toEqual(['aero', '笔记', '记本', '本电', '电脑']);
    expect(productTerms('Phone X')).toEqual(['phone']);
  });

  it('finds it by order id first, then by product words in either language', () => {
    expect(discussedPurchase(purchases, '订单 DD20250218649216 的电脑开不了机')?.product).toBe('Aero 14 笔记本电脑');
    expect(discussedPurchase(purchases, '我的无线耳机没声音了')?.product).toBe('Pulse Buds 2 无线耳机');
    expect(discussedPurchase(purchases, 'My phone screen cracked')?.product).toBe('Phone X');
    expect(discussedPurchase(purchases, 'Where is my parcel?')).toBeNull();
  });

  it('lists the discussed purchase first, then the rest newest first', () => {
    expect(orderPurchases(purchases, 'my Phone does not charge').ordered.map((p) => p.purchased_at)).toEqual(['2024-01-02', '2026-06-12', '2026-01-05', '2025-02-18']);
    const none = orderPurchases(purchases, 'hello');
    expect(none.discussed).toBeNull();
    expect(none.ordered.map((p) => p.purchased_at)).toEqual(['2026-06-12', '2026-01-05', '2025-02-18', '2024-01-02']);
  });
});
