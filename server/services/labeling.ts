// The reviewers' use cases: the queue (next item, skip, claims), a dialogue with its context, saving
// labels with optimistic concurrency, listing labels, agreement, adjudication, and the intent list.
import type {
  AdjudicationList,
  AgreementReport,
  CustomerView,
  DialogueView,
  LabelList,
  LabelListQuery,
  QueueFilters,
  QueueNext,
  SaveLabelBody,
} from '../domain/api.ts';
import { SaveLabelBody as SaveLabelBodySchema } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { IntentKey, IntentNames, LabelFields, type ApiKeyInfo, type GoldLabel, type Label } from '../domain/label.ts';
import { customerViewAsOf } from '../domain/customer-view.ts';
import { readingApart, type Database } from '../storage/database.ts';
import { onStoreChanged } from '../storage/store-changes.ts';
import { DialogueSelectionRepository } from '../storage/dialogue-selection-repository.ts';
import { GoldLabelRepository } from '../storage/gold-label-repository.ts';
import { IntentRepository, type IntentRow } from '../storage/intent-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { computeAgreement, disagreeingFields } from './agreement.ts';
import { goldLabelOf } from './gold-labels.ts';
import { LabelingRecords, READ_AHEAD } from './labeling-records.ts';
import { assertKnownOrNewIntent } from './intents.ts';
import { QueueCandidates, type Candidates } from './queue-candidates.ts';
import { getSettings } from './settings.ts';

/** How long the next item stays reserved for the reviewer who got it. */
const CLAIM_MS = 15 * 60_000;

/**
 * Which dialogue each reviewer has open: a short lease, so two reviewers are not handed the same
 * item when one label is enough. Held in memory: the server is the store's only writer, and a
 * lease lost in a restart only means an item may be offered twice.
 */
class Claims {
  private readonly byReviewer = new Map<string, { id: string; until: number }>();

  claim(reviewer: string, id: string): void {
    this.byReviewer.set(reviewer, { id, until: Date.now() + CLAIM_MS });
  }

  release(reviewer: string, id: string): void {
    if (this.byReviewer.get(reviewer)?.id === id) this.byReviewer.delete(reviewer);
  }

  held(reviewer: string): string | undefined {
    const claim = this.byReviewer.get(reviewer);
    return claim && claim.until > Date.now() ? claim.id : undefined;
  }

  /** Dialogue -> how many other reviewers have it open. */
  heldByOthers(reviewer: string): Map<string, number> {
    const now = Date.now();
    const counts = new Map<string, number>();
    for (const [who, claim] of this.byReviewer) {
      if (claim.until <= now) this.byReviewer.delete(who);
      else if (who !== reviewer) counts.set(claim.id, (counts.get(claim.id) ?? 0) + 1);
    }
    return counts;
  }
}

/**
 * Candidate lists whose full dialogues are kept counted, most recently used first: a list per filter
 * in use, and each list is replaced when dialogues are added (an older one is only held here).
 */
const FULL_COUNTS_KEPT = 4;

/** Who has drafted, submitted and skipped what: what the queue needs per request, in memory. */
class ReviewState {
  readonly drafts = new Map<string, Set<string>>();
  /** Per reviewer: submitted or skipped. */
  readonly done = new Map<string, Set<string>>();
  /** Per dialogue: reviewers who submitted. */
  readonly submittedBy = new Map<string, Set<string>>();
  readonly adjudicated = new Set<string>();
  private readonly submitted = new Map<string, number>();
  /**
   * The dialogues with at least `overlap` submitted labels (for the overlap last asked about), and per
   * candidate list (by its ids, which a list keeps until it changes) how many of them it holds: counted
   * once per list, then both kept as labels are saved, so a request does not walk every labeled
   * dialogue of the store (150k of them: ~70 ms).
   */
  private full: { overlap: number; ids: Set<string>; inList: Map<readonly string[], { has: (id: string) => boolean; count: number }> } | undefined;

  static async load(labels: LabelRepository, gold: GoldLabelRepository): Promise<ReviewState> {
    const state = new ReviewState();
    for (const l of await labels.statuses()) state.apply(l);
    for (const s of await labels.skips()) state.skipped(s.reviewer, s.dialogue_id);
    for (const id of await gold.adjudicatedIds()) state.adjudicated.add(id);
    return state;
  }

