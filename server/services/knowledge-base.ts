// The offline bot's knowledge base: dialogues of the training split (never dev or test, never a
// suite's) that were resolved or rightly handed off, each as the customer's words and the agent's
// last reply — the gold reference answer where a reviewer wrote one. VIP customers' dialogues are
// left out: their replies greet the customer by name, which the bot must not repeat to others.
// Each answer is de-identified here, once, knowing its own customer's record (so their order ids,
// products, dates, prices and name are recognised exactly) and every product name the store knows.
import type { Customer } from '../domain/dialogue.ts';
import type { KbEntry } from '../providers/local-kb.ts';
import { deidentifyReply } from '../providers/reply-slots.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { KnowledgeBaseRepository } from '../storage/knowledge-base-repository.ts';
import { goldLabelsById } from './gold-labels.ts';
import { splitOf } from './splits.ts';
import { suiteDialogueIds } from './suites.ts';

export async function knowledgeBaseEntries(db: Database): Promise<KbEntry[]> {
  const gold = await goldLabelsById(db);
  const inSuites = await suiteDialogueIds(db);
  const source = new KnowledgeBaseRepository(db);
  const rows = await source.answeredDialogues();
  const knownProducts = await source.knownProducts();
  const customers = new CustomerRepository(db);
  const records = new Map<string, Customer | undefined>();
  const recordOf = async (id: string | null) => {
    if (id === null) return undefined;
    if (!records.has(id)) records.set(id, await customers.get(id));
    return records.get(id);
  };
  const entries: KbEntry[] = [];
  const add = async (r: (typeof rows)[number], intent: string | null | undefined, answer: string) => {
    const customer = await recordOf(r.customer_id);
    const record = customer ? { name: customer.name, purchases: customer.purchases } : null;
    const reply = deidentifyReply(answer, { language: r.language, record, knownProducts });
    entries.push({ id: r.id, language: r.language, intent: intent ?? undefined, question: r.question!, answer, reply });
  };
  for (const r of rows) {
    if (splitOf(r.id) !== 'train' || inSuites.has(r.id) || !r.question) continue;
    const g = gold.get(r.id);
    if (g) {
      if (g.fcr === 'no' || g.accuracy === 'incorrect' || (g.tone !== null && g.tone <= 2)) continue;
      const answer = g.reference_answer || r.answer;
      if (answer) await add(r, g.intent ?? r.intent, answer);
    } else if ((r.resolved || r.escalated) && r.answer) {
      await add(r, r.intent, r.answer);
    }
  }
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}
