// Production monitoring: every logged dialogue judged as a whole, as logged — also one that ends with
// the customer's turn ("thanks, bye") or a trailing tool call. fcr, csat, tone (and accuracy once
// fitted on the store) come from the learned whole-dialogue scorers; escalation, and accuracy or
// safety without a learned model, from the rule-based scorers over the agent's side. One JSON line
// per dialogue ({dialogue_id, scores, reasons}); the scores are stored for trends.
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import type { Customer, Dialogue } from '../domain/dialogue.ts';
import { parseReply, type Provider, type Scorer } from '../domain/eval.ts';
import type { GoldLabel } from '../domain/label.ts';
import { explainScore } from '../learn/dialogue-scorer.ts';
import type { ScorerTarget } from '../learn/learned-model.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { actionsLogged } from '../tools/actions.ts';
import { createScorers } from '../scorers/registry.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { DialogueScoreRepository, type DialogueScoreRow } from '../storage/dialogue-score-repository.ts';
import { goldLabelsById } from './gold-labels.ts';
import type { ResolvedScorerModels } from './scorer-models.ts';
import { caseFromDialogue } from './suites.ts';

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
  /** Per scorer: dialogues it could not judge (no model for the language, no customer turn, no agent turn). */
  unscored: Record<string, number>;
  means: Record<string, number>;
  /** Which learned model scored each learned scorer, per language. */
  models: ResolvedScorerModels['sources'];
}

/** Scorers of a whole logged dialogue. */
export const DIALOGUE_SCORERS = ['fcr', 'csat', 'tone', 'escalation', 'accuracy', 'safety'] as const;
export type DialogueScorerName = (typeof DIALOGUE_SCORERS)[number];
export const DEFAULT_DIALOGUE_SCORERS: readonly DialogueScorerName[] = ['fcr', 'csat', 'tone', 'escalation'];
/** Kept for callers of the earlier reply-level monitor. */
export const LOG_SCORERS = DIALOGUE_SCORERS;

/** A dialogue handed to a human did not get resolved by the bot on first contact: its fcr is at most this. */
export const FCR_CAP_AFTER_HANDOFF = 0.2;

const LEARNED_OUTCOME: Readonly<Record<ScorerTarget, string>> = { fcr: 'resolved', csat: 'satisfied', tone: 'well received', accuracy: 'correct' };

/** Why the dialogue counts as handed to a human, or null: logged outcome, a hand-off marker or words, a transfer tool call. */
export function dialogueHandoff(dialogue: Pick<Dialogue, 'turns' | 'outcome'>): string | null {
  if (dialogue.outcome?.escalated === true) return 'the logged outcome says it was escalated to a human';
  for (const [i, turn] of dialogue.turns.entries()) {
    if (turn.role === 'agent') {
      const marker = parseReply(turn.text).handoff;
      if (marker) return `turn ${i + 1} hands off to ${marker.queue} (marker)`;
      const words = textualHandoff(turn.text);
      if (words !== null) return `turn ${i + 1} hands off (“${words}”)`;
    } else if (turn.role === 'tool' && /transfer|hand_?off|escalat|转人工/i.test(turn.name ?? '')) {
      return `turn ${i + 1} calls ${turn.name}`;
    }
  }
  return null;
}

export interface DialogueJudgement {
  dialogue_id: string;
  scores: Partial<Record<DialogueScorerName, number>>;
  reasons: Partial<Record<DialogueScorerName, string>>;
  rows: DialogueScoreRow[];
}

export interface JudgeContext {
  models: ResolvedScorerModels;
  /** Rule-based (or judge) scorers for escalation, accuracy and safety. */
  ruleScorers: ReadonlyMap<string, Scorer>;
  gold?: GoldLabel;
  customer?: Customer;
}