  saved(label: Pick<Label, 'dialogue_id' | 'reviewer' | 'status'>): void {
    const before = this.submittedBy.get(label.dialogue_id)?.size ?? 0;
    this.apply(label);
    const after = this.submittedBy.get(label.dialogue_id)?.size ?? 0;
    const full = this.full;
    if (!full || (before < full.overlap) === (after < full.overlap)) return;
    const delta = after >= full.overlap ? 1 : -1;
    if (delta > 0) full.ids.add(label.dialogue_id);
    else full.ids.delete(label.dialogue_id);
    for (const list of full.inList.values()) if (list.has(label.dialogue_id)) list.count += delta;
  }

  /** How many of `candidates` have at least `overlap` submitted labels. */
  fullCount(candidates: Candidates, overlap: number): number {
    if (this.full?.overlap !== overlap) {
      const ids = new Set<string>();
      for (const [id, by] of this.submittedBy) if (by.size >= overlap) ids.add(id);
      this.full = { overlap, ids, inList: new Map() };
    }
    const { ids, inList } = this.full;
    let list = inList.get(candidates.ids);
    inList.delete(candidates.ids);
    if (!list) {
      let count = 0;
      for (const id of ids) if (candidates.has(id)) count++;
      list = { has: candidates.has, count };
      if (inList.size >= FULL_COUNTS_KEPT) inList.delete(inList.keys().next().value!);
    }
    inList.set(candidates.ids, list); // most recently used last
    return list.count;
  }

  apply(label: Pick<Label, 'dialogue_id' | 'reviewer' | 'status'>): void {
    const { dialogue_id: id, reviewer } = label;
    if (label.status === 'draft') {
      add(this.drafts, reviewer, id);
      if (this.submittedBy.get(id)?.delete(reviewer)) this.submitted.set(reviewer, this.submittedCount(reviewer) - 1);
      this.done.get(reviewer)?.delete(id);
      return;
    }
    this.drafts.get(reviewer)?.delete(id);
    if (!this.submittedBy.get(id)?.has(reviewer)) this.submitted.set(reviewer, this.submittedCount(reviewer) + 1);
    add(this.submittedBy, id, reviewer);
    add(this.done, reviewer, id);
  }

  skipped(reviewer: string, id: string): void {
    add(this.done, reviewer, id);
  }

  submittedCount(reviewer: string): number {
    return this.submitted.get(reviewer) ?? 0;
  }
}

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

export class LabelingService {
  private readonly records: LabelingRecords;
  private readonly labels: LabelRepository;
  private readonly gold: GoldLabelRepository;
  private readonly intentList: IntentRepository;
  private readonly selection: DialogueSelectionRepository;
  /** The store read through its read connections (see view). */
  private readonly apart: Database;

  private readonly candidates: QueueCandidates;
  private readonly claims = new Claims();
  private intentCache: Promise<Set<string>> | undefined;
  private reviewState: Promise<ReviewState> | undefined;

  constructor(private readonly db: Database) {
    this.candidates = new QueueCandidates(db);
    this.records = new LabelingRecords(db);
    this.labels = new LabelRepository(db);
    this.gold = new GoldLabelRepository(db);
    this.intentList = new IntentRepository(db);
    this.selection = new DialogueSelectionRepository(db);
    this.apart = readingApart(db);
    // Labels imported while the server runs: the review state is read again at the next request.
    onStoreChanged(db, (change) => {
      if (change.imported) this.reviewState = undefined;
    });
  }

