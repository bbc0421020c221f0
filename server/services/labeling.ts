// The reviewers' use cases: the queue (next item, skip, claims), a dialogue with its context, saving
// labels with optimistic concurrency, gold labels by consensus or adjudication, and the intent list.
import type { AdjudicationList, CustomerView, DialogueView, QueueFilters, QueueNext, SaveLabelBody } from '../domain/api.ts';
import { SaveLabelBody as SaveLabelBodySchema } from '../domain/api.ts';
import { AppError } from '../domain/errors.ts';
import { IntentKey, LabelFields, type ApiKeyInfo, type GoldLabel, type Label } from '../domain/label.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { LabelRepository } from '../storage/label-repository.ts';
import { disagreeingFields } from './agreement.ts';
import { fcrEstimateOf } from './fcr-from-logs.ts';
import { getSettings } from './settings.ts';

/** How long the next item stays reserved for the reviewer who got it. */
const CLAIM_MINUTES = 15;

export class LabelingService {
  private readonly dialogues: DialogueRepository;
  private readonly customers: CustomerRepository;
  private readonly labels: LabelRepository;

  constructor(private readonly db: Database) {
    this.dialogues = new DialogueRepository(db);
    this.customers = new CustomerRepository(db);
    this.labels = new LabelRepository(db);
  }

  /** The reviewer's next dialogue: their own draft or claim first, then unlabeled items in a stable shuffled order. */
  async next(viewer: ApiKeyInfo, filters: QueueFilters = {}): Promise<QueueNext> {
    const me = viewer.name;
    const { overlap } = await getSettings(this.db);
    const where: string[] = [];
    const params: Record<string, string | number | boolean> = { me, overlap };
    if (filters.language) (where.push('d.language = $language'), (params.language = filters.language));
    if (filters.channel) (where.push('d.channel = $channel'), (params.channel = filters.channel));
    if (filters.intent) (where.push('d.intent = $intent'), (params.intent = filters.intent));
    if (filters.source) (where.push('d.source = $source'), (params.source = filters.source));
    if (filters.from) (where.push('d.started_ts >= CAST($from AS DATE)'), (params.from = filters.from));
    if (filters.to) (where.push("d.started_ts < CAST($to AS DATE) + INTERVAL 1 DAY"), (params.to = filters.to));
    if (filters.uncertain) where.push("f.value = 'unclear'");
    const [row] = await this.db.all<{ remaining: string; pick: { id: string } | null }>(
      `WITH others AS (
         SELECT dialogue_id, count(DISTINCT reviewer) AS n FROM (
           SELECT dialogue_id, reviewer FROM labels WHERE status = 'submitted' AND reviewer <> $me
           UNION ALL
           SELECT dialogue_id, reviewer FROM queue_claims WHERE expires_at > now() AND reviewer <> $me
         ) GROUP BY dialogue_id
       ), done AS (
         SELECT dialogue_id FROM labels WHERE reviewer = $me AND status = 'submitted'
         UNION SELECT dialogue_id FROM label_skips WHERE reviewer = $me
         UNION SELECT dialogue_id FROM gold_labels WHERE source = 'adjudication'
       ), started AS (
         SELECT dialogue_id FROM labels WHERE reviewer = $me AND status = 'draft'
         UNION SELECT dialogue_id FROM queue_claims WHERE reviewer = $me AND expires_at > now()
       )
       SELECT count(*) AS remaining,
              min({'started': CASE WHEN s.dialogue_id IS NULL THEN 1 ELSE 0 END, 'rank': hash(d.id), 'id': d.id}) AS pick
       FROM dialogues d
       LEFT JOIN others o ON o.dialogue_id = d.id
       LEFT JOIN started s ON s.dialogue_id = d.id
       ${filters.uncertain ? 'JOIN fcr_estimates f ON f.dialogue_id = d.id' : ''}
       WHERE d.id NOT IN (SELECT dialogue_id FROM done)
         AND (coalesce(o.n, 0) < $overlap OR s.dialogue_id IS NOT NULL)
         ${where.map((w) => `AND ${w}`).join(' ')}`,
      params,
    );
    const done = await this.labels.countSubmittedBy(me);
    const id = row?.pick?.id;
    if (!id) return { item: null, progress: { done, remaining: 0 } };
    await this.db.transaction(async () => {
      await this.db.run('DELETE FROM queue_claims WHERE reviewer = $me OR expires_at <= now()', { me });
      await this.db.run(`INSERT INTO queue_claims VALUES ($id, $me, now() + INTERVAL ${CLAIM_MINUTES} MINUTE)`, { id, me });
    });
    return { item: await this.view(id, viewer), progress: { done, remaining: Number(row.remaining) } };
  }

  async skip(dialogueId: string, viewer: ApiKeyInfo): Promise<void> {
    await this.mustExist(dialogueId);
    await this.db.run('INSERT INTO label_skips VALUES ($d, $me, now())', { d: dialogueId, me: viewer.name });
    await this.db.run('DELETE FROM queue_claims WHERE reviewer = $me AND dialogue_id = $d', { d: dialogueId, me: viewer.name });
  }

