// ShareGPT (LLaMA-Factory, Axolotl): {"conversations":[{"from":"system|human|gpt","value"}]}. No
// per-message weights: dialogues with a flagged earlier agent turn are left out.
import type { SftFormat } from './format.ts';
import { promptMessages } from './prompt-messages.ts';
import { checkChatMessages, isObject } from './record-checks.ts';

const FROM = { system: 'system', user: 'human', assistant: 'gpt' } as const;

export const sharegpt: SftFormat = {
  id: 'sharegpt',
  kind: 'sft',
  masksHistory: false,
  minExamples: 1,
  encode: (e) => ({
    conversations: [...promptMessages(e), { role: 'assistant' as const, content: e.reply }].map((m) => ({ from: FROM[m.role], value: m.content })),
  }),
  check: (record) =>
    isObject(record)
      ? checkChatMessages(record.conversations, 'conversations', { roles: ['system', 'human', 'gpt'], roleKey: 'from', contentKey: 'value', needAssistant: true })
      : ['the line is not a JSON object'],
};
