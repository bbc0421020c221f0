// The label being edited, outside React so saves can be serialised: each save names the version
// the previous one returned (no self-inflicted 409), a stale version reloads the server's label and
// keeps the reviewer's edits beside it to re-apply.
import { type DialogueView, type SaveLabelBody, LabelFields, type Label } from '../../../lib/contract.ts';
import { errorMessage, isConflict } from '../../../lib/api-client.ts';
import { differingFields, emptyFields, fieldsOf, linesOf, type LabelFieldKey } from '../../../lib/label-fields.ts';

export type SaveStatus = 'draft' | 'submitted';

export interface EditorState {
  dialogueId: string | null;
  /** `required_facts` lives in `factsText` while editing (one fact per line). */
  fields: LabelFields;
  factsText: string;
  /** The fields as the server last had them (loaded or saved): what the reviewer's edits are relative to. */
  base: LabelFields;
  /** The version of the label on the server; null before the first save. */
  version: number | null;
  savedStatus: SaveStatus | null;
  /** Counts edits; the label is dirty while `edits > savedEdits`. */
  edits: number;
  savedEdits: number;
  saving: boolean;
  lastSavedAt: string | null;
  error: string | null;
  /** Set after a 409: the reloaded label, and the fields the reviewer had changed (`changed`, values in `mine`) to re-apply. */
  conflict: { mine: LabelFields; theirs: LabelFields; changed: LabelFieldKey[] } | null;
}

export interface EditorDeps {
  save(dialogueId: string, body: SaveLabelBody): Promise<Label>;
  reload(dialogueId: string): Promise<DialogueView>;
}

const INITIAL: EditorState = {
  dialogueId: null,
  fields: emptyFields(),
  factsText: '',
  base: emptyFields(),
  version: null,
  savedStatus: null,
  edits: 0,
  savedEdits: 0,
  saving: false,
  lastSavedAt: null,
  error: null,
  conflict: null,
};

/** Fields a submitted label must have. */
export const REQUIRED_FOR_SUBMIT = ['intent', 'fcr', 'accuracy', 'tone', 'escalation_needed', 'escalated'] as const satisfies readonly LabelFieldKey[];

export function missingForSubmit(fields: LabelFields): LabelFieldKey[] {
  return REQUIRED_FOR_SUBMIT.filter((key) => fields[key] === null);
}

export class LabelEditorStore {
  private state: EditorState = INITIAL;
  private readonly listeners = new Set<() => void>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: EditorDeps) {}

  getState = (): EditorState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get dirty(): boolean {
    return this.state.edits > this.state.savedEdits;
  }

  /** Starts editing a dialogue from its view: the reviewer's own label, or an empty one. */
  load(view: DialogueView): void {
    const label = view.my_label;
    const fields = fieldsOf(label);
    this.set({
      ...INITIAL,
      dialogueId: view.dialogue.id,
      fields,
      base: fields,
      factsText: fields.required_facts.join('\n'),
      version: label?.version ?? null,
      savedStatus: label?.status ?? null,
      lastSavedAt: label?.updated_at ?? null,
    });
  }

  clear(): void {
    this.set(INITIAL);
  }

  edit(patch: Partial<LabelFields> | ((fields: LabelFields) => Partial<LabelFields>)): void {
    if (!this.state.dialogueId) return;
    const change = typeof patch === 'function' ? patch(this.state.fields) : patch;
    this.set({ fields: { ...this.state.fields, ...change }, edits: this.state.edits + 1, error: null });
  }

  setFactsText(text: string): void {
    if (!this.state.dialogueId) return;
    this.set({ factsText: text, edits: this.state.edits + 1, error: null });
  }

  /** The fields as they would be saved now. */
  currentFields(): LabelFields {
    return { ...this.state.fields, required_facts: linesOf(this.state.factsText) };
  }

  /** Saves after any save already under way; resolves with the saved label, or null when there was nothing to save. */
  persist(status: SaveStatus): Promise<Label | null> {
    const run = () => this.saveNow(status);
    const result = this.chain.then(run, run);
    this.chain = result.catch(() => undefined);
    return result;
  }

  /** Puts the reviewer's own changes back on top of the reloaded label (a three-way merge: their other changes stay). */
  reapplyMine(): void {
    const conflict = this.state.conflict;
    if (!conflict) return;
    const fields: LabelFields = { ...this.state.fields };
    for (const key of conflict.changed) (fields as Record<LabelFieldKey, unknown>)[key] = conflict.mine[key];
    this.set({
      fields,
      factsText: conflict.changed.includes('required_facts') ? conflict.mine.required_facts.join('\n') : this.state.factsText,
      conflict: null,
      edits: this.state.edits + 1,
    });
  }

  dismissConflict(): void {
    this.set({ conflict: null });
  }

  private async saveNow(status: SaveStatus): Promise<Label | null> {
    const start = this.state;
    const id = start.dialogueId;
    if (!id) return null;
    if (status === 'draft' && !this.dirty) return null;
    const parsed = LabelFields.safeParse(this.currentFields());
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const message = `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`;
      this.set({ error: message });
      throw new Error(message);
    }
    const edits = start.edits;
    this.set({ saving: true, error: null });
    try {
      const label = await this.deps.save(id, { fields: parsed.data, status, version: start.version });
      if (this.state.dialogueId === id) {
        this.set({
          base: parsed.data,
          version: label.version,
          savedStatus: label.status,
          savedEdits: Math.max(this.state.savedEdits, edits),
          saving: false,
          lastSavedAt: label.updated_at,
        });
      }
      return label;
    } catch (error) {
      if (this.state.dialogueId !== id) throw error;
      if (!isConflict(error)) {
        this.set({ saving: false, error: errorMessage(error) });
        throw error;
      }
      await this.takeTheirs(id);
      throw error;
    }
  }

  /** After a 409: show the server's label, keep ours (including edits typed meanwhile) to re-apply. */
  private async takeTheirs(id: string): Promise<void> {
    let view: DialogueView;
    try {
      view = await this.deps.reload(id);
    } catch (error) {
      this.set({ saving: false, error: errorMessage(error) });
      return;
    }
    if (this.state.dialogueId !== id) return;
    const mine = this.currentFields();
    const theirs = fieldsOf(view.my_label);
    const changed = differingFields([this.state.base, mine]);
    this.set({
      fields: theirs,
      base: theirs,
      factsText: theirs.required_facts.join('\n'),
      version: view.my_label?.version ?? null,
      savedStatus: view.my_label?.status ?? null,
      lastSavedAt: view.my_label?.updated_at ?? null,
      savedEdits: this.state.edits,
      saving: false,
      error: null,
      conflict: { mine, theirs, changed },
    });
  }

  private set(patch: Partial<EditorState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
