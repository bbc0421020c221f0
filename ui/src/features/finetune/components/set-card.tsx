// The data card of one fine-tuning set: counts by intent, language and channel, token statistics,
// exclusions by reason with a few examples, template and label-schema version, warnings, downloads.
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useDownloadSetFile } from '../api/download-set-file.ts';
import { SET_FILES, TOKEN_ESTIMATE_HEURISTIC, type FinetuneSet } from '../../../lib/contract.ts';
import { sortedCounts } from '../utils/counts.ts';

function CountTable({ title, counts, testId }: { title: string; counts: Record<string, number>; testId: string }) {
  const { t } = useI18n();
  const rows = sortedCounts(counts);
  return (
    <div>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted">—</p>
      ) : (
        <table className="table table-compact" data-testid={testId}>
          <thead>
            <tr>
              <th>{t('finetune.value')}</th>
              <th className="num">{t('finetune.count')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([value, n]) => (
              <tr key={value} data-value={value}>
                <td>{value}</td>
                <td className="num">{n}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function Downloads({ set }: { set: FinetuneSet }) {
  const { t } = useI18n();
  const download = useDownloadSetFile();
  return (
    <div className="inline-fields" data-testid="downloads">
      <span>{t('finetune.download')}</span>
      {SET_FILES.map((file) => (
        <button
          key={file}
          type="button"
          className="btn btn-small"
          disabled={download.isPending && download.variables?.file === file}
          onClick={() => download.mutate({ name: set.name, version: set.version, file })}
          aria-label={t('finetune.downloadFile', { file })}
        >
          {file}
        </button>
      ))}
      {download.error && <ErrorNotice error={download.error} />}
    </div>
  );
}

export function SetCard({ set }: { set: FinetuneSet }) {
  const { t } = useI18n();
  const { card } = set;
  const tokens = card.tokens;
  const schemaSources = card.label_schema_version.sources.join(t('common.listSeparator')) || '—';
  return (
    <section className="card" data-testid="set-card" data-set={`${set.name}@${set.version}`}>
      <h2>{t('finetune.cardFor', { name: set.name, version: set.version })}</h2>
      <Downloads set={set} />

      <dl className="config-facts" data-testid="card-facts">
        <dt>{t('finetune.format')}</dt>
        <dd>{set.format}</dd>
        <dt>{t('finetune.examples')}</dt>
        <dd data-testid="card-examples">{t('finetune.examplesSplit', { train: card.examples.train, val: card.examples.val, total: card.examples.total })}</dd>
        <dt>{t('finetune.template')}</dt>
        <dd data-testid="card-template">
          {card.template.id} v{card.template.version} <span className="muted mono">({card.template.path})</span>
        </dd>
        <dt>{t('finetune.labelSchema')}</dt>
        <dd data-testid="card-schema">{t('finetune.labelSchemaValue', { sources: schemaSources, current: card.label_schema_version.current })}</dd>
        <dt>{t('finetune.hash')}</dt>
        <dd className="mono">{set.hash}</dd>
      </dl>

      {card.warnings.length > 0 && (
        <div className="notice notice-warn" data-testid="card-warnings">
          <strong>{t('finetune.warnings')}</strong>
          <ul>
            {card.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </div>
      )}

      <div className="breakdown-grid">
        <CountTable title={t('finetune.byIntent')} counts={card.by_intent} testId="by-intent" />
        <CountTable title={t('finetune.byLanguage')} counts={card.by_language} testId="by-language" />
        <CountTable title={t('finetune.byChannel')} counts={card.by_channel} testId="by-channel" />
      </div>

      <h3>{t('finetune.tokens')}</h3>
      <table className="table table-compact" data-testid="card-tokens">
        <thead>
          <tr>
            <th className="num">{t('finetune.tokens.mean')}</th>
            <th className="num">p50</th>
            <th className="num">p95</th>
            <th className="num">{t('finetune.tokens.max')}</th>
            <th className="num">{t('finetune.tokens.total')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="num">{tokens.mean}</td>
            <td className="num">{tokens.p50}</td>
            <td className="num">{tokens.p95}</td>
            <td className="num">{tokens.max}</td>
            <td className="num">{tokens.total}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">{t('finetune.tokens.estimate', { estimate: tokens.estimate === TOKEN_ESTIMATE_HEURISTIC ? t('finetune.tokens.heuristic') : tokens.estimate })}</p>

      <h3>{t('finetune.exclusions', { total: card.exclusions.total })}</h3>
      {card.exclusions.total === 0 ? (
        <p className="muted">{t('finetune.noExclusions')}</p>
      ) : (
        <div data-testid="card-exclusions">
          <table className="table table-compact">
            <thead>
              <tr>
                <th>{t('finetune.reason')}</th>
                <th className="num">{t('finetune.dialogues')}</th>
              </tr>
            </thead>
            <tbody>
              {sortedCounts(card.exclusions.by_reason).map(([reason, n]) => (
                <tr key={reason} data-reason={reason}>
                  <td>{reason}</td>
                  <td className="num">{n}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {card.exclusions.examples.length > 0 && (
            <>
              <h4>{t('finetune.exclusionExamples')}</h4>
              <ul data-testid="exclusion-examples">
                {card.exclusions.examples.slice(0, 10).map((e, i) => (
                  <li key={`${e.dialogue_id}-${i}`}>
                    <span className="mono">{e.dialogue_id}</span>: {e.reason}
                    {e.detail ? <span className="muted"> ({e.detail})</span> : null}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
