// The main screen: the queue, the dialogue, the CRM panel, the FCR suggestion and the label form,
// driven by the keyboard (see ../utils/shortcuts.ts and ui/SHORTCUTS.md).
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { type LabelFields, type QueueFilters as QueueFilterValues, type TurnFlag } from '../../../lib/contract.ts';
import { ErrorNotice } from '../../../components/error-notice.tsx';
import { Kbd } from '../../../components/kbd.tsx';
import { Loading } from '../../../components/loading.tsx';
import { ApiError, errorMessage, isConflict } from '../../../lib/api-client.ts';
import { useI18n } from '../../../lib/i18n-context.tsx';
import { useSession } from '../../../lib/session.tsx';
import { readStored, writeStored } from '../../../lib/storage.ts';
import { useAddIntent } from '../api/add-intent.ts';
import { dialogueKeys, useDialogue } from '../api/get-dialogue.ts';
import { useIntents } from '../api/get-intents.ts';
import { queueNextKeys, useQueueNext } from '../api/get-queue-next.ts';
import { useSkipDialogue } from '../api/skip-dialogue.ts';
import { useLabelEditor } from '../hooks/use-label-editor.ts';
import { useCurrentDialogueId, useQueueFilters } from '../hooks/use-queue-filters.ts';
import { useShortcuts } from '../hooks/use-shortcuts.ts';
import { missingForSubmit } from '../utils/label-editor-store.ts';
import { moveTurnCursor, toggleYesNo, type ShortcutAction, type TurnFlagKind } from '../utils/shortcuts.ts';
import { CheatSheet } from './cheat-sheet.tsx';
import { ConflictBanner } from './conflict-banner.tsx';
import { CrmPanel } from './crm-panel.tsx';
import { DialogueHeader } from './dialogue-header.tsx';
import { FcrSuggestion } from './fcr-suggestion.tsx';
import { LabelForm, type LabelFormRefs } from './label-form.tsx';
import { QueueFilters } from './queue-filters.tsx';
import { QueueProgress } from './queue-progress.tsx';
import { RecentLabels } from './recent-labels.tsx';
import { Transcript } from './transcript.tsx';

const GUIDELINES_STORAGE = 'firstcall.showGuidelines';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

function blurActive() {
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
}

function toggleFlag(flags: readonly TurnFlag[], seq: number, flag: TurnFlagKind): TurnFlag[] {
  return flags.some((f) => f.seq === seq && f.flag === flag)
    ? flags.filter((f) => !(f.seq === seq && f.flag === flag))
    : [...flags, { seq, flag }].sort((a, b) => a.seq - b.seq);
}

