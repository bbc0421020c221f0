// Names that come from the data (channels) or the server (FCR reason codes), said in the UI language
// when the dictionary knows them, as they are otherwise.
import type { FcrEstimateView } from '../../../lib/contract.ts';
import { DICTIONARIES, type MessageKey, type MessageVars } from '../../../lib/i18n.ts';

type T = (key: MessageKey, vars?: MessageVars) => string;

const known = (key: string): key is MessageKey => Object.hasOwn(DICTIONARIES.en, key);

/** `web` -> 网页 in Chinese; a channel the dictionary does not know stays as logged. */
export function channelName(t: T, channel: string): string {
  const key = `channel.${channel}`;
  return known(key) ? t(key) : channel;
}

/** The estimate's reason in the UI language, from its code; the server's English text for a code the UI does not know. */
export function fcrReasonText(t: T, estimate: Pick<FcrEstimateView, 'reason' | 'reason_code' | 'reason_params'>): string {
  const key = `fcrReason.${estimate.reason_code}`;
  if (!known(key)) return estimate.reason;
  const params = { ...estimate.reason_params };
  if (typeof params.channel === 'string') params.channel = channelName(t, params.channel);
  return t(key, params);
}
