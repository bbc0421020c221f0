// Frozen, versioned eval suites built from labeled dialogues: one case per dialogue (the
// conversation up to the agent's reply to the customer's last message), in the test split by
// default, stratified by intent and language, content-hashed, stored in DuckDB and written as a
// reviewable file under evals/suites/.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Dialogue, Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { Suite, SuiteCase, SuiteFilters, type Split } from '../domain/eval.ts';
import { LABEL_SCHEMA_VERSION, type GoldLabel } from '../domain/label.ts';
import { anonymousCustomerViewAsOf, type CustomerRecord } from '../domain/customer-view.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { DialogueSelectionRepository } from '../storage/dialogue-selection-repository.ts';
import { SuiteRepository, type SuiteInfo } from '../storage/suite-repository.ts';
import { goldLabelsById } from './gold-labels.ts';
import { rankOf, splitOf } from './splits.ts';

/** Relative to the working directory: the team's repository, where the reviewable files belong (never firstcall's install folder). */
export const DEFAULT_SUITES_DIR = join('evals', 'suites');

export interface BuildSuiteOptions {
  name: string;
  split?: Split;
  filters?: Partial<SuiteFilters>;
  size?: number;
  /** Where the reviewable file goes (default evals/suites). */
  dir?: string;
}

export async function buildSuite(db: Database, options: BuildSuiteOptions): Promise<{ suite: Suite; created: boolean; path: string }> {
  const name = Suite.shape.name.parse(options.name);
  const split = options.split ?? 'test';
  const filters = SuiteFilters.parse(options.filters ?? {});
  const gold = await goldLabelsById(db);

  const rows = await new DialogueSelectionRepository(db).suiteSources(filters);
  const eligible = rows.filter((r) => splitOf(r.id) === split && (gold.has(r.id) || (!filters.labeled_only && r.has_reference)));
  const chosen = stratified(eligible, (r) => `${gold.get(r.id)?.intent ?? r.intent ?? '-'}|${r.language}`, options.size);

  const dialogues = new DialogueRepository(db);
  const customers = new CustomerRepository(db);
  const cases: SuiteCase[] = [];
  for (const row of chosen) {
    const dialogue = await dialogues.get(row.id);
    if (!dialogue) continue;
    const customer = dialogue.customer_id ? await customers.get(dialogue.customer_id) : undefined;
    const built = caseFromDialogue(dialogue, gold.get(row.id), customer);
    if (built) cases.push(built);
  }
  cases.sort((a, b) => a.case_id.localeCompare(b.case_id));
  if (cases.length === 0) {
    throw new AppError(
      'usage',
      `no cases for suite ${name}: no ${filters.labeled_only ? 'labeled ' : ''}dialogues in the ${split} split match the filters (label some dialogues, or pass --no-labeled-only to use reference answers carried in the logs)`,
    );
  }
  const hash = createHash('sha256').update(JSON.stringify(cases)).digest('hex');

  const suites = new SuiteRepository(db);
  const latest = await suites.latest(name);
  const dir = resolve(options.dir ?? DEFAULT_SUITES_DIR);
  if (latest && latest.hash === hash) {
    const suite = await loadSuite(db, name, latest.version);
    return { suite, created: false, path: writeSuiteFile(suite, dir) };
  }
  const suite: Suite = {
    name,
    version: latest ? latest.version + 1 : 1,
    hash,
    created_at: new Date().toISOString(),
    split,
    filters,
    label_schema_version: LABEL_SCHEMA_VERSION,
    cases,
  };
  await suites.insert(suite);
  return { suite, created: true, path: writeSuiteFile(suite, dir) };
}

function writeSuiteFile(suite: Suite, dir: string): string {
  const folder = join(dir, suite.name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `v${suite.version}.json`);
  writeFileSync(path, `${JSON.stringify(suite, null, 2)}\n`);
  return path;
}

/** Round-robin over groups (each in stable rank order), so every intent × language is represented. */
function stratified<T extends { id: string }>(rows: readonly T[], group: (row: T) => string, size?: number): T[] {
  const groups = new Map<string, T[]>();
  for (const row of [...rows].sort((a, b) => rankOf(a.id) - rankOf(b.id) || a.id.localeCompare(b.id))) {
    const key = group(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const limit = size ?? rows.length;
  const lists = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, list]) => list);
  const out: T[] = [];
  for (let i = 0; out.length < limit && lists.some((l) => i < l.length); i++) {
    for (const list of lists) if (i < list.length && out.length < limit) out.push(list[i]!);
  }
  return out;
}

