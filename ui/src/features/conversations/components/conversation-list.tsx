// A run's conversations, one row each: scenario, language, intent, trial, goal met, FCR, turns, tool
// calls, escalation, how it ended. Filters: failed only, language.
import type { ConversationRow } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { filterConversations, languagesOf, type ConversationFilters } from '../utils/conversation-filters.ts';
import { Verdict } from './end-state-check.tsx';
import { EndedBadge } from './judgement-panel.tsx';

export function ConversationList({
  rows,
  filters,
  onFilters,
  selected,
  onOpen,
}: {
  rows: readonly ConversationRow[];
  filters: ConversationFilters;
  onFilters: (next: ConversationFilters) => void;
  selected: { scenarioId: string; trial: number } | null;
  onOpen: (row: ConversationRow) => void;
}) {
  const { t } = useI18n();
  const shown = filterConversations(rows, filters);
  const met = rows.filter((r) => r.goal_met).length;
  return (
    <section className="card" data-testid="conversation-list">
      <div className="inline-fields conv-filters">
        <label className="checkbox">
          <input type="checkbox" checked={filters.failedOnly} onChange={(e) => onFilters({ ...filters, failedOnly: e.target.checked })} />
          {t('conv.failedOnly')}
        </label>
        <label className="field field-inline">
          <span>{t('conv.language')}</span>
          <select value={filters.language} onChange={(e) => onFilters({ ...filters, language: e.target.value })} aria-label={t('conv.language')}>
            <option value="">{t('conv.allLanguages')}</option>
            {languagesOf(rows).map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <span className="muted small" data-testid="conversation-count">
          {t('conv.listSummary', { shown: shown.length, total: rows.length, met })}
        </span>
      </div>
      <div className="table-scroll conv-list-scroll">
        <table className="table table-compact">
          <thead>
            <tr>
              <th>{t('conv.scenario')}</th>
              <th>{t('conv.language')}</th>
              <th>{t('conv.intent')}</th>
              <th className="num">{t('conv.trial')}</th>
              <th>{t('conv.goalMet')}</th>
              <th>{t('conv.fcr')}</th>
              <th className="num">{t('conv.turns')}</th>
              <th className="num">{t('conv.toolCalls')}</th>
              <th>{t('conv.escalation')}</th>
              <th>{t('conv.ended')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const isSelected = selected?.scenarioId === r.scenario_id && selected.trial === r.trial;
              return (
                <tr
                  key={`${r.scenario_id}#${r.trial}`}
                  data-scenario={r.scenario_id}
                  data-trial={r.trial}
                  data-goal-met={r.goal_met}
                  className={isSelected ? 'row-selected' : undefined}
                >
                  <td>
                    <button type="button" className="link-button" onClick={() => onOpen(r)} aria-pressed={isSelected}>
                      {r.scenario_id}
                    </button>
                  </td>
                  <td>{r.language}</td>
                  <td>{r.intent}</td>
                  <td className="num">{r.trial}</td>
                  <td>
                    <Verdict ok={r.goal_met} />
                  </td>
                  <td>
                    <Verdict ok={r.fcr} />
                  </td>
                  <td className="num">{r.agent_turns}</td>
                  <td className="num">{r.tool_calls}</td>
                  <td>
                    <Verdict ok={r.escalation_correct} />
                  </td>
                  <td>
                    <EndedBadge ended={r.ended} />
                    {r.error && <div className="level-low small">{r.error}</div>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length === 0 && <p className="muted">{t('conv.noneMatch')}</p>}
    </section>
  );
}