  async view(dialogueId: string, viewer: ApiKeyInfo): Promise<DialogueView> {
    const dialogue = await this.dialogues.get(dialogueId);
    if (!dialogue) throw new AppError('not_found', `no dialogue ${dialogueId}`);
    const seesAll = viewer.role === 'admin' || viewer.role === 'engineer';
    const [customer, fcr, mine, submitted, gold] = await Promise.all([
      dialogue.customer_id ? this.customers.get(dialogue.customer_id) : undefined,
      fcrEstimateOf(this.db, dialogueId),
      this.labels.get(dialogueId, viewer.name),
      seesAll ? this.labels.submittedFor(dialogueId) : Promise.resolve([]),
      this.labels.gold(dialogueId),
    ]);
    const onDay = dialogue.started_at ?? new Date().toISOString();
    const customerView: CustomerView | null = customer
      ? { ...customer, purchases: customer.purchases.map((p) => ({ ...p, warranty: warrantyOn(p, onDay) })) }
      : null;
    return {
      dialogue,
      customer: customerView,
      fcr_estimate: fcr,
      my_label: mine ?? null,
      labels: seesAll ? submitted : mine && mine.status === 'submitted' ? [mine] : [],
      gold: seesAll ? (gold ?? null) : null,
    };
  }

  /** Saves the reviewer's label; a stale `version` (someone saved in between) is a 409, never a lost update. */
  async save(dialogueId: string, viewer: ApiKeyInfo, input: SaveLabelBody): Promise<Label> {
    const body = SaveLabelBodySchema.parse(input);
    await this.mustExist(dialogueId);
    const me = viewer.name;
    const saved =
      body.version === null
        ? await this.labels.create(dialogueId, me, body.fields, body.status)
        : await this.labels.update(dialogueId, me, body.fields, body.status, body.version);
    if (!saved) {
      const current = await this.labels.get(dialogueId, me);
      throw new AppError(
        'conflict',
        current
          ? `this label was saved elsewhere in the meantime (version ${current.version}, you had ${body.version ?? 'none'}); reload it and apply your changes again`
          : `no label to update for ${dialogueId}; create it with version null`,
      );
    }
    if (body.fields.intent) await this.addIntent(body.fields.intent, me);
    if (saved.status === 'submitted') {
      await this.db.run('DELETE FROM queue_claims WHERE reviewer = $me AND dialogue_id = $d', { d: dialogueId, me });
      await this.updateGold(dialogueId);
    }
    return saved;
  }

  /** Consensus (or the one label when overlap is 1) becomes gold; a disagreement waits for adjudication. */
  async updateGold(dialogueId: string): Promise<void> {
    const existing = await this.labels.gold(dialogueId);
    if (existing?.source === 'adjudication') return;
    const { overlap } = await getSettings(this.db);
    const submitted = await this.labels.submittedFor(dialogueId);
    if (submitted.length < overlap || submitted.length === 0) return;
    if (disagreeingFields(submitted).length > 0) {
      await this.labels.clearGold(dialogueId);
      return;
    }
    const first = submitted[0]!;
    await this.labels.setGold(dialogueId, LabelFields.parse(first), first.reviewer, submitted.length === 1 ? 'single' : 'consensus');
  }

  async adjudicationItems(): Promise<AdjudicationList> {
    const byDialogue = new Map<string, Label[]>();
    for (const l of await this.labels.submitted()) byDialogue.set(l.dialogue_id, [...(byDialogue.get(l.dialogue_id) ?? []), l]);
    const items = [];
    for (const [dialogue_id, labels] of byDialogue) {
      if (labels.length < 2) continue;
      const fields = disagreeingFields(labels);
      if (fields.length === 0) continue;
      const gold = await this.labels.gold(dialogue_id);
      items.push({ dialogue_id, fields, labels, gold: gold ?? null });
    }
    return { items };
  }

  async adjudicate(dialogueId: string, fields: LabelFields, viewer: ApiKeyInfo): Promise<GoldLabel> {
    await this.mustExist(dialogueId);
    return this.labels.setGold(dialogueId, LabelFields.parse(fields), viewer.name, 'adjudication');
  }

  async intents(): Promise<{ key: string; count: number }[]> {
    const rows = await this.db.all<{ key: string; n: string }>(`
      SELECT key, sum(n) AS n FROM (
        SELECT intent AS key, count(*) AS n FROM dialogues WHERE intent IS NOT NULL GROUP BY 1
        UNION ALL SELECT intent, 0 FROM labels WHERE intent IS NOT NULL GROUP BY 1
        UNION ALL SELECT key, 0 FROM intents
      ) GROUP BY key ORDER BY n DESC, key`);
    return rows.map((r) => ({ key: r.key, count: Number(r.n) }));
  }

  async addIntent(key: string, by: string): Promise<void> {
    const parsed = IntentKey.safeParse(key);
    if (!parsed.success) throw new AppError('validation', parsed.error.issues[0]!.message);
    await this.db.run('INSERT INTO intents VALUES ($key, $by, now()) ON CONFLICT DO NOTHING', { key: parsed.data, by });
  }

  private async mustExist(dialogueId: string): Promise<void> {
    const [row] = await this.db.all('SELECT 1 AS x FROM dialogues WHERE id = $id', { id: dialogueId });
    if (!row) throw new AppError('not_found', `no dialogue ${dialogueId}`);
  }
}
