// Dialogues logged by the production answer endpoints, and which API key started each one: a key
// may continue only its own production dialogues on the same channel, and never one a reviewer has
// labeled or a suite has frozen.
import type { Language, Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import type { Database } from './database.ts';

export interface ProductionExchange {
  id: string;
  channel: string;
  customerId: string | null;
  language: Language;
  /** The whole conversation, the bot's answer last. */
  turns: readonly Turn[];
  escalated: boolean;
  metadata: Record<string, unknown>;
}

/** Who is continuing (or starting) a dialogue. */
export interface DialogueCaller {
  keyId: string;
  channel: string;
}

/** An exchange to store: a new dialogue owned by `caller`, or (`continues`) the replacement of theirs. */
export interface SavedExchange {
  exchange: ProductionExchange;
  caller: DialogueCaller;
  continues: boolean;
  /** When a new dialogue started (ISO time; default: when it is stored). */
  startedAt?: string;
}

/** The one answer for a dialogue a caller may not continue (unknown, not production, another key's or channel's): 404. */
export const notContinuable = (id: string, caller: DialogueCaller): AppError =>
  new AppError('not_found', `no production dialogue ${id} started by this API key on channel ${caller.channel}; omit dialogue_id to start a new one`);

/** Why a dialogue can no longer change. */
export type ClosedReason = 'labeled' | 'frozen';

/** The one answer for a continuation of a dialogue that can no longer change: 409. */
export const closedDialogue = (id: string, reason: ClosedReason): AppError =>
  new AppError('conflict', `dialogue ${id} has been ${reason === 'labeled' ? 'labeled by a reviewer' : 'frozen in an eval suite'} and can no longer change; omit dialogue_id to start a new one`);

/** What deciding whether a caller may continue a stored dialogue takes. */
interface ContinuationRow {
  id: string;
  source: string;
  api_key_id: string | null;
  owner_channel: string | null;
  channel: string;
  started_at: string | null;
  labeled: boolean;
  in_suite: boolean;
}

/** Ids among `asked` (a relation with an `id` column) with a label, a gold label or a suite: one index lookup each. */
const closedRows = (asked: string) => `
  SELECT dialogue_id AS id, true AS labeled FROM labels WHERE dialogue_id IN (SELECT id FROM ${asked})
  UNION ALL SELECT dialogue_id, true FROM gold_labels WHERE dialogue_id IN (SELECT id FROM ${asked})
  UNION ALL SELECT dialogue_id, false FROM suite_dialogues WHERE dialogue_id IN (SELECT id FROM ${asked})`;

/** `where` filters `dialogues d`. */
const continuationSql = (where: string) => `
  WITH d AS (SELECT id, source, channel, started_at FROM dialogues d WHERE ${where}), closed AS (${closedRows('d')})
  SELECT d.id, d.source, o.api_key_id, o.channel AS owner_channel, d.channel, d.started_at,
         coalesce(bool_or(c.labeled), false) AS labeled, coalesce(bool_or(NOT c.labeled), false) AS in_suite
  FROM d LEFT JOIN production_dialogue_owners o ON o.dialogue_id = d.id LEFT JOIN closed c ON c.id = d.id
  GROUP BY ALL`;

/** Why `caller` may not continue dialogue `id` (stored as `row`, or not stored), or null when it may. */
function continuationError(id: string, caller: DialogueCaller, row: ContinuationRow | undefined): AppError | null {
  const mine = row !== undefined && row.source === 'production' && row.api_key_id === caller.keyId && row.owner_channel === caller.channel && row.channel === caller.channel;
  if (!mine) return notContinuable(id, caller);
  return row.labeled || row.in_suite ? closedDialogue(id, row.labeled ? 'labeled' : 'frozen') : null;
}

export class ProductionDialogueRepository {
  constructor(private readonly db: Database) {}

  /**
   * Throws unless `caller` may replace dialogue `id` with a longer exchange: 404 when it is unknown,
   * not from production, or started by another key or on another channel (the same answer for all
   * three, so a key learns nothing about dialogues it does not own); 409 when it is the caller's own
   * but has been labeled or frozen in a suite since.
   */
  async assertContinuable(id: string, caller: DialogueCaller): Promise<void> {
    const [row] = await this.db.all<ContinuationRow>(continuationSql('d.id = $id'), { id });
    const error = continuationError(id, caller, row);
    if (error) throw error;
  }

  /**
   * Which of dialogues `ids` have been labeled by a reviewer or frozen in a suite, and why, whether or
   * not the dialogues themselves are stored yet (exchanges still waiting in the answer endpoint's
   * journal): one statement for many (concurrent continuations share it).
   */
  async closedAmong(ids: readonly string[]): Promise<Map<string, ClosedReason>> {
    // Three index lookups (labels_dialogue, gold_labels' key, suite_dialogues_dialogue); EXISTS
    // subqueries read each table whole (13.6 against 2.9 ms a statement with 200k labels).
    const rows = await this.db.all<{ id: string; labeled: boolean }>(
      `WITH asked AS (SELECT unnest(from_json($ids, '["VARCHAR"]')) AS id)
       SELECT id, bool_or(labeled) AS labeled FROM (${closedRows('asked')}) GROUP BY id`,
      { ids: JSON.stringify(ids) },
    );
    return new Map(rows.map((r) => [r.id, r.labeled ? 'labeled' : 'frozen']));
  }

  /** Production dialogues that can no longer change (labeled, or frozen in a suite): what answer replicas must refuse to continue. */
  async closed(): Promise<{ id: string; reason: ClosedReason }[]> {
    const rows = await this.db.all<{ id: string; labeled: boolean }>(
      `WITH asked AS (SELECT dialogue_id AS id FROM production_dialogue_owners)
       SELECT id, bool_or(labeled) AS labeled FROM (${closedRows('asked')}) GROUP BY id ORDER BY id`,
    );
    return rows.map((r) => ({ id: r.id, reason: r.labeled ? 'labeled' : 'frozen' }));
  }

  /** Which of `ids` are stored dialogues. */
  async existing(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db.all<{ id: string }>(`SELECT id FROM dialogues WHERE id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`, { ids: JSON.stringify(ids) });
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Stores several exchanges inside the caller's transaction, so they share one commit (the answer
   * endpoint's exchange log, services/exchange-log.ts): each a new dialogue owned by its caller, or
   * (`continues`) the replacement of the caller's own dialogue, checked here as `assertContinuable`
   * checks it, so a dialogue labeled in between is left untouched. One that fails its check is left
   * out and its error is returned in its place, and the others are stored. Ids must be distinct.
   * `startedAt` (default now) is when a new dialogue started.
   */
  async writeMany(items: readonly SavedExchange[]): Promise<(AppError | null)[]> {
    const now = new Date().toISOString();
    const outcomes: (AppError | null)[] = [];
    const owners: { id: string; key: string; channel: string; started: string }[] = [];
    const dialogues: Record<string, unknown>[] = [];
    const turns: Record<string, unknown>[] = [];
    // The continued dialogues as stored, checked in one statement; those that pass are replaced.
    const continued = items.filter((item) => item.continues).map((item) => item.exchange.id);
    const stored =
      continued.length === 0
        ? new Map<string, ContinuationRow>()
        : new Map((await this.db.all<ContinuationRow>(continuationSql(`d.id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`), { ids: JSON.stringify(continued) })).map((row) => [row.id, row]));
    const replaced: string[] = [];
    for (const { exchange, caller, continues, startedAt } of items) {
      const { id } = exchange;
      let started = startedAt ?? now;
      if (continues) {
        const row = stored.get(id);
        const error = continuationError(id, caller, row);
        if (error) {
          outcomes.push(error);
          continue;
        }
        started = row!.started_at ?? started;
        replaced.push(id);
      } else {
        owners.push({ id, key: caller.keyId, channel: caller.channel, started });
      }
      dialogues.push({ id, channel: exchange.channel, customer: exchange.customerId, language: exchange.language, started, escalated: exchange.escalated, metadata: JSON.stringify(exchange.metadata), turns: exchange.turns.length });
      for (const [seq, t] of exchange.turns.entries()) turns.push({ id, seq, role: t.role, text: t.text, agent_kind: t.role === 'agent' ? (t.agent_kind ?? null) : null, name: t.name ?? null });
      outcomes.push(null);
    }
    if (replaced.length > 0) {
      const ids = JSON.stringify(replaced);
      await this.db.run(`DELETE FROM turns WHERE dialogue_id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`, { ids });
      await this.db.run(`DELETE FROM dialogues WHERE id IN (SELECT unnest(from_json($ids, '["VARCHAR"]')))`, { ids });
    }
    if (owners.length > 0) {
      await this.db.run(
        `INSERT INTO production_dialogue_owners SELECT o.id, o.key, o.channel, CAST(o.started AS TIMESTAMPTZ)
         FROM (SELECT unnest(from_json($rows, '[{"id":"VARCHAR","key":"VARCHAR","channel":"VARCHAR","started":"VARCHAR"}]')) AS o)`,
        { rows: JSON.stringify(owners) },
      );
    }
    if (dialogues.length > 0) {
      await this.db.run(
        `INSERT INTO dialogues (id, channel, customer_id, language, started_at, started_ts, source, intent, resolved, escalated, csat, metadata, turn_count, content_hash, batch_id)
         SELECT d.id, d.channel, d.customer, d.language, d.started, CAST(d.started AS TIMESTAMPTZ), 'production', NULL, NULL, d.escalated, NULL, d.metadata, d.turns, 'live', 'production'
         FROM (SELECT unnest(from_json($rows, '[{"id":"VARCHAR","channel":"VARCHAR","customer":"VARCHAR","language":"VARCHAR","started":"VARCHAR","escalated":"BOOLEAN","metadata":"VARCHAR","turns":"INTEGER"}]')) AS d)`,
        { rows: JSON.stringify(dialogues) },
      );
      await this.db.run(
        `INSERT INTO turns SELECT t.id, t.seq, t.role, t.text, NULL, t.agent_kind, t.name
         FROM (SELECT unnest(from_json($rows, '[{"id":"VARCHAR","seq":"INTEGER","role":"VARCHAR","text":"VARCHAR","agent_kind":"VARCHAR","name":"VARCHAR"}]')) AS t)`,
        { rows: JSON.stringify(turns) },
      );
    }
    return outcomes;
  }
}
