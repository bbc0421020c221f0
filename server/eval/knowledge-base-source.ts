// The offline bot's knowledge base: dialogues of the training split (never dev or test, never a
// suite's) that were resolved or rightly handed off, each as the customer's words and the agent's
// last reply — the gold reference answer where a reviewer wrote one. VIP customers' dialogues are
// left out: their replies greet the customer by name, which the bot must not repeat to others.
import type { KbEntry } from '../providers/local-kb.ts';
import type { Database } from '../storage/database.ts';
import { LabelingService } from '../services/labeling.ts';
import { splitOf } from '../services/splits.ts';
import { suiteDialogueIds } from '../services/suites.ts';

export async function knowledgeBaseEntries(db: Database): Promise<KbEntry[]> {
  const gold = new Map((await new LabelingService(db).goldLabels()).map((g) => [g.dialogue_id, g]));
  const inSuites = await suiteDialogueIds(db);
  const rows = await db.all<{ id: string; language: 'zh' | 'en'; intent: string | null; resolved: boolean | null; escalated: boolean | null; question: string | null; answer: string | null }>(`
    SELECT d.id, d.language, d.intent, d.resolved, d.escalated,
           string_agg(t.text, '\n' ORDER BY t.seq) FILTER (WHERE t.role = 'customer') AS question,
           arg_max(t.text, t.seq) FILTER (WHERE t.role = 'agent') AS answer
    FROM dialogues d JOIN turns t ON t.dialogue_id = d.id
    WHERE d.customer_id IS NULL OR d.customer_id NOT IN (SELECT id FROM customers WHERE tier = 'vip')
    GROUP BY d.id, d.language, d.intent, d.resolved, d.escalated`);
  const entries: KbEntry[] = [];
  for (const r of rows) {
    if (splitOf(r.id) !== 'train' || inSuites.has(r.id) || !r.question) continue;
    const g = gold.get(r.id);
    if (g) {
      if (g.fcr === 'no' || g.accuracy === 'incorrect' || (g.tone !== null && g.tone <= 2)) continue;
      const answer = g.reference_answer || r.answer;
      if (answer) entries.push({ id: r.id, language: r.language, intent: g.intent ?? r.intent ?? undefined, question: r.question, answer });
    } else if ((r.resolved || r.escalated) && r.answer) {
      entries.push({ id: r.id, language: r.language, intent: r.intent ?? undefined, question: r.question, answer: r.answer });
    }
  }
  return entries.sort((a, b) => a.id.localeCompare(b.id));
}
