// TRL DPOTrainer, conversational preference: {"prompt":[…],"chosen":[assistant],"rejected":[assistant]}.
import type { PreferenceFormat } from './format.ts';
import { promptMessages } from './prompt-messages.ts';
import { checkChatMessages, checkSingleAssistant, isObject } from './record-checks.ts';

export const trlPreference: PreferenceFormat = {
  id: 'trl-preference',
  kind: 'preference',
  minExamples: 1,
  encode: (e) => ({
    prompt: promptMessages(e),
    chosen: [{ role: 'assistant', content: e.chosen }],
    rejected: [{ role: 'assistant', content: e.rejected }],
  }),
  check: (record) => {
    if (!isObject(record)) return ['the line is not a JSON object'];
    return [
      ...checkChatMessages(record.prompt, 'prompt', { roles: ['system', 'user', 'assistant'] }),
      ...checkSingleAssistant(record.chosen, 'chosen'),
      ...checkSingleAssistant(record.rejected, 'rejected'),
    ];
  },
};
