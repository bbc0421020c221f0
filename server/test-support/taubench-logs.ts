// tau-bench's retail dialogues (../shared/data) as the checks against real logs read them: converted
// by the ingest reader, with the ground truth those checks hold action detection to, written out by
// hand from tau-bench's own tool names rather than taken from the code under test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Turn } from '../domain/dialogue.ts';
import { convertTaubenchDisplay } from '../ingest/formats/taubench.ts';
import { SHARED_DATA } from './temp.ts';

/** Each dialogue's turns, in file order. */
export function taubenchDialogues(): Turn[][] {
  const lines = readFileSync(join(SHARED_DATA, 'tau-bench-retail', 'retail-dialogues.jsonl'), 'utf8').trim().split('\n');
  return lines.map((line) => {
    const converted = convertTaubenchDisplay((JSON.parse(line) as { messages_display: string }).messages_display);
    if (!('value' in converted)) throw new Error(converted.reason);
    return converted.value.turns;
  });
}

/** tau-bench's tools that change the order or the account (the rest look things up). */
export const STATE_CHANGING_TOOLS: ReadonlySet<string> = new Set([
  'cancel_pending_order',
  'return_delivered_order_items',
  'exchange_delivered_order_items',
  'modify_pending_order_items',
  'modify_pending_order_address',
  'modify_pending_order_payment',
  'modify_user_address',
  'transfer_to_human_agents',
]);

/** The simple baseline for "this reply states an action taken": an action word and a perfect tense anywhere in it. */
export const keywordActionClaim = (text: string): boolean =>
  /\b(?:refund|cancel|process|return|exchang|modif|updat|chang|transfer|submit|sent|issu)\w*/i.test(text) && /\b(?:i've|i have|we've|we have|has been|have been)\b/i.test(text);
