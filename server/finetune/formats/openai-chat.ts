// OpenAI chat fine-tuning: {"messages":[{"role","content","weight"?}]}; weight 0 on an assistant
// message keeps it as context without training on it.
import type { SftFormat } from './format.ts';
import { checkChatMessages, isObject } from './record-checks.ts';

export const openaiChat: SftFormat = {
  id: 'openai',
  kind: 'sft',
  masksHistory: true,
  minExamples: 10,
  encode: (e) => ({
    messages: [
      { role: 'system', content: e.system },
      ...e.few_shot.map((m) => (m.role === 'assistant' ? { role: 'assistant', content: m.content, weight: 0 } : { role: m.role, content: m.content })),
      ...e.history.map((m) => (m.role === 'assistant' ? { role: 'assistant', content: m.content, weight: m.weight } : { role: 'user', content: m.content })),
      { role: 'assistant', content: e.reply, weight: 1 },
    ],
  }),
  check: (record) =>
    isObject(record) ? checkChatMessages(record.messages, 'messages', { roles: ['system', 'user', 'assistant'], weights: true, needAssistant: true }) : ['the line is not a JSON object'],
};
