// One case: the customer's message, the reference answer, and for each run the reply, the hand-off
// and every scorer's score, pass and reason (the judge's rationale).
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Loading } from '../../../components/loading.tsx';
import { Modal } from '../../../components/modal.tsx';
import { PlainText } from '../../../components/plain-text.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useRun } from '../api/get-run.ts';
import { splitHandoff } from '../../../lib/handoff.ts';
import type { ResultRow, RunRow } from '../../../lib/contract.ts';
import { scorerName } from '../utils/display.ts';

function ResultDetail({ run, result }: { run: RunRow; result: ResultRow | null }) {
  const { t } = useI18n();
  return (
    <div className="drill-result" data-testid={`drill-${run.candidate_name}`}>
      <h3>
        {run.candidate_name} <code className="muted small">{run.id}</code>
      </h3>
      {!result ? (
        <p className="muted">{t('compare.noResult')}</p>
      ) : (
        <>
          <h4>{t('compare.reply')}</h4>
          {result.error ? <p className="level-low">{result.error}</p> : <PlainText text={result.output === null ? '—' : splitHandoff(result.output).text} className="reply-text" />}
          <p className="small">
            {t('compare.handoff')}: <strong>{(result.output === null ? null : splitHandoff(result.output).queue) ?? result.handoff_queue ?? t('compare.noHandoff')}</strong> · {t('compare.latency', { ms: formatNumber(result.latency_ms, 0) })}
          </p>
          <table className="table table-compact" data-testid="scores">
            <thead>
              <tr>
                <th>{t('compare.scorer')}</th>
                <th className="num">{t('compare.score')}</th>
                <th>{t('compare.pass')}</th>
                <th>{t('compare.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(result.scores).map(([name, s]) => (
                <tr key={name}>
                  <td title={name}>{scorerName(t, name)}</td>
                  <td className="num">{formatNumber(s.score)}</td>
                  <td>
                    <span className={`badge ${s.pass ? 'badge-ok' : 'badge-bad'}`}>{s.pass ? t('compare.passed') : t('compare.failed')}</span>
                  </td>
                  <td>
                    <PlainText text={splitHandoff(s.reason).text} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

export function CaseDrilldown({
  caseId,
  a,
  b,
  resultA,
  resultB,
  onClose,
}: {
  caseId: string;
  a: RunRow;
  b: RunRow;
  resultA: ResultRow | null;
  resultB: ResultRow | null;
  onClose: () => void;
}) {
  const { t } = useI18n();
  const detail = useRun(a.id);
  const c = detail.data?.cases.find((x) => x.case_id === caseId);
  return (
    <Modal title={t('compare.caseTitle', { id: caseId })} onClose={onClose} closeLabel={t('common.close')}>
      <div className="drilldown" data-testid="drilldown">
        {detail.isPending && <Loading label={t('common.loading')} />}
        {detail.error && <ErrorNotice error={detail.error} />}
        {c && (
          <>
            <p className="small muted">
              {c.dialogue_id} · {c.language} · {c.intent ?? '—'}
            </p>
            <h4>{t('compare.customer')}</h4>
            <PlainText text={c.customer_message} className="customer-text" />
            <h4>{t('compare.reference')}</h4>
            <PlainText text={splitHandoff(c.reference_answer).text} className="reference-text" />
          </>
        )}
        <div className="drill-grid">
          <ResultDetail run={a} result={resultA} />
          <ResultDetail run={b} result={resultB} />
        </div>
      </div>
    </Modal>
  );
}
