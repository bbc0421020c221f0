// The offline bot's knowledge base: dialogues of the training split (never dev or test, never a
// suite's) that were resolved or rightly handed off, each as the customer's words and the agent's
// last reply — the gold reference answer where a reviewer wrote one. VIP customers' dialogues are
// left out: their replies greet the customer by name, which the bot must not repeat to others.
// Each answer is de-identified once, knowing its own customer's record (so their order ids,
// products, dates, prices and name are recognised exactly) and every product name the store knows.
// Reading the store (knowledgeBaseSource) and the CPU work (deidentifyEntries) are apart, so
// the answer endpoint can hand the second to its worker threads.
import { deidentifyEntries, type KbEntry, type KbSourceEntry } from '../providers/local-kb.ts';
import type { Database } from '../storage/database.ts';
import { KnowledgeBaseRepository } from '../storage/knowledge-base-repository.ts';
import { goldLabelsById } from './gold-labels.ts';
import { splitOf } from './splits.ts';
import { suiteDialogueIds } from './suites.ts';

/** What the knowledge base is built from, read from the store: plain data, which a worker thread can be sent. */
export interface KnowledgeBaseSource {
  /** In id order. */
  entries: KbSourceEntry[];
  knownProducts: string[];
}

export async function knowledgeBaseSource(db: Database): Promise<KnowledgeBaseSource> {
  const gold = await goldLabelsById(db);
  const inSuites = await suiteDialogueIds(db);
  const source = new KnowledgeBaseRepository(db);
  const rows = await source.answeredDialogues();
  const knownProducts = await source.knownProducts();
  const customers = await source.dialogueCustomers();
  const entries: KbSourceEntry[] = [];
  const add = (r: (typeof rows)[number], intent: string | null | undefined, answer: string) => {
    const customer = r.customer_id === null ? undefined : customers.get(r.customer_id);
    const record = customer ? { name: customer.name, purchases: customer.purchases } : null;
    entries.push({ id: r.id, language: r.language, intent: intent ?? undefined, question: r.question!, answer, record });
  };
  for (const r of rows) {
    if (splitOf(r.id) !== 'train' || inSuites.has(r.id) || !r.question) continue;
    const g = gold.get(r.id);
    if (g) {
      if (g.fcr === 'no' || g.accuracy === 'incorrect' || (g.tone !== null && g.tone <= 2)) continue;
      const answer = g.reference_answer || r.answer;
      if (answer) add(r, g.intent ?? r.intent, answer);
    } else if ((r.resolved || r.escalated) && r.answer) {
      add(r, r.intent, r.answer);
    }
  }
  return { entries: entries.sort((a, b) => a.id.localeCompare(b.id)), knownProducts };
}

/** The entries, each answer de-identified against its own customer's record. */
export function knowledgeBaseEntriesFrom(source: KnowledgeBaseSource): KbEntry[] {
  return deidentifyEntries(source.entries, source.knownProducts);
}

export async function knowledgeBaseEntries(db: Database): Promise<KbEntry[]> {
  return knowledgeBaseEntriesFrom(await knowledgeBaseSource(db));
}