export function LabelingScreen({ guidelines }: { guidelines?: ReactNode }) {
  const { t } = useI18n();
  const { me } = useSession();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useQueueFilters();
  const [currentId, setCurrentId] = useCurrentDialogueId();
  const next = useQueueNext(filters);
  const dialogue = useDialogue(currentId);
  const view = currentId !== null && dialogue.data?.dialogue.id === currentId ? dialogue.data : undefined;
  const { store, state } = useLabelEditor(view);
  const intents = useIntents();
  const addIntent = useAddIntent();
  const skipMutation = useSkipDialogue();

  const [cursor, setCursor] = useState<number | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const [showGuidelines, setShowGuidelines] = useState(() => readStored(GUIDELINES_STORAGE) === '1');
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const refs: LabelFormRefs = {
    intent: useRef<HTMLInputElement>(null),
    reference: useRef<HTMLTextAreaElement>(null),
    facts: useRef<HTMLTextAreaElement>(null),
    notes: useRef<HTMLTextAreaElement>(null),
  };

  // Take the queue's next item once nothing is pinned (after submit, skip, or a filter change).
  useEffect(() => {
    const item = next.data?.item;
    if (currentId !== null || !item || next.isFetching) return;
    queryClient.setQueryData(dialogueKeys.one(item.dialogue.id), item);
    setCurrentId(item.dialogue.id);
  }, [currentId, next.data, next.isFetching, queryClient, setCurrentId]);

  // A remembered dialogue that no longer exists: back to the queue.
  useEffect(() => {
    if (ApiError.isInstance(dialogue.error) && dialogue.error.status === 404) setCurrentId(null);
  }, [dialogue.error, setCurrentId]);

  useEffect(() => setCursor(null), [currentId]);

  useEffect(() => {
    if (!notice || notice.kind === 'error') return;
    const timer = setTimeout(() => setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice]);

  // What the dialogue says, for the CRM card to find the purchase it is about.
  const dialogueText = useMemo(() => (view ? view.dialogue.turns.filter((turn) => turn.role === 'customer' || turn.role === 'agent').map((turn) => turn.text).join('\n') : ''), [view]);

  const agentSeqs = useMemo(() => (view ? view.dialogue.turns.flatMap((turn, seq) => (turn.role === 'agent' ? [seq] : [])) : []), [view]);

  const run = async (work: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      await work();
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  /** Refresh the queue first, then unpin: the effect above takes the fresh next item. */
  const advance = async () => {
    await queryClient.refetchQueries({ queryKey: queueNextKeys.filtered(filters), exact: true });
    setCurrentId(null);
  };

  const saveDraft = () =>
    store.persist(store.getState().savedStatus === 'submitted' ? 'submitted' : 'draft').then(
      (label) => label && setNotice({ kind: 'ok', text: t('label.draftSaved') }),
      (error: unknown) => !isConflict(error) && setNotice({ kind: 'error', text: errorMessage(error) }),
    );

  /**
   * Saves unsaved edits before the reviewer leaves this dialogue; false (with the reason shown) when
   * they could not be saved, so the dialogue stays open and nothing typed is lost.
   */
  const saveBeforeLeaving = async (): Promise<boolean> => {
    if (!store.dirty) return true;
    try {
      await store.persist(store.getState().savedStatus === 'submitted' ? 'submitted' : 'draft');
      return true;
    } catch (error) {
      // A conflict shows its own banner with both versions; anything else says why here.
      setNotice({ kind: 'error', text: isConflict(error) ? t('label.keptConflict') : t('label.keptUnsaved', { reason: errorMessage(error) }) });
      return false;
    }
  };

  const submit = () =>
    run(async () => {
      const id = store.getState().dialogueId;
      if (!id) return;
      const missing = missingForSubmit(store.currentFields());
      if (missing.length > 0) {
        setNotice({ kind: 'error', text: t('label.missing', { fields: missing.map((key) => t(`field.${key}`)).join(t('common.listSeparator')) }) });
        return;
      }
      try {
        await store.persist('submitted');
      } catch (error) {
        if (!isConflict(error)) setNotice({ kind: 'error', text: errorMessage(error) });
        return;
      }
      blurActive();
      setNotice({ kind: 'ok', text: t('label.submitted', { id }) });
      await advance();
    });

  const skip = () =>
    run(async () => {
      const id = store.getState().dialogueId;
      if (!id) return;
      if (!(await saveBeforeLeaving())) return;
      try {
        await skipMutation.mutateAsync(id);
      } catch (error) {
        setNotice({ kind: 'error', text: errorMessage(error) });
        return;
      }
      blurActive();
      setNotice({ kind: 'ok', text: t('label.skipped', { id }) });
      await advance();
    });

  // The filters always apply (a change is never dropped while a save runs); the dialogue on screen
  // gives way to the filtered queue only once its edits are saved.
  const changeFilters = (nextFilters: QueueFilterValues) => {
    setFilters(nextFilters);
    void run(async () => {
      if (await saveBeforeLeaving()) setCurrentId(null);
    });
  };

  const open = (id: string) =>
    run(async () => {
      if (await saveBeforeLeaving()) setCurrentId(id);
    });

  const edit = (patch: Partial<LabelFields> | ((fields: LabelFields) => Partial<LabelFields>)) => store.edit(patch);

  const flagTurn = (seq: number, flag: TurnFlagKind) => edit((f) => ({ turn_flags: toggleFlag(f.turn_flags, seq, flag) }));

  const onAction = (action: ShortcutAction) => {
    switch (action.type) {
      case 'toggleCheatSheet':
        setShowHelp((v) => !v);
        return;
      case 'toggleGuidelines':
        setShowGuidelines((v) => {
          writeStored(GUIDELINES_STORAGE, v ? '0' : '1');
          return !v;
        });
        return;
      case 'leaveField':
        blurActive();
        return;
      case 'cancel':
        setShowHelp(false);
        return;
    }
    // With the cheat sheet open, a stray Enter must not submit behind it.
    if (showHelp) return;
    if (!view || state.dialogueId !== view.dialogue.id) return;
    switch (action.type) {
      case 'focus':
        refs[action.target].current?.focus();
        return;
      case 'fcr':
        edit({ fcr: action.value });
        return;
      case 'accuracy':
        edit({ accuracy: action.value });
        return;
      case 'tone':
        edit({ tone: action.value });
        return;
      case 'csat':
        edit({ csat: action.value });
        return;
      case 'toneTag':
        edit((f) => ({ tone_tags: f.tone_tags.includes(action.tag) ? f.tone_tags.filter((x) => x !== action.tag) : [...f.tone_tags, action.tag] }));
        return;
      case 'toggleEscalationNeeded':
        edit((f) => ({ escalation_needed: toggleYesNo(f.escalation_needed) }));
        return;
      case 'toggleEscalated':
        edit((f) => ({ escalated: toggleYesNo(f.escalated) }));
        return;
      case 'moveTurn':
        setCursor((c) => moveTurnCursor(agentSeqs, c, action.delta));
        return;
      case 'flag': {
        const seq = cursor ?? agentSeqs[0];
        if (seq !== undefined) flagTurn(seq, action.flag);
        return;
      }
      case 'useSuggestion':
        edit({ fcr: view.fcr_estimate.value });
        return;
      case 'submit':
        void submit();
        return;
      case 'skip':
        void skip();
        return;
      case 'saveDraft':
        void saveDraft();
        return;
    }
  };

  const pending = useShortcuts(onAction);

  // `g` with no turn selected starts at the first agent turn, so the flag menu has somewhere to show.
  useEffect(() => {
    if (pending === 'flag' && cursor === null && agentSeqs.length > 0) setCursor(agentSeqs[0]!);
  }, [pending, cursor, agentSeqs]);

  const progress = next.data?.progress;
  const isEmpty = currentId === null && next.data && next.data.item === null;

  return (
    <div className={`labeling ${showGuidelines ? 'with-guidelines' : ''}`}>
      <div className="labeling-toolbar">
        <QueueFilters filters={filters} intents={intents.data?.intents ?? []} onChange={(f) => void changeFilters(f)} />
        <div className="toolbar-end">
          {progress && <QueueProgress done={progress.done} remaining={progress.remaining} />}
          <button type="button" className="btn btn-small" onClick={() => onAction({ type: 'toggleGuidelines' })} aria-pressed={showGuidelines}>
            {t('guidelines.toggle')} <Kbd keys="h" />
          </button>
          <button type="button" className="btn btn-small" onClick={() => setShowHelp(true)}>
            {t('keys.short')} <Kbd keys="?" />
          </button>
        </div>
      </div>

      {notice && (
        <div className={`notice toast ${notice.kind === 'ok' ? 'notice-ok' : 'notice-error'}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="notice">
          {notice.text}
        </div>
      )}
      {next.error && <ErrorNotice error={next.error} onRetry={() => void next.refetch()} retryLabel={t('common.retry')} />}

      <div className="labeling-body">
        {isEmpty ? (
          <div className="card empty" data-testid="queue-empty">
            <h2>{t('queue.emptyTitle')}</h2>
            <p className="muted">{t('queue.emptyBody')}</p>
          </div>
        ) : !view ? (
          dialogue.error ? (
            <ErrorNotice error={dialogue.error} onRetry={() => setCurrentId(null)} retryLabel={t('queue.backToQueue')} />
          ) : (
            <Loading label={t('common.loading')} />
          )
        ) : (
          <>
            <section className="dialogue-pane" aria-label={t('dialogue.title')}>
              <DialogueHeader dialogue={view.dialogue} />
              <div className="context-strip">
                <CrmPanel key={view.dialogue.id} customer={view.customer} dialogueText={dialogueText} />
                <FcrSuggestion estimate={view.fcr_estimate} applied={state.fields.fcr === view.fcr_estimate.value} onUse={() => onAction({ type: 'useSuggestion' })} />
              </div>
              <Transcript
                dialogue={view.dialogue}
                cursor={cursor}
                flags={state.fields.turn_flags}
                flagMenuOpen={pending === 'flag'}
                onSelectTurn={setCursor}
                onToggleFlag={flagTurn}
              />
            </section>
            <section className="side-pane" aria-label={t('label.title')}>
              {state.conflict && (
                <ConflictBanner
                  mine={state.conflict.mine}
                  theirs={state.conflict.theirs}
                  changed={state.conflict.changed}
                  onReapply={() => store.reapplyMine()}
                  onDismiss={() => store.dismissConflict()}
                />
              )}
              <section className="card">
                <h3>
                  {t('label.title')} <SaveState saving={state.saving} dirty={state.edits > state.savedEdits} status={state.savedStatus} error={state.error} />
                </h3>
                <LabelForm
                  fields={state.fields}
                  factsText={state.factsText}
                  intents={intents.data?.intents ?? []}
                  refs={refs}
                  escalatedInLog={view.dialogue.outcome?.escalated}
                  pendingToneTag={pending === 'toneTag'}
                  pendingCsat={pending === 'csat'}
                  onEdit={edit}
                  onFactsText={(text) => store.setFactsText(text)}
                  onAddIntent={async (key) => {
                    await addIntent.mutateAsync(key).catch((error: unknown) => {
                      if (!isConflict(error)) throw error;
                    });
                  }}
                />
                <div className="actions form-actions">
                  <button type="button" className="btn btn-primary" onClick={() => void submit()} disabled={busy}>
                    {t('label.submit')} <Kbd keys="Enter" />
                  </button>
                  <button type="button" className="btn" onClick={() => void saveDraft()}>
                    {t('label.saveDraft')} <Kbd keys="Ctrl+S" />
                  </button>
                  <button type="button" className="btn" onClick={() => void skip()} disabled={busy}>
                    {t('label.skip')} <Kbd keys="s" />
                  </button>
                </div>
              </section>
              <RecentLabels reviewer={me.name} currentId={currentId} onOpen={(id) => void open(id)} />
            </section>
          </>
        )}
        {showGuidelines && guidelines && <aside className="guidelines-pane">{guidelines}</aside>}
      </div>
      {showHelp && <CheatSheet onClose={() => setShowHelp(false)} />}
    </div>
  );
}

function SaveState({ saving, dirty, status, error }: { saving: boolean; dirty: boolean; status: 'draft' | 'submitted' | null; error: string | null }) {
  const { t } = useI18n();
  const text = error ? t('label.saveFailed', { message: error }) : saving ? t('label.saving') : dirty ? t('label.unsaved') : status ? t(`status.${status}`) : t('label.new');
  return (
    <span className={`save-state ${error ? 'save-state-error' : ''}`} data-testid="save-state" role="status">
      {text}
    </span>
  );
}
