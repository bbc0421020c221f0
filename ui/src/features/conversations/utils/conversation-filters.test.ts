import { describe, expect, it } from 'vitest';
import { filterConversations, languagesOf } from './conversation-filters.ts';

const rows = [
  { id: 1, goal_met: true, error: null, language: 'en' },
  { id: 2, goal_met: false, error: null, language: 'zh' },
  { id: 3, goal_met: true, error: 'model down', language: 'zh' },
];

describe('conversation filters', () => {
  it('keeps failed conversations (goal not met or an error) and one language', () => {
    expect(filterConversations(rows, { failedOnly: true, language: '' }).map((r) => r.id)).toEqual([2, 3]);
    expect(filterConversations(rows, { failedOnly: false, language: 'en' }).map((r) => r.id)).toEqual([1]);
    expect(filterConversations(rows, { failedOnly: true, language: 'en' })).toEqual([]);
    expect(languagesOf(rows)).toEqual(['en', 'zh']);
  });
});
