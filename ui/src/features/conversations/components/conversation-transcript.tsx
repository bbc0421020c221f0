// The conversation as chat bubbles (customer left, agent right), each agent turn's tool calls just
// before its reply, the simulated customer's reactions on its turns, hand-offs as a badge.
import { PlainText } from '../../../components/plain-text.tsx';
import type { ConversationDetail } from '../../../lib/contract.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import type { CustomerEvent } from '../utils/customer-events.ts';
import { transcriptItems } from '../utils/transcript-items.ts';
import { ToolCall } from './tool-call.tsx';

const SLOTS = ['order_id', 'which', 'bought', 'problem', 'address', 'data', 'minutes', 'phone', 'confirm'];

function EventChips({ events }: { events: readonly CustomerEvent[] }) {
  const { t } = useI18n();
  const shown = events.filter((e) => !e.routine);
  if (shown.length === 0) return null;
  return (
    <div className="chips conv-events">
      {shown.map((e, i) => {
        const slots = e.slots.map((s) => (SLOTS.includes(s) ? t(`conv.slot.${s}` as 'conv.slot.order_id') : s)).join(t('common.listSeparator'));
        const text = e.kind === 'other' ? e.raw : t(`conv.event.${e.kind}`, { slots });
        return (
          <span key={i} className={`chip conv-event ${e.upset ? 'conv-event-upset' : ''}`} data-testid="customer-event" data-event={e.kind}>
            {e.upset ? '☹ ' : ''}
            {text}
          </span>
        );
      })}
    </div>
  );
}

export function HandoffBadge({ queue }: { queue: string }) {
  const { t } = useI18n();
  return (
    <span className="badge conv-handoff" data-testid="handoff-badge" data-queue={queue}>
      ⇢ {t('conv.handoffTo', { queue })}
    </span>
  );
}

export function ConversationTranscript({ conversation }: { conversation: ConversationDetail }) {
  const { t } = useI18n();
  const items = transcriptItems(conversation);
  return (
    <ol className="transcript conv-transcript" aria-label={t('conv.transcript')}>
      {items.map((item, i) => {
        switch (item.kind) {
          case 'customer':
            return (
              <li key={i} className="turn turn-customer" data-testid="turn-customer">
                <div className="bubble">
                  <div className="bubble-meta">{t('dialogue.customer')}</div>
                  <PlainText text={item.text} />
                  <EventChips events={item.events} />
                </div>
              </li>
            );
          case 'agent':
            return (
              <li key={i} className="turn turn-agent" data-testid="turn-agent">
                <div className="bubble conv-agent-bubble">
                  <div className="bubble-meta">
                    {t('dialogue.agent')} <span className="muted">#{item.agentTurn}</span>
                  </div>
                  {item.text && <PlainText text={item.text} />}
                  {item.handoff && <HandoffBadge queue={item.handoff} />}
                </div>
              </li>
            );
          case 'tool':
            return <ToolCall key={i} call={item.call} />;
          case 'events':
            return (
              <li key={i} className="turn turn-system">
                <span className="muted">{t('conv.customerMove')}</span> <EventChips events={item.events} />
              </li>
            );
        }
      })}
    </ol>
  );
}
