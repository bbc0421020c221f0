// OpenAI preference fine-tuning (DPO): {"input":{"messages":[…]},"preferred_output":[assistant],"non_preferred_output":[assistant]}.
import type { PreferenceFormat } from './format.ts';
import { promptMessages } from './prompt-messages.ts';
import { checkChatMessages, checkSingleAssistant, isObject } from './record-checks.ts';

export const openaiDpo: PreferenceFormat = {
  id: 'openai-dpo',
  kind: 'preference',
  minExamples: 10,
  encode: (e) => ({
    input: { messages: promptMessages(e) },
    preferred_output: [{ role: 'assistant', content: e.chosen }],
    non_preferred_output: [{ role: 'assistant', content: e.rejected }],
  }),
  check: (record) => {
    if (!isObject(record)) return ['the line is not a JSON object'];
    if (!isObject(record.input)) return ['input must be an object with messages'];
    return [
      ...checkChatMessages(record.input.messages, 'input.messages', { roles: ['system', 'user', 'assistant'] }),
      ...checkSingleAssistant(record.preferred_output, 'preferred_output'),
      ...checkSingleAssistant(record.non_preferred_output, 'non_preferred_output'),
    ];
  },
};
