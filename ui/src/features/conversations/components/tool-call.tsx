// One tool call between the turns: its name and arguments at a glance, arguments and result unfolded on demand.
import type { ConversationToolCall } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { showValue } from '../utils/expectation-check.ts';
import { JsonView } from './json-view.tsx';

function failedResult(result: unknown): string | null {
  if (typeof result !== 'object' || result === null || !('ok' in result) || result.ok !== false) return null;
  return 'error' in result ? showValue(result.error) : '';
}

export function ToolCall({ call }: { call: ConversationToolCall }) {
  const { t } = useI18n();
  const args = Object.entries(call.arguments);
  const failure = failedResult(call.result);
  return (
    <li className="turn conv-tool" data-testid="tool-call" data-tool={call.name}>
      <details>
        <summary className="conv-tool-summary">
          <span className="conv-tool-label">{t('conv.toolCall')}</span> <code>{call.name}</code>
          <span className="conv-tool-args">
            ({args.length === 0 ? '' : args.map(([k, v]) => `${k}: ${showValue(v)}`).join(', ')})
          </span>
          {failure === null ? <span className="badge badge-ok">{t('conv.toolOk')}</span> : <span className="badge badge-bad" title={failure}>{t('conv.toolFailed')}</span>}
        </summary>
        <div className="conv-tool-body">
          <div>
            <h5>{t('conv.arguments')}</h5>
            <JsonView value={call.arguments} openDepth={2} />
          </div>
          <div>
            <h5>{t('conv.result')}</h5>
            <JsonView value={call.result} openDepth={1} />
          </div>
        </div>
      </details>
    </li>
  );
}
