// Production monitoring, like online evaluators: score the agent's reply to the customer's last
// message in logged dialogues, write one JSON line per dialogue and store the scores for trends.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Customer } from '../domain/dialogue.ts';
import { parseReply, type Scorer } from '../domain/eval.ts';
import { LabelingService } from '../services/labeling.ts';
import { caseFromDialogue } from '../services/suites.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';

export interface ScoreLogsFilters {
  language?: string;
  channel?: string;
  intent?: string;
  source?: string;
  from?: string;
  to?: string;
}

export interface ScoreLogsResult {
  scored: number;
  skipped: number;
  means: Record<string, number>;
}

/** Scorers that make sense on logs (latency and cost belong to model calls). */
export const LOG_SCORERS = ['fcr', 'accuracy', 'tone', 'escalation', 'safety'] as const;

export async function scoreLogs(db: Database, scorers: readonly Scorer[], out: string, filters: ScoreLogsFilters = {}): Promise<ScoreLogsResult> {
  const gold = new Map((await new LabelingService(db).goldLabels()).map((g) => [g.dialogue_id, g]));
  const customers = new Map<string, Customer>();
  for await (const page of new CustomerRepository(db).all()) for (const c of page) customers.set(c.customer_id, c);

  await mkdir(dirname(out), { recursive: true });
  const stream = createWriteStream(out);
  const sums: Record<string, { total: number; n: number }> = {};
  const stored: { dialogue_id: string; scorer: string; method: string; score: number; pass: boolean; reason: string }[] = [];
  let scored = 0;
  let skipped = 0;
  const matches = (d: { language: string; channel: string; metadata?: Record<string, unknown>; source: string; started_at?: string }) =>
    (!filters.language || d.language === filters.language) &&
    (!filters.channel || d.channel === filters.channel) &&
    (!filters.intent || d.metadata?.intent === filters.intent) &&
    (!filters.source || d.source === filters.source) &&
    (!filters.from || (d.started_at ?? '').slice(0, 10) >= filters.from) &&
    (!filters.to || (d.started_at ?? '9999').slice(0, 10) <= filters.to);

  for await (const page of new DialogueRepository(db).all()) {
    const lines: string[] = [];
    for (const dialogue of page) {
      if (!matches(dialogue)) continue;
      const customer = dialogue.customer_id ? customers.get(dialogue.customer_id) : undefined;
      const c = caseFromDialogue(dialogue, gold.get(dialogue.id), customer);
      if (!c || !c.human_reply) {
        skipped++;
        continue;
      }
      const reply = parseReply(c.human_reply);
      const handoff = reply.handoff ?? (dialogue.outcome?.escalated ? { queue: 'human' } : null);
      const scores: Record<string, number> = {};
      for (const scorer of scorers) {
        const r = await scorer.score({ case: c, reply: reply.answer, handoff, latency_ms: 0, model: 'logged:human' });
        scores[scorer.name] = r.score;
        (sums[scorer.name] ??= { total: 0, n: 0 }).total += r.score;
        sums[scorer.name]!.n++;
        stored.push({ dialogue_id: dialogue.id, scorer: scorer.name, method: scorer.method, score: r.score, pass: r.pass, reason: r.reason });
      }
      lines.push(JSON.stringify({ dialogue_id: dialogue.id, scores }));
      scored++;
    }
    if (lines.length > 0 && !stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  for (let i = 0; i < stored.length; i += 5000) {
    await db.run(
      `INSERT INTO dialogue_scores SELECT r.dialogue_id, r.scorer, r.method, r.score, r.pass, r.reason, now()
       FROM (SELECT unnest(from_json($rows, '[{"dialogue_id":"VARCHAR","scorer":"VARCHAR","method":"VARCHAR","score":"DOUBLE","pass":"BOOLEAN","reason":"VARCHAR"}]')) AS r)`,
      { rows: JSON.stringify(stored.slice(i, i + 5000)) },
    );
  }
  return { scored, skipped, means: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round((v.total / v.n) * 10_000) / 10_000])) };
}
