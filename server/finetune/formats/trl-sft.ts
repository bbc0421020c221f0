// TRL SFTTrainer, conversational: {"messages":[{"role","content"}]}. No per-message weights, so
// dialogues with a flagged earlier agent turn are left out rather than learned.
import type { SftFormat } from './format.ts';
import { promptMessages } from './prompt-messages.ts';
import { checkChatMessages, isObject } from './record-checks.ts';

export const trlSft: SftFormat = {
  id: 'trl',
  kind: 'sft',
  masksHistory: false,
  minExamples: 1,
  encode: (e) => ({ messages: [...promptMessages(e), { role: 'assistant', content: e.reply }] }),
  check: (record) =>
    isObject(record) ? checkChatMessages(record.messages, 'messages', { roles: ['system', 'user', 'assistant'], needAssistant: true }) : ['the line is not a JSON object'],
};
