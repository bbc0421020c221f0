// The prompt of an example as plain chat messages (system, few-shot, conversation), without weights.
import type { ChatMessage } from '../../domain/eval.ts';
import type { PreferenceExample, SftExample } from '../examples.ts';

export function promptMessages(e: SftExample | PreferenceExample): ChatMessage[] {
  return [
    { role: 'system', content: e.system },
    ...e.few_shot.map((m) => ({ role: m.role, content: m.content })),
    ...e.history.map((m) => ({ role: m.role, content: m.content })),
  ];
}
