// The customer's CRM record as it stood on a given day: only purchases made on or before that day,
// each with its warranty judged as of that day. Prompts, suite cases, live answers and the
// labeling view all take the record through here, so none of them sees a purchase from the future.
import type { CustomerView } from './api.ts';
import type { Customer, Purchase } from './dialogue.ts';
import { warrantyOn } from './warranty.ts';

/** A record whose purchases may or may not already carry a warranty status (it is recomputed). */
export type CustomerRecord = Omit<Customer, 'purchases'> & { purchases: readonly (Purchase | CustomerView['purchases'][number])[] };

/**
 * `onDay` is the contact's local date (YYYY-MM-DD, or an ISO timestamp whose date part is taken).
 * Fields other than purchases are kept as they are (callers that send the view out strip the name).
 */
export function customerViewAsOf(customer: CustomerRecord, onDay: string): CustomerView {
  const day = onDay.slice(0, 10);
  const purchases = purchasesAsOf(customer.purchases, day).map((p) => {
    const { warranty: _old, ...purchase } = p as CustomerView['purchases'][number];
    return { ...purchase, warranty: warrantyOn(purchase, day) };
  });
  return { ...customer, purchases };
}

/** The purchases made on or before `onDay` (same format as above), in the record's order: what a view as of that day lists. */
export function purchasesAsOf<P extends Pick<Purchase, 'purchased_at'>>(purchases: readonly P[], onDay: string): P[] {
  const day = onDay.slice(0, 10);
  return purchases.filter((p) => p.purchased_at <= day);
}

/** The same view without the customer's name: for anything that leaves the store (prompts, suites, model calls). */
export function anonymousCustomerViewAsOf(customer: CustomerRecord, onDay: string): CustomerView {
  const { name: _name, ...view } = customerViewAsOf(customer, onDay);
  return view;
}
