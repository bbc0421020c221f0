// The fine-tuning formats by id.
import type { FinetuneFormat } from '../../domain/finetune.ts';
import { alpaca } from './alpaca.ts';
import type { FormatSpec } from './format.ts';
import { openaiChat } from './openai-chat.ts';
import { openaiDpo } from './openai-dpo.ts';
import { sharegpt } from './sharegpt.ts';
import { trlPreference } from './trl-preference.ts';
import { trlSft } from './trl-sft.ts';

export const FORMATS: Readonly<Record<FinetuneFormat, FormatSpec>> = {
  'openai': openaiChat,
  'openai-dpo': openaiDpo,
  'trl': trlSft,
  'trl-preference': trlPreference,
  sharegpt,
  alpaca,
};
