// Insights for team leads: trends, hotspots (alerts), channel comparison, production and new topics,
// one view at a time; the view, grouping and date range live in the URL.
import { useI18n } from '../../../lib/i18n-context.tsx';
import { INSIGHTS_VIEWS, useInsightsParams } from '../hooks/use-insights-params.ts';
import { ChannelsPanel } from './channels-panel.tsx';
import { DateRange } from './date-range.tsx';
import { SourceFilter } from './source-filter.tsx';
import { HotspotsPanel } from './hotspots-panel.tsx';
import { ProductionPanel } from './production-panel.tsx';
import { TopicsPanel } from './topics-panel.tsx';
import { TrendsPanel } from './trends-panel.tsx';
import './insights.css';

/** The views that read the date range, and those that can keep to one source of dialogues. */
const RANGED = new Set(['trends', 'channels', 'production']);
const SOURCED = new Set(['trends', 'channels', 'production']);

export function InsightsPage({ admin, dialogueHref }: { admin: boolean; dialogueHref: (id: string) => string }) {
  const { t } = useI18n();
  const [params, setParams] = useInsightsParams();
  const { view, from, to, source } = params;
  return (
    <div className="insights" data-testid="insights" data-view={view}>
      <header className="page-header">
        <h1>{t('insights.title')}</h1>
        {SOURCED.has(view) && <SourceFilter source={source} onChange={(next) => setParams({ source: next ?? null })} />}
        {RANGED.has(view) && <DateRange from={from} to={to} onChange={setParams} />}
      </header>
      <nav className="segmented insights-views" aria-label={t('insights.views')}>
        {INSIGHTS_VIEWS.map((v) => (
          <button key={v} type="button" className="seg" aria-pressed={view === v} onClick={() => setParams({ view: v })}>
            {t(`insights.view.${v}`)}
          </button>
        ))}
      </nav>
      <p className="muted">{t(`insights.intro.${view}`)}</p>
      {view === 'trends' && <TrendsPanel by={params.by} group={params.group} from={from} to={to} source={source} onChange={setParams} />}
      {view === 'hotspots' && <HotspotsPanel status={params.status} onStatus={(status) => setParams({ status })} admin={admin} dialogueHref={dialogueHref} />}
      {view === 'channels' && <ChannelsPanel from={from} to={to} source={source} />}
      {view === 'production' && <ProductionPanel from={from} to={to} source={source} />}
      {view === 'topics' && <TopicsPanel admin={admin} dialogueHref={dialogueHref} />}
    </div>
  );
}
