// Inter-reviewer agreement: alpha per field, pairwise kappa, and each reviewer's disagreement rate.
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { formatNumber, formatPercent } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useAgreement } from '../api/get-agreement.ts';
import { alphaLevel, disagreementLevel, kappaBand, kappaLevel, reviewerPairs } from '../utils/agreement-levels.ts';

export function AgreementPage() {
  const { t } = useI18n();
  const report = useAgreement();
  if (report.isPending) return <Loading label={t('common.loading')} />;
  if (report.error) return <ErrorNotice error={report.error} onRetry={() => void report.refetch()} retryLabel={t('common.retry')} />;
  const { fields, reviewers, disagreements } = report.data;
  const pairs = reviewerPairs(fields);

  return (
    <div className="agreement">
      <header className="page-header">
        <h1>{t('agreement.title')}</h1>
        <button type="button" className="btn btn-small" onClick={() => void report.refetch()}>
          {t('common.refresh')}
        </button>
      </header>
      <p className="muted">{t('agreement.intro')}</p>
      <p data-testid="disagreements">
        <strong className={disagreements > 0 ? 'level-low' : ''}>{t('agreement.disagreements', { n: disagreements })}</strong>
      </p>

      <section className="card">
        <h2>{t('agreement.byField')}</h2>
        <table className="table" data-testid="alpha-table">
          <thead>
            <tr>
              <th>{t('agreement.field')}</th>
              <th>{t('agreement.level')}</th>
              <th className="num">{t('agreement.alpha')}</th>
              <th className="num">{t('agreement.units')}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={f.field}>
                <td>{t(`field.${f.field}`)}</td>
                <td>{t(`agreement.${f.level}`)}</td>
                <td className={`num level-${alphaLevel(f.alpha)}`}>{formatNumber(f.alpha)}</td>
                <td className="num">{f.units}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">{t('agreement.alphaHelp')}</p>
      </section>

      <section className="card">
        <h2>{t('agreement.pairwise')}</h2>
        {pairs.length === 0 ? (
          <p className="muted">{t('agreement.noPairs')}</p>
        ) : (
          <div className="table-scroll">
            <table className="table" data-testid="kappa-table">
              <thead>
                <tr>
                  <th>{t('agreement.pair')}</th>
                  {fields.map((f) => (
                    <th key={f.field} className="num">
                      {t(`field.${f.field}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {pairs.map(({ a, b }) => (
                  <tr key={`${a}|${b}`}>
                    <td>
                      {a} · {b}
                    </td>
                    {fields.map((f) => {
                      const pair = f.pairs.find((p) => (p.a === a && p.b === b) || (p.a === b && p.b === a));
                      const band = kappaBand(pair?.kappa ?? null);
                      return (
                        <td key={f.field} className={`num level-${kappaLevel(pair?.kappa ?? null)}`} title={pair ? `n = ${pair.n}` : undefined}>
                          {pair ? `${formatNumber(pair.kappa)} (${pair.n})` : '—'}
                          {band && <span className="muted small"> {t(`agreement.band.${band}`)}</span>}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p className="muted small">{t('agreement.kappaHelp')}</p>
      </section>

      <section className="card">
        <h2>{t('agreement.reviewers')}</h2>
        <table className="table" data-testid="reviewer-table">
          <thead>
            <tr>
              <th>{t('agreement.reviewer')}</th>
              <th className="num">{t('agreement.labeled')}</th>
              <th className="num">{t('agreement.disagreementRate')}</th>
            </tr>
          </thead>
          <tbody>
            {reviewers.map((r) => (
              <tr key={r.reviewer}>
                <td>{r.reviewer}</td>
                <td className="num">{r.labeled}</td>
                <td className={`num level-${disagreementLevel(r.disagreement_rate)}`}>{formatPercent(r.disagreement_rate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
