// Which of the customer's purchases the dialogue is about, and the order the CRM card lists them in:
// that one first, then newest first. Decided from the dialogue's text as the reviewer reads it.

export interface PurchaseLike {
  product: string;
  purchased_at: string;
  order_id?: string;
  category?: string;
}

const CJK = /[\u3400-\u9fff]+/g;

/** Words of a product name to look for in the dialogue: Latin words (no bare short numbers) and CJK bigrams. */
export function productTerms(product: string): string[] {
  const lower = product.normalize('NFKC').toLowerCase();
  const latin = (lower.match(/[a-z0-9]+/g) ?? []).filter((w) => w.length >= 2 && !/^\d{1,3}$/.test(w));
  const cjk = (lower.match(CJK) ?? []).flatMap((run) => (run.length < 2 ? [] : Array.from({ length: run.length - 1 }, (_, i) => run.slice(i, i + 2))));
  return [...new Set([...latin, ...cjk])];
}

function sharedTerms(product: string, text: string, words: ReadonlySet<string>): number {
  return productTerms(product).filter((term) => (/^[a-z0-9]+$/.test(term) ? words.has(term) : text.includes(term))).length;
}

/** The purchase the text mentions: by order id, else by the most product words shared (newest on a tie); null when none is named. */
export function discussedPurchase<P extends PurchaseLike>(purchases: readonly P[], dialogueText: string): P | null {
  const text = dialogueText.normalize('NFKC').toLowerCase();
  const byOrder = purchases.find((p) => p.order_id !== undefined && p.order_id.length >= 4 && text.includes(p.order_id.toLowerCase()));
  if (byOrder) return byOrder;
  const words = new Set(text.match(/[a-z0-9]+/g) ?? []);
  let best: P | null = null;
  let bestShared = 0;
  for (const p of purchases) {
    const shared = sharedTerms(p.product, text, words);
    if (shared > bestShared || (shared > 0 && shared === bestShared && best !== null && p.purchased_at > best.purchased_at)) {
      best = p;
      bestShared = shared;
    }
  }
  return best;
}

/** The discussed purchase first, then the rest newest first. */
export function orderPurchases<P extends PurchaseLike>(purchases: readonly P[], dialogueText: string): { ordered: P[]; discussed: P | null } {
  const discussed = discussedPurchase(purchases, dialogueText);
  const rest = purchases.filter((p) => p !== discussed).sort((a, b) => b.purchased_at.localeCompare(a.purchased_at));
  return { ordered: discussed ? [discussed, ...rest] : rest, discussed };
}