/** Judges one logged dialogue as a whole with the chosen scorers. */
export async function judgeDialogue(dialogue: Dialogue, scorers: readonly DialogueScorerName[], ctx: JudgeContext): Promise<DialogueJudgement> {
  const out: DialogueJudgement = { dialogue_id: dialogue.id, scores: {}, reasons: {}, rows: [] };
  const put = (name: DialogueScorerName, score: number, pass: boolean, method: string, reason: string) => {
    const rounded = Math.round(score * 1000) / 1000;
    out.scores[name] = rounded;
    out.reasons[name] = reason;
    out.rows.push({ dialogue_id: dialogue.id, scorer: name, method, score: rounded, pass, reason });
  };
  const unscored = (name: DialogueScorerName, reason: string) => (out.reasons[name] = `not scored: ${reason}`);
  const agentTurns = dialogue.turns.filter((t) => t.role === 'agent');
  const handoff = dialogueHandoff(dialogue);
  const turns = dialogue.turns.map((t) => ({ role: t.role, text: t.role === 'agent' ? parseReply(t.text).answer || t.text : t.text }));
  const c = caseFromDialogue(dialogue, ctx.gold, ctx.customer);

  for (const name of scorers) {
    const learned = learnedTarget(name, ctx.models, dialogue.language);
    if (learned !== null) {
      const model = ctx.models.models[dialogue.language]![learned]!;
      const method = `learned:${ctx.models.sources[dialogue.language]?.[learned] ?? 'builtin'}`;
      const e = explainScore(model, { language: dialogue.language, turns }, LEARNED_OUTCOME[learned]);
      if (name === 'fcr' && handoff !== null) {
        const capped = Math.min(e.probability, FCR_CAP_AFTER_HANDOFF);
        put(name, capped, false, method, `handed to a human (${handoff}): the bot did not resolve it on first contact, so fcr is capped at ${FCR_CAP_AFTER_HANDOFF} (the model alone: ${e.reason})`);
      } else {
        put(name, e.probability, e.probability >= 0.5, method, e.reason);
      }
      continue;
    }
    if (name === 'fcr' || name === 'csat' || name === 'tone') {
      unscored(name, `no ${name} model for ${dialogue.language}`);
      continue;
    }
    // Rule-based over the agent's side of the whole dialogue.
    const scorer = ctx.ruleScorers.get(name);
    if (!scorer) continue;
    if (c === undefined) {
      unscored(name, 'the dialogue has no customer turn');
      continue;
    }
    if (agentTurns.length === 0 && name !== 'escalation') {
      unscored(name, 'the dialogue has no agent turn');
      continue;
    }
    const parsed = agentTurns.map((t) => parseReply(t.text));
    // accuracy: the replies to the customer's last message, else the agent's last reply; the others read every agent turn.
    const reply = name === 'accuracy' ? (c.human_reply ? parseReply(c.human_reply).answer : parsed.at(-1)!.answer) : parsed.map((p) => p.answer).join('\n');
    const marker = parsed.find((p) => p.handoff)?.handoff ?? (handoff !== null ? { queue: 'human' } : null);
    // A bot's replies to the last message are held to what the log shows it did (a human's are not).
    const actions = name === 'accuracy' && c.human_reply ? actionsLogged(dialogue.turns, marker) : undefined;
    const r = await scorer.score({ case: c, reply, handoff: marker, latency_ms: 0, model: 'logged', ...(actions ? { actions } : {}) });
    put(name, r.score, r.pass, scorer.method, r.reason);
  }
  return out;
}

function learnedTarget(name: DialogueScorerName, models: ResolvedScorerModels, language: Dialogue['language']): ScorerTarget | null {
  if (name !== 'fcr' && name !== 'csat' && name !== 'tone' && name !== 'accuracy') return null;
  const model = models.models[language]?.[name];
  if (!model) return null;
  // Accuracy is learned only once fitted on this store (there is no built-in accuracy model).
  return name === 'accuracy' && models.sources[language]?.accuracy === 'builtin' ? null : name;
}

export interface ScoreLogsOptions {
  scorers: readonly DialogueScorerName[];
  out: string;
  filters?: ScoreLogsFilters;
  models: ResolvedScorerModels;
  judge?: Provider;
}

export async function scoreLogs(db: Database, options: ScoreLogsOptions): Promise<ScoreLogsResult> {
  const filters = options.filters ?? {};
  const gold = await goldLabelsById(db);
  const customers = new Map<string, Customer>();
  for await (const page of new CustomerRepository(db).all()) for (const c of page) customers.set(c.customer_id, c);
  const ruleNames = options.scorers.filter((s) => s === 'escalation' || s === 'accuracy' || s === 'safety');
  const ruleScorers = new Map(createScorers(ruleNames, { judge: options.judge }).map((s) => [s.name, s]));

  await mkdir(dirname(options.out), { recursive: true });
  const stream = createWriteStream(options.out);
  const sums: Record<string, { total: number; n: number }> = {};
  const unscored: Record<string, number> = {};
  const repo = new DialogueScoreRepository(db);
  // Stored after the read finishes: the dialogue stream holds the connection.
  const pending: DialogueScoreRow[] = [];
  let scored = 0;
  const matches = (d: Dialogue) =>
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
      const j = await judgeDialogue(dialogue, options.scorers, { models: options.models, ruleScorers, gold: gold.get(dialogue.id), customer });
      for (const name of options.scorers) {
        const s = j.scores[name];
        if (s === undefined) unscored[name] = (unscored[name] ?? 0) + 1;
        else {
          const sum = (sums[name] ??= { total: 0, n: 0 });
          sum.total += s;
          sum.n++;
        }
      }
      pending.push(...j.rows);
      lines.push(JSON.stringify({ dialogue_id: j.dialogue_id, scores: j.scores, reasons: j.reasons }));
      scored++;
    }
    if (lines.length > 0 && !stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
  }
  stream.end();
  await once(stream, 'finish');
  await repo.insertMany(pending);
  return {
    scored,
    unscored,
    means: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, Math.round((v.total / v.n) * 10_000) / 10_000])),
    models: options.models.sources,
  };
}