/** The case of a dialogue: history through the customer's last message, and the agent's reply to it. */
/** The customer's record may hold later purchases: the case keeps only those made by the contact date. */
export function caseFromDialogue(dialogue: Dialogue, gold: GoldLabel | undefined, customer: CustomerRecord | undefined): SuiteCase | undefined {
  const shape = caseShape(dialogue, gold, customer);
  return shape && SuiteCase.parse(shape);
}

/**
 * caseFromDialogue without parsing the case with its schema: for a fine-tuning build, whose dialogues
 * come from the store through the trusted converters (storage/converters.ts) and whose examples are
 * checked before they are written. A suite's cases, which leave the store as files, are always parsed.
 */
export function caseFromTrustedDialogue(dialogue: Dialogue, gold: GoldLabel | undefined, customer: CustomerRecord | undefined): SuiteCase | undefined {
  return caseShape(dialogue, gold, customer) as SuiteCase | undefined;
}

function caseShape(dialogue: Dialogue, gold: GoldLabel | undefined, customer: CustomerRecord | undefined) {
  const turns = dialogue.turns;
  const last = turns.findLastIndex((t) => t.role === 'customer');
  if (last === -1) return undefined;
  const replies: Turn[] = [];
  for (let i = last + 1; i < turns.length && turns[i]!.role !== 'customer'; i++) if (turns[i]!.role === 'agent') replies.push(turns[i]!);
  const metadata = (dialogue.metadata ?? {}) as Record<string, unknown>;
  const contactDate = (dialogue.started_at ?? new Date().toISOString()).slice(0, 10);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const facts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : []);
  const expected =
    gold?.escalation_needed === 'yes' ? true
    : gold?.escalation_needed === 'no' ? false
    : typeof metadata.expected_escalation === 'boolean' ? metadata.expected_escalation
    : (dialogue.outcome?.escalated ?? false);
  // The logged outcome is what happened, not what was needed: say so, so scorers do not take it as expected.
  const unlabeledEscalation = gold?.escalation_needed !== 'yes' && gold?.escalation_needed !== 'no' && typeof metadata.expected_escalation !== 'boolean';
  // The profile as it stood on the contact date (no purchase made later), without the customer's
  // name: cases leave the store (suite files, model calls).
  const asOf = customer ? anonymousCustomerViewAsOf(customer, contactDate) : null;
  const profile = asOf
    ? {
        customer_id: asOf.customer_id,
        tier: asOf.tier,
        language: asOf.language,
        since: asOf.since,
        purchases: asOf.purchases.map(({ product, category, purchased_at, warranty_months, order_id, price, warranty }) => ({
          product,
          category,
          purchased_at,
          warranty_months,
          order_id,
          price,
          warranty,
        })),
      }
    : null;
  return {
    case_id: `${dialogue.id}#${last + 1}`,
    dialogue_id: dialogue.id,
    history: turns.slice(0, last + 1),
    customer_message: turns[last]!.text,
    customer: profile,
    contact_date: contactDate,
    reference_answer: gold?.reference_answer || text(metadata.reference_answer),
    required_facts: gold && gold.required_facts.length > 0 ? gold.required_facts : facts(metadata.required_facts),
    expected_escalation: expected,
    ...(unlabeledEscalation ? { expected_escalation_source: dialogue.outcome?.escalated === undefined ? 'none' : 'outcome' } : {}),
    intent: gold?.intent ?? dialogue.metadata?.intent ?? null,
    language: dialogue.language,
    channel: dialogue.channel,
    human_reply: replies.length > 0 ? replies.map((r) => r.text).join('\n') : null,
    gold: { fcr: gold?.fcr ?? null, accuracy: gold?.accuracy ?? null, tone: gold?.tone ?? null },
  };
}

export async function loadSuite(db: Database, name: string, version?: number): Promise<Suite> {
  const suite = await new SuiteRepository(db).get(name, version);
  if (!suite) throw new AppError('usage', `no suite ${name}${version ? ` v${version}` : ''}; build it with firstcall suite build --name ${name}`);
  return suite;
}

export async function listSuites(db: Database): Promise<SuiteInfo[]> {
  return new SuiteRepository(db).list();
}

/** Every dialogue that is in some frozen suite (fine-tuning sets must exclude them). */
export async function suiteDialogueIds(db: Database): Promise<Set<string>> {
  return new SuiteRepository(db).dialogueIds();
}