  /** The reviewer's next dialogue: their own draft or open item first, then unlabeled items in a stable shuffled order. */
  async next(viewer: ApiKeyInfo, filters: QueueFilters = {}): Promise<QueueNext> {
    const me = viewer.name;
    const { overlap } = await getSettings(this.db);
    const candidates = await this.candidates.get(filters);
    const state = await this.state();
    // Per request in time linear in what was labeled, without copying it: with 200k labels, sets
    // built per request cost more than the rest of the request.
    const doneByMe = state.done.get(me);
    const isDone = (id: string) => doneByMe?.has(id) === true || state.adjudicated.has(id);
    // Taken by others: `overlap` submitted labels from other reviewers, counting items they have open.
    const holders = this.claims.heldByOthers(me);
    const othersOn = (id: string) => {
      const by = state.submittedBy.get(id);
      return by ? by.size - (by.has(me) ? 1 : 0) : 0;
    };
    const isFull = (id: string) => othersOn(id) + (holders.get(id) ?? 0) >= overlap;

    const mine = this.claims.held(me);
    const started = [...(state.drafts.get(me) ?? []), ...(mine ? [mine] : [])].filter((id) => !isDone(id) && candidates.has(id));
    const isBlocked = (id: string) => (isDone(id) || isFull(id)) && !started.includes(id);
    // Blocked candidates, each counted once: done ones (none of them started), then full ones not
    // done and not started. Full by submitted labels alone (others': a dialogue alice submitted is
    // done) is counted per list and kept as labels are saved; the rest is what this reviewer did and
    // the few dialogues open right now.
    const fullAlone = (id: string) => (state.submittedBy.get(id)?.size ?? 0) >= overlap;
    let blocked = state.fullCount(candidates, overlap);
    const countDone = (id: string) => {
      if (candidates.has(id) && !fullAlone(id)) blocked++;
    };
    for (const id of doneByMe ?? []) countDone(id);
    for (const id of state.adjudicated) if (doneByMe?.has(id) !== true) countDone(id);
    for (const id of new Set(started)) if (fullAlone(id)) blocked--;
    for (const id of holders.keys()) if (candidates.has(id) && !fullAlone(id) && !isDone(id) && isFull(id) && !started.includes(id)) blocked++;
    const progress = { done: state.submittedCount(me), remaining: candidates.ids.length - blocked };

    let id = started.sort((a, b) => candidates.compare(a, b))[0];
    let at = 0; // where the unblocked candidates start, as far as known
    if (id === undefined) {
      at = candidates.ids.findIndex((c) => !isBlocked(c));
      if (at === -1) return { item: null, progress };
      id = candidates.ids[at]!;
    }
    this.claims.claim(me, id);
    const item = await this.view(id, viewer);
    // The items they will most likely be handed next, read ahead while they label this one.
    const following: string[] = [];
    for (let i = at; i < candidates.ids.length && following.length < READ_AHEAD; i++) {
      const c = candidates.ids[i]!;
      if (c !== id && !isBlocked(c)) following.push(c);
    }
    this.records.readAhead(following, me);
    return { item, progress };
  }

  async skip(dialogueId: string, viewer: ApiKeyInfo): Promise<void> {
    await this.mustExist(dialogueId);
    await this.labels.addSkip(dialogueId, viewer.name);
    (await this.state()).skipped(viewer.name, dialogueId);
    this.claims.release(viewer.name, dialogueId);
  }

  async view(dialogueId: string, viewer: ApiKeyInfo): Promise<DialogueView> {
    const seesAll = viewer.role === 'admin' || viewer.role === 'engineer';
    // Read ahead, or else now on the read connections; then, for engineers, the gold label.
    const { dialogue, customer, fcr, labels } = await this.records.get(dialogueId, viewer.name);
    const submitted = labels.filter((l) => l.status === 'submitted');
    const gold = seesAll ? await goldLabelOf(this.db, dialogueId, submitted, this.apart) : null;
    const mine = labels.find((l) => l.reviewer === viewer.name);
    // Reviewers judge the reply against the record the agent had: purchases made by the contact
    // date, warranty as of that day (a later purchase would make a right answer look wrong). They
    // see the customer's name, which prompts and suites never do.
    const onDay = dialogue.started_at ?? new Date().toISOString();
    const customerView: CustomerView | null = customer ? customerViewAsOf(customer, onDay) : null;
    return {
      dialogue,
      customer: customerView,
      fcr_estimate: fcr,
      my_label: mine ?? null,
      labels: seesAll ? submitted : mine && mine.status === 'submitted' ? [mine] : [],
      gold,
    };
  }

