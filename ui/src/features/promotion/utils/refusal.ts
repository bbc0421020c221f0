// A refused promotion (409) carries the refusal as data beside its message: the gate's decision
// when the gate said no, and whether an admin may force it (never for an incomplete run).
import { ApiError } from '../../../lib/api-client.ts';
import { PromotionRefusal } from '../../../lib/contract.ts';

/** The refusal a failed promotion carries, or null when the error is not a refusal. */
export function refusalOf(error: unknown): PromotionRefusal | null {
  if (!ApiError.isInstance(error) || error.status !== 409) return null;
  const parsed = PromotionRefusal.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}
