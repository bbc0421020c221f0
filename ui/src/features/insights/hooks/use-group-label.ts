// Words for a trend group: a channel's, language's or source's name, an intent's display name in the UI language.
import { CHANNELS, SOURCES, type TrendGroup } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useIntentNames } from '../api/get-intent-names.ts';

export function useIntentLabel(): (intent: string) => string {
  const { locale } = useI18n();
  const intents = useIntentNames();
  const names = new Map((intents.data?.intents ?? []).map((i) => [i.key, i.names]));
  return (intent) => names.get(intent)?.[locale] ?? intent;
}

export function useGroupLabel(): (dimension: TrendGroup, group: string | null) => string {
  const { t } = useI18n();
  const intentLabel = useIntentLabel();
  return (dimension, group) => {
    if (group === null) return t('insights.all');
    if (dimension === 'channel') return (CHANNELS as readonly string[]).includes(group) ? t(`channel.${group as (typeof CHANNELS)[number]}`) : group;
    if (dimension === 'language') return group === 'zh' || group === 'en' ? t(`insights.language.${group}`) : group;
    if (dimension === 'source') return (SOURCES as readonly string[]).includes(group) ? t(`source.${group as (typeof SOURCES)[number]}`) : group;
    return intentLabel(group);
  };
}
