// The conversation list's filters: failed only (goal not met or an error), one language.
import type { ConversationRow } from '../../../lib/contract.ts';

export interface ConversationFilters {
  failedOnly: boolean;
  /** '' for every language. */
  language: string;
}

export const failed = (c: Pick<ConversationRow, 'goal_met' | 'error'>) => !c.goal_met || c.error !== null;

export function filterConversations<T extends Pick<ConversationRow, 'goal_met' | 'error' | 'language'>>(rows: readonly T[], filters: ConversationFilters): T[] {
  return rows.filter((c) => (!filters.failedOnly || failed(c)) && (filters.language === '' || c.language === filters.language));
}

export function languagesOf(rows: readonly Pick<ConversationRow, 'language'>[]): string[] {
  return [...new Set(rows.map((r) => r.language))].sort();
}
