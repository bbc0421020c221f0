// Alpaca: {"instruction","input","output"}. The instruction is the system prompt, the few-shot pairs
// and the conversation before the customer's last message written out as text; the input is that
// message; the output the reply. Only the output is learned, so earlier flagged turns need no mask.
import type { SftExample } from '../examples.ts';
import type { SftFormat } from './format.ts';
import { isObject, nonEmptyString } from './record-checks.ts';

const WORDS = {
  zh: { customer: '客户', agent: '客服', examples: '示例对话：', conversation: '此前的对话：' },
  en: { customer: 'Customer', agent: 'Agent', examples: 'Example exchanges:', conversation: 'Conversation so far:' },
} as const;

function instruction(e: SftExample): string {
  const w = WORDS[e.meta.language === 'zh' ? 'zh' : 'en'];
  const line = (role: string, content: string) => `${role === 'user' ? w.customer : w.agent}: ${content}`;
  const parts = [e.system];
  if (e.few_shot.length > 0) parts.push(`${w.examples}\n${e.few_shot.map((m) => line(m.role, m.content)).join('\n')}`);
  const before = e.history.slice(0, -1);
  if (before.length > 0) parts.push(`${w.conversation}\n${before.map((m) => line(m.role, m.content)).join('\n')}`);
  return parts.join('\n\n');
}

export const alpaca: SftFormat = {
  id: 'alpaca',
  kind: 'sft',
  masksHistory: true,
  minExamples: 1,
  encode: (e) => ({ instruction: instruction(e), input: e.history.at(-1)?.content ?? '', output: e.reply }),
  check: (record) => {
    if (!isObject(record)) return ['the line is not a JSON object'];
    const reasons: string[] = [];
    if (!nonEmptyString(record.instruction)) reasons.push('instruction must be a non-empty string');
    if (typeof record.input !== 'string') reasons.push('input must be a string');
    if (!nonEmptyString(record.output)) reasons.push('output must be a non-empty string');
    return reasons;
  },
};