  /** Saves the reviewer's label; a stale `version` (someone saved in between) is a 409, never a lost update. */
  async save(dialogueId: string, viewer: ApiKeyInfo, input: SaveLabelBody): Promise<Label> {
    const body = SaveLabelBodySchema.parse(input);
    const me = viewer.name;
    // A label with an intent new to the taxonomy adds it (below): checked as a new key before anything is stored.
    if (body.fields.intent) assertKnownOrNewIntent(body.fields.intent, await this.knownIntents());
    const saved =
      body.version === null
        ? await this.labels.create(dialogueId, me, body.fields, body.status)
        : await this.labels.update(dialogueId, me, body.fields, body.status, body.version);
    if (!saved) {
      await this.mustExist(dialogueId);
      const current = await this.labels.get(dialogueId, me);
      throw new AppError(
        'conflict',
        current
          ? `this label was saved elsewhere in the meantime (version ${current.version}, you had ${body.version ?? 'none'}); reload it and apply your changes again`
          : `no label to update for ${dialogueId}; create it with version null`,
      );
    }
    if (body.fields.intent && !(await this.knownIntents()).has(body.fields.intent)) await this.addIntent(body.fields.intent, me);
    (await this.state()).saved(saved);
    if (saved.status === 'submitted') this.claims.release(me, dialogueId);
    return saved;
  }

  /** Labels by dialogue, reviewer or status, newest first; reviewers see their own labels only. */
  async listLabels(viewer: ApiKeyInfo, query: LabelListQuery): Promise<LabelList> {
    const reviewer = viewer.role === 'reviewer' ? viewer.name : query.reviewer;
    return this.labels.list({ dialogueId: query.dialogue_id, reviewer, status: query.status, limit: query.limit, offset: query.offset });
  }

  async agreement(): Promise<AgreementReport> {
    return computeAgreement(await this.labels.submitted());
  }

  async adjudicationItems(): Promise<AdjudicationList> {
    const byDialogue = new Map<string, Label[]>();
    for (const l of await this.labels.submitted()) byDialogue.set(l.dialogue_id, [...(byDialogue.get(l.dialogue_id) ?? []), l]);
    const items = [];
    for (const [dialogue_id, labels] of byDialogue) {
      if (labels.length < 2) continue;
      const fields = disagreeingFields(labels);
      if (fields.length === 0) continue;
      const gold = await this.gold.get(dialogue_id);
      items.push({ dialogue_id, fields, labels, gold: gold ?? null });
    }
    return { items };
  }

  async adjudicate(dialogueId: string, fields: LabelFields, viewer: ApiKeyInfo): Promise<GoldLabel> {
    await this.mustExist(dialogueId);
    const gold = await this.gold.putAdjudication(dialogueId, LabelFields.parse(fields), viewer.name);
    (await this.state()).adjudicated.add(dialogueId);
    return gold;
  }

  /** The intent taxonomy: every key in use or added, how often dialogues carry it, and its display names. */
  async intents(): Promise<IntentRow[]> {
    return this.intentList.list();
  }

  /** Adds an intent (NFKC-normalised key; any language's letters) or, when given, sets an intent's display names. */
  async addIntent(key: string, by: string, names?: IntentNames): Promise<string> {
    const parsed = IntentKey.safeParse(key);
    if (!parsed.success) throw new AppError('validation', parsed.error.issues[0]!.message);
    assertKnownOrNewIntent(parsed.data, await this.knownIntents());
    const parsedNames = names === undefined ? null : IntentNames.safeParse(names);
    if (parsedNames && !parsedNames.success) throw new AppError('validation', parsedNames.error.issues[0]!.message);
    await this.intentList.upsert(parsed.data, by, parsedNames && Object.keys(parsedNames.data).length > 0 ? parsedNames.data : null);
    (await this.knownIntents()).add(parsed.data);
    return parsed.data;
  }

  /** Intents already in the taxonomy (cached: saving a label must not write one per save). */
  private async knownIntents(): Promise<Set<string>> {
    this.intentCache ??= this.intents().then((list) => new Set(list.map((i) => i.key)));
    return this.intentCache;
  }

  /** The queue's view of labels, loaded once; this service makes every later change but imports, after which it is loaded again. */
  private state(): Promise<ReviewState> {
    this.reviewState ??= ReviewState.load(this.labels, this.gold);
    return this.reviewState;
  }

  private async mustExist(dialogueId: string): Promise<void> {
    if (!(await this.selection.exists(dialogueId))) throw new AppError('not_found', `no dialogue ${dialogueId}`);
  }
}
