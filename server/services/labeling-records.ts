// The records the labeling view shows beside the labels: the dialogue with its turns and its
// customer with their purchases. When a reviewer is handed an item, the record of the item after it
// is read ahead, on the store's read connections, while they work; their next request then reads only
// what may have changed meanwhile (labels, estimates). What is read ahead is read again when customers
// change (an ingest's merge) and never served for production dialogues, which the exchange log
// replaces as their conversations go on; every other stored dialogue keeps its first copy.
import type { Customer, Dialogue } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { onStoreChanged } from '../storage/store-changes.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import { readingApart, type Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';

export interface DialogueRecord {
  dialogue: Dialogue;
  customer: Customer | undefined;
}

/** A read ahead older than this is dropped, not read again, when customers change: its reviewer has stopped. */
const KEEP_AHEAD_MS = 15 * 60_000;

interface Ahead {
  id: string;
  /** When the reviewer was handed the item before it (Date.now()). */
  at: number;
  /** The customers' generation when the read started. */
  generation: number;
  record: Promise<DialogueRecord | undefined>;
}

export class LabelingRecords {
  private readonly now: Reader;
  private readonly apart: Reader;
  /** Per reviewer, the record read ahead for them. */
  private readonly ahead = new Map<string, Ahead>();
  private generation = 0;

  constructor(db: Database) {
    this.now = new Reader(db);
    this.apart = new Reader(readingApart(db));
    onStoreChanged(db, (change) => {
      if (!change.customers) return;
      // Read again: what was read may be a customer's former profile.
      this.generation++;
      const was = [...this.ahead];
      this.ahead.clear();
      for (const [reviewer, { id, at }] of was) if (Date.now() - at < KEEP_AHEAD_MS) this.start(id, reviewer, at);
    });
  }

  /** The dialogue's record: the one read ahead for this reviewer when it is still current, else read now. */
  async get(dialogueId: string, reviewer: string): Promise<DialogueRecord> {
    const ahead = this.ahead.get(reviewer);
    if (ahead?.id === dialogueId) {
      this.ahead.delete(reviewer);
      const record = await ahead.record.catch(() => undefined); // a failed read ahead is read again below
      if (record && ahead.generation === this.generation && record.dialogue.source !== 'production') return record;
    }
    const record = await this.now.read(dialogueId);
    if (!record) throw new AppError('not_found', `no dialogue ${dialogueId}`);
    return record;
  }

  /** Starts reading the record of the reviewer's likely next item (replacing what was read ahead for them). */
  readAhead(dialogueId: string, reviewer: string): void {
    if (this.ahead.get(reviewer)?.id !== dialogueId) this.start(dialogueId, reviewer, Date.now());
  }

  private start(dialogueId: string, reviewer: string, at: number): void {
    const record = this.apart.read(dialogueId);
    record.catch(() => undefined); // see get()
    this.ahead.set(reviewer, { id: dialogueId, at, generation: this.generation, record });
  }
}

/** Two lookups by key each (see DialogueRepository.get). */
class Reader {
  private readonly dialogues: DialogueRepository;
  private readonly customers: CustomerRepository;

  constructor(db: Database) {
    this.dialogues = new DialogueRepository(db);
    this.customers = new CustomerRepository(db);
  }

  async read(dialogueId: string): Promise<DialogueRecord | undefined> {
    const dialogue = await this.dialogues.get(dialogueId);
    if (!dialogue) return undefined;
    return { dialogue, customer: dialogue.customer_id ? await this.customers.get(dialogue.customer_id) : undefined };
  }
}
