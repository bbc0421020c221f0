// Start a run (suite + candidate file) and follow its progress from the server's event stream.
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useCandidates } from '../api/get-candidates.ts';
import { leaderboardKeys } from '../api/get-leaderboard.ts';
import { runsKeys } from '../api/get-runs.ts';
import { streamRunEvents } from '../api/run-events.ts';
import type { Progress } from '../../../lib/contract.ts';
import { useStartRun } from '../api/start-run.ts';

export function RunForm({ suites, suite }: { suites: readonly string[]; suite: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const candidates = useCandidates();
  const start = useStartRun();
  const [runSuite, setRunSuite] = useState(suite);
  const [candidate, setCandidate] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => setRunSuite(suite), [suite]);
  useEffect(() => () => abort.current?.abort(), []);
  const chosen = candidate || candidates.data?.candidates[0]?.file || '';
  const running = start.isPending || progress?.status === 'running';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!runSuite || !chosen) return;
    setStreamError(null);
    setProgress(null);
    let first: Progress;
    try {
      first = await start.mutateAsync({ suite: runSuite, candidate: chosen });
    } catch {
      return; // shown from start.error
    }
    setProgress(first);
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    try {
      const last = await streamRunEvents(first.run_id, setProgress, controller.signal);
      if (last) setProgress(last);
    } catch (error) {
      if (!controller.signal.aborted) setStreamError(error);
    }
    void queryClient.invalidateQueries({ queryKey: leaderboardKeys.all });
    void queryClient.invalidateQueries({ queryKey: runsKeys.all });
  };

  return (
    <form className="card run-form" onSubmit={(e) => void submit(e)}>
      <h2>{t('runs.newRun')}</h2>
      <div className="inline-fields">
        <label className="field">
          <span>{t('runs.suite')}</span>
          <select value={runSuite} onChange={(e) => setRunSuite(e.target.value)} aria-label={t('runs.runSuite')}>
            {suites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('runs.candidateFile')}</span>
          <select value={chosen} onChange={(e) => setCandidate(e.target.value)} aria-label={t('runs.candidateFile')}>
            {(candidates.data?.candidates ?? []).map((c) => (
              <option key={c.file} value={c.file}>
                {c.file} ({c.model})
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn btn-primary" disabled={running || !chosen || !runSuite}>
          {t('runs.start')}
        </button>
      </div>
      {candidates.error && <ErrorNotice error={candidates.error} />}
      {start.error && <ErrorNotice error={start.error} />}
      {streamError !== null && <ErrorNotice error={streamError} />}
      {progress && (
        <div className="run-progress" data-testid="run-progress" data-status={progress.status}>
          <progress max={Math.max(progress.total, 1)} value={progress.done} />
          <span>{t(`runs.status.${progress.status}`, { done: progress.done, total: progress.total })}</span>
          {progress.error && <span className="level-low"> {progress.error}</span>}
        </div>
      )}
    </form>
  );
}
