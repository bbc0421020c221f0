// Channel comparison: per intent, FCR, hand-off share and reply length by channel with 95%
// intervals, the chi-square test of channel × resolution (p, and q after Benjamini–Hochberg across
// intents), significant differences flagged with the best and worst channel.
import { useState } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { CHANNELS, type ChannelStats, type IntentConsistency, type Source } from '../../../lib/contract.ts';
import { formatPercent } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useChannels } from '../api/get-channels.ts';
import { useIntentLabel } from '../hooks/use-group-label.ts';
import { formatEstimate, formatP } from '../utils/format-insights.ts';
import { IntervalBar } from './interval-bar.tsx';

/** The server's name of the row over every intent together (a summary, not one of the tested family). */
const ALL_INTENTS = '(all intents)';

function extremes(channels: readonly ChannelStats[]): { best: ChannelStats; worst: ChannelStats } | null {
  const rated = channels.filter((c) => c.fcr !== null).sort((a, b) => b.fcr!.value - a.fcr!.value);
  return rated.length >= 2 ? { best: rated[0]!, worst: rated.at(-1)! } : null;
}

export function ChannelsPanel({ from, to, source }: { from?: string; to?: string; source?: Source }) {
  const { t } = useI18n();
  const channels = useChannels({ from, to, source });
  const [significantOnly, setSignificantOnly] = useState(false);
  if (channels.isPending) return <Loading label={t('common.loading')} />;
  if (channels.error) return <ErrorNotice error={channels.error} onRetry={() => void channels.refetch()} retryLabel={t('common.retry')} />;
  const { intents, q } = channels.data;
  const ordered = [...intents].sort((a, b) => {
    if (a.intent === ALL_INTENTS) return -1;
    if (b.intent === ALL_INTENTS) return 1;
    return Number(b.significant) - Number(a.significant) || (a.q_value ?? 2) - (b.q_value ?? 2) || a.intent.localeCompare(b.intent);
  });
  const shown = significantOnly ? ordered.filter((i) => i.significant && i.intent !== ALL_INTENTS) : ordered;
  const flagged = intents.filter((i) => i.significant && i.intent !== ALL_INTENTS).length;
  return (
    <section className="insights-channels" data-testid="channels">
      <div className="inline-fields insights-controls">
        <label className="checkbox">
          <input type="checkbox" checked={significantOnly} onChange={(e) => setSignificantOnly(e.target.checked)} /> {t('insights.channels.significantOnly')}
        </label>
        <span className="muted small">{t('insights.channels.summary', { flagged, tested: intents.filter((i) => i.intent !== ALL_INTENTS && i.p_value !== null).length, q })}</span>
      </div>
      <p className="muted small">{t('insights.channels.note')}</p>
      {intents.length === 0 && (
        <p className="notice" data-testid="channels-empty">
          {from || to || source ? t('insights.empty.range') : t('insights.empty.store')}
        </p>
      )}
      {intents.length > 0 && shown.length === 0 && <p className="notice">{t('insights.channels.noneSignificant')}</p>}
      {shown.length > 0 && (
        <div className="table-scroll">
          <table className="table table-compact insights-channel-table" data-testid="channel-table">
            <thead>
              <tr>
                <th>{t('insights.group.intent')}</th>
                <th>{t('insights.group.channel')}</th>
                <th className="num">{t('insights.metric.fcr')}</th>
                <th />
                <th className="num">{t('insights.channels.handoff')}</th>
                <th className="num">{t('insights.channels.replyChars')}</th>
                <th className="num">{t('insights.hotspots.pValue')}</th>
                <th>{t('insights.channels.verdict')}</th>
              </tr>
            </thead>
            {shown.map((intent) => (
              <IntentRows key={intent.intent} intent={intent} />
            ))}
          </table>
        </div>
      )}
    </section>
  );
}

function IntentRows({ intent }: { intent: IntentConsistency }) {
  const { t } = useI18n();
  const intentLabel = useIntentLabel();
  const channelName = (c: string) => ((CHANNELS as readonly string[]).includes(c) ? t(`channel.${c as (typeof CHANNELS)[number]}`) : c);
  const ends = intent.significant ? extremes(intent.channels) : null;
  const rows = intent.channels.length;
  const name = intent.intent === ALL_INTENTS ? t('insights.channels.allIntents') : intentLabel(intent.intent);
  return (
    <tbody data-intent={intent.intent} data-significant={intent.significant} className={intent.significant ? 'insights-significant' : undefined}>
      {intent.channels.map((c, i) => {
        const highlight = ends?.best === c ? 'best' : ends?.worst === c ? 'worst' : undefined;
        return (
          <tr key={c.channel} data-channel={c.channel}>
            {i === 0 && (
              <td rowSpan={rows} className="insights-intent-cell">
                <strong>{name}</strong>
                {intent.intent !== ALL_INTENTS && name !== intent.intent && <div className="mono small muted">{intent.intent}</div>}
              </td>
            )}
            <td>{channelName(c.channel)}</td>
            <td className="num" data-metric="fcr">
              {formatEstimate(c.fcr, 'share')}
            </td>
            <td>{c.fcr && <IntervalBar value={c.fcr.value} low={c.fcr.low} high={c.fcr.high} highlight={highlight} />}</td>
            <td className="num" data-metric="handoff_rate">
              {formatEstimate(c.handoff_rate, 'share')}
            </td>
            <td className="num" data-metric="reply_chars">
              {formatEstimate(c.reply_chars, 'number')}
            </td>
            {i === 0 && (
              <td rowSpan={rows} className="num" data-metric="p_value">
                {formatP(intent.p_value)}
                {intent.intent !== ALL_INTENTS && intent.q_value !== null && <div className="muted small">q {formatP(intent.q_value)}</div>}
                {intent.chi_square !== null && <div className="muted small">χ² {intent.chi_square.toFixed(1)}, df {intent.df}</div>}
              </td>
            )}
            {i === 0 && (
              <td rowSpan={rows} data-testid="verdict">
                {intent.significant ? <span className="badge badge-bad">{t('insights.channels.differ')}</span> : <span className="muted small">{t('insights.channels.noDifference')}</span>}
                {intent.small_counts && <div className="small insights-warn">{t('insights.channels.smallCounts')}</div>}
                {ends && (
                  <div className="small">
                    {t('insights.channels.bestWorst', { best: channelName(ends.best.channel), bestFcr: formatPercent(ends.best.fcr!.value), worst: channelName(ends.worst.channel), worstFcr: formatPercent(ends.worst.fcr!.value) })}
                  </div>
                )}
              </td>
            )}
          </tr>
        );
      })}
    </tbody>
  );
}
