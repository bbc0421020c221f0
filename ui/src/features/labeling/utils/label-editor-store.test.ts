import { describe, expect, it } from 'vitest';
import type { DialogueView, Label, SaveLabelBody } from '../../../lib/contract.ts';
import { ApiError } from '../../../lib/api-client.ts';
import { LabelEditorStore, missingForSubmit } from './label-editor-store.ts';

const dialogue = { id: 'd-1', channel: 'web', language: 'zh', source: 'jsonl', content_hash: 'h', turns: [{ role: 'customer', text: 'hi' }] } as const;

function label(overrides: Partial<Label>): Label {
  return {
    dialogue_id: 'd-1',
    reviewer: 'alice',
    status: 'draft',
    version: 1,
    schema_version: 1,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    intent: null,
    fcr: null,
    accuracy: null,
    tone: null,
    csat: null,
    tone_tags: [],
    escalation_needed: null,
    escalated: null,
    reference_answer: '',
    required_facts: [],
    notes: '',
    turn_flags: [],
    ...overrides,
  };
}

function view(myLabel: Label | null): DialogueView {
  return {
    dialogue: { ...dialogue, turns: [...dialogue.turns] },
    customer: null,
    fcr_estimate: { value: 'yes', reason: 'resolved, no repeat', repeat_dialogue_id: null, window_days: 7, reason_code: 'resolved', reason_params: { window: 7 } },
    my_label: myLabel,
    labels: [],
    gold: null,
  };
}

/** Lets a queued save start (the fake server then takes 5 ms to answer). */
const saveStarted = () => new Promise((r) => setTimeout(r, 0));

/** A fake server holding one label with optimistic versioning. */
function fakeServer() {
  let stored: Label | null = null;
  const saves: SaveLabelBody[] = [];
  const server = {
    saves,
    get stored() {
      return stored;
    },
    /** Someone else saves in between (another tab). */
    externalSave(fields: Partial<Label>) {
      stored = label({ ...stored, ...fields, version: (stored?.version ?? 0) + 1 });
    },
    deps: {
      save: async (_id: string, body: SaveLabelBody) => {
        saves.push(body);
        await new Promise((r) => setTimeout(r, 5));
        if ((stored?.version ?? null) !== body.version) throw new ApiError(409, 'conflict', 'this label was saved elsewhere');
        stored = label({ ...body.fields, status: body.status, version: (stored?.version ?? 0) + 1 });
        return stored;
      },
      reload: async () => view(stored),
    },
  };
  return server;
}

describe('LabelEditorStore', () => {
  it('saves nothing for a clean draft, and chains versions across quick saves', async () => {
    const server = fakeServer();
    const store = new LabelEditorStore(server.deps);
    store.load(view(null));
    expect(await store.persist('draft')).toBeNull();
    store.edit({ fcr: 'yes' });
    const first = store.persist('draft');
    await saveStarted();
    store.edit({ tone: 4 });
    const second = store.persist('draft'); // queued behind the first: must name version 1, not null
    await Promise.all([first, second]);
    expect(server.saves.map((s) => s.version)).toEqual([null, 1]);
    expect(store.getState()).toMatchObject({ version: 2, saving: false });
    expect(store.dirty).toBe(false);
    expect(server.stored).toMatchObject({ fcr: 'yes', tone: 4 });
  });

  it('stays dirty when an edit arrives while a save is in flight', async () => {
    const server = fakeServer();
    const store = new LabelEditorStore(server.deps);
    store.load(view(null));
    store.edit({ fcr: 'no' });
    const saving = store.persist('draft');
    await saveStarted();
    expect(store.getState().saving).toBe(true);
    store.edit({ accuracy: 'partial' });
    await saving;
    expect(store.dirty).toBe(true);
  });

  it('keeps required facts as typed text and saves them as trimmed lines', async () => {
    const server = fakeServer();
    const store = new LabelEditorStore(server.deps);
    store.load(view(null));
    store.setFactsText('in warranty\n\n  free repair  \n');
    expect(store.getState().factsText).toBe('in warranty\n\n  free repair  \n');
    await store.persist('draft');
    expect(server.saves[0]!.fields.required_facts).toEqual(['in warranty', 'free repair']);
  });

  it('on 409 loads the saved label and re-applies only my own edits on top of it', async () => {
    const server = fakeServer();
    const store = new LabelEditorStore(server.deps);
    store.load(view(null));
    store.edit({ fcr: 'yes', intent: 'screen_repair' });
    await store.persist('draft');
    server.externalSave({ fcr: 'no', notes: 'from the other tab' });
    store.edit({ tone: 5 });
    await expect(store.persist('submitted')).rejects.toMatchObject({ status: 409 });
    const state = store.getState();
    expect(state.fields).toMatchObject({ fcr: 'no', notes: 'from the other tab', tone: null });
    expect(state.version).toBe(2);
    expect(state.conflict?.mine).toMatchObject({ fcr: 'yes', tone: 5 });
    expect(state.conflict?.changed).toEqual(['tone']); // fcr was saved before; only tone is mine and unsaved
    store.reapplyMine();
    expect(store.getState().conflict).toBeNull();
    expect(store.dirty).toBe(true);
    await store.persist('submitted');
    expect(server.stored).toMatchObject({ fcr: 'no', notes: 'from the other tab', tone: 5, status: 'submitted', version: 3 });
  });

  it('resumes a draft from the dialogue view', () => {
    const store = new LabelEditorStore(fakeServer().deps);
    store.load(view(label({ version: 4, fcr: 'unclear', required_facts: ['a', 'b'] })));
    expect(store.getState()).toMatchObject({ version: 4, savedStatus: 'draft', factsText: 'a\nb' });
    expect(store.dirty).toBe(false);
  });

  it('refuses to save invalid fields without calling the server', async () => {
    const server = fakeServer();
    const store = new LabelEditorStore(server.deps);
    store.load(view(null));
    store.edit({ intent: 'Not A Key' });
    await expect(store.persist('draft')).rejects.toThrow(/intent/);
    expect(server.saves).toHaveLength(0);
    expect(store.getState().error).toMatch(/intent/);
  });

  it('lists what a submitted label still lacks', () => {
    const store = new LabelEditorStore(fakeServer().deps);
    store.load(view(null));
    expect(missingForSubmit(store.currentFields())).toEqual(['intent', 'fcr', 'accuracy', 'tone', 'escalation_needed', 'escalated']);
    store.edit({ intent: 'refund', fcr: 'yes', accuracy: 'correct', tone: 3, escalation_needed: 'no' });
    expect(missingForSubmit(store.currentFields())).toEqual(['escalated']);
  });
});
