// What the labeling view shows of an item, read from the store: the dialogue with its turns, its
// customer with their purchases, its FCR estimate and its labels. When a reviewer is handed an item,
// the next items in their queue (READ_AHEAD of them) are read ahead, on the store's read connections,
// while they work; their next request then makes no read for it. When the store says something read
// ahead may have changed (store-changes.ts), that part is read again: the customer (an ingest's
// merge), the estimate (an FCR refresh), that item's labels (a save, an import). A production
// dialogue read ahead is never served: the exchange log replaces its turns as its conversation goes
// on. Every other stored dialogue keeps its first copy.
import type { FcrEstimateView } from '../domain/api.ts';
import type { Customer, Dialogue } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { Label } from '../domain/label.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import { readingApart, type Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { onStoreChanged, type StoreChange } from '../storage/store-changes.ts';
import { fcrEstimateOf } from './fcr-from-logs.ts';

export interface ItemRecords {
  dialogue: Dialogue;
  customer: Customer | undefined;
  fcr: FcrEstimateView;
  /** Every reviewer's label of the dialogue, drafts too. */
  labels: Label[];
}

/**
 * Items read ahead per reviewer: the next one, and the one after it, so that a reviewer who labels
 * faster than the store answers (a benchmark's, or one skipping through) still finds their next item
 * read: it was started a whole item earlier.
 */
export const READ_AHEAD = 2;

/** A read ahead older than this is dropped, not read again, when the store changes: its reviewer has stopped. */
const KEEP_AHEAD_MS = 15 * 60_000;

/** An item's parts, each read on its own, so that a change reads again only the part it concerns. */
interface Parts {
  dialogue: Promise<Dialogue | undefined>;
  customer: Promise<Customer | undefined>;
  fcr: Promise<FcrEstimateView>;
  labels: Promise<Label[]>;
}

interface Ahead {
  /** When the reviewer was handed the item that led to this read (Date.now()). */
  at: number;
  parts: Parts;
}

export class LabelingRecords {
  private readonly now: Reader;
  private readonly apart: Reader;
  /** Per reviewer, the items read ahead for them by id. */
  private readonly ahead = new Map<string, Map<string, Ahead>>();
  /** Read ahead, being handed out: a change meanwhile still reads their part again. */
  private readonly taken = new Map<Ahead, string>();

  constructor(db: Database) {
    this.now = new Reader(db);
    this.apart = new Reader(readingApart(db));
    onStoreChanged(db, (change) => this.changed(change));
  }

  /** The dialogue's records: those read ahead for this reviewer when still current, else read now. */
  async get(dialogueId: string, reviewer: string): Promise<ItemRecords> {
    const ahead = this.ahead.get(reviewer)?.get(dialogueId);
    if (ahead) {
      this.ahead.get(reviewer)!.delete(dialogueId);
      this.taken.set(ahead, dialogueId);
      const records = await settled(ahead).catch(() => undefined); // a failed read ahead is read again below
      this.taken.delete(ahead);
      if (records && records.dialogue.source !== 'production') return records;
    }
    // On the read connections too (never behind an ingest's writes on the store's own), except a
    // production dialogue's turns: they are read where the exchange log's deferred writes land first.
    const records = await assemble(this.apart.parts(dialogueId));
    if (records?.dialogue.source === 'production') {
      const { dialogue, customer } = this.now.record(dialogueId);
      const [current, profile] = await Promise.all([dialogue, customer]);
      if (current) return { ...records, dialogue: current, customer: profile };
    }
    if (!records) throw new AppError('not_found', `no dialogue ${dialogueId}`);
    return records;
  }

  /** Starts reading the reviewer's likely next items (at most READ_AHEAD; what was read ahead for others of theirs is dropped). */
  readAhead(dialogueIds: readonly string[], reviewer: string): void {
    const mine = this.ahead.get(reviewer) ?? new Map<string, Ahead>();
    const at = Date.now();
    const kept = new Map<string, Ahead>();
    for (const id of dialogueIds.slice(0, READ_AHEAD)) {
      const ahead = mine.get(id);
      if (ahead) ahead.at = at;
      kept.set(id, ahead ?? { at, parts: this.apart.parts(id) });
    }
    this.ahead.set(reviewer, kept);
  }

  /** The part a change concerns is read again (what a reviewer who stopped had read ahead is dropped). */
  private changed(change: StoreChange): void {
    const labelsOf = change.labels === 'all' ? undefined : new Set(change.labels ?? []);
    const update = (id: string, ahead: Ahead) => {
      const parts = ahead.parts;
      if (change.customers) parts.customer = this.apart.customerOf(parts.dialogue);
      if (change.estimates) parts.fcr = this.apart.fcr(id);
      if (change.labels !== undefined && (labelsOf === undefined || labelsOf.has(id))) parts.labels = this.apart.labels(id);
    };
    for (const [ahead, id] of this.taken) update(id, ahead);
    for (const [reviewer, mine] of this.ahead) {
      for (const [id, ahead] of mine) {
        if (Date.now() - ahead.at < KEEP_AHEAD_MS) update(id, ahead);
        else mine.delete(id);
      }
      if (mine.size === 0) this.ahead.delete(reviewer);
    }
  }
}

/** The parts as they are once none was read again while being awaited. */
async function settled(ahead: Ahead): Promise<ItemRecords | undefined> {
  for (;;) {
    const parts = { ...ahead.parts };
    const records = await assemble(parts);
    if (parts.dialogue === ahead.parts.dialogue && parts.customer === ahead.parts.customer && parts.fcr === ahead.parts.fcr && parts.labels === ahead.parts.labels) return records;
  }
}

async function assemble(parts: Parts): Promise<ItemRecords | undefined> {
  const [dialogue, customer, fcr, labels] = await Promise.all([parts.dialogue, parts.customer, parts.fcr, parts.labels]);
  return dialogue ? { dialogue, customer, fcr, labels } : undefined;
}

/** An item's parts from one connection (the dialogue and the customer: two lookups by key each, see DialogueRepository.get). */
class Reader {
  private readonly dialogues: DialogueRepository;
  private readonly customers: CustomerRepository;
  private readonly labelRows: LabelRepository;

  constructor(private readonly db: Database) {
    this.dialogues = new DialogueRepository(db);
    this.customers = new CustomerRepository(db);
    this.labelRows = new LabelRepository(db);
  }

  /** Every part, read at once (the customer once the dialogue says who). */
  parts(dialogueId: string): Parts {
    return { ...this.record(dialogueId), fcr: this.fcr(dialogueId), labels: this.labels(dialogueId) };
  }

  /** The dialogue and its customer. */
  record(dialogueId: string): Pick<Parts, 'dialogue' | 'customer'> {
    const dialogue = this.dialogues.get(dialogueId);
    dialogue.catch(() => undefined); // each part is awaited later with the others, or never when the item is not asked for
    return { dialogue, customer: this.customerOf(dialogue) };
  }

  customerOf(dialogue: Promise<Dialogue | undefined>): Promise<Customer | undefined> {
    const customer = dialogue.then((d) => (d?.customer_id ? this.customers.get(d.customer_id) : undefined));
    customer.catch(() => undefined);
    return customer;
  }

  fcr(dialogueId: string): Promise<FcrEstimateView> {
    const fcr = fcrEstimateOf(this.db, dialogueId);
    fcr.catch(() => undefined);
    return fcr;
  }

  labels(dialogueId: string): Promise<Label[]> {
    const labels = this.labelRows.forDialogue(dialogueId);
    labels.catch(() => undefined);
    return labels;
  }
}
