// Turns one gold-labeled dialogue into a supervised example or a preference pair, rendered with the
// prompt template as production renders it, or says why it cannot be one. Pure.
import { renderMessages } from '../candidates/render-prompt.ts';
import type { Customer, Dialogue, Turn } from '../domain/dialogue.ts';
import type { ChatMessage, PromptTemplate } from '../domain/eval.ts';
import type { GoldLabel, TurnFlag } from '../domain/label.ts';
import { caseFromTrustedDialogue } from '../services/suites.ts';
import type { Exclusion } from '../domain/finetune.ts';
import type { ExampleMeta, PreferenceExample, SftExample, WeightedMessage } from './examples.ts';

/** Turn flags that mean "never learn this agent turn". */
export const BAD_TURN_FLAGS: ReadonlySet<string> = new Set(['incorrect', 'rude', 'policy_violation', 'pii_leak']);

/** Mirrors render-prompt's history window: only the last 40 turns reach the model. */
const MAX_HISTORY_TURNS = 40;

export interface LabeledDialogue {
  dialogue: Dialogue;
  gold: GoldLabel;
  /** Turn flags of the gold label and of every reviewer's submitted label. */
  flags: readonly TurnFlag[];
  customer: Customer | undefined;
}

interface Rendered {
  meta: ExampleMeta;
  system: string;
  few_shot: ChatMessage[];
  history: WeightedMessage[];
  /** The logged agent reply to the customer's last message (null when there is none). */
  logged: string | null;
  /** Whether a bad-turn flag sits on the logged final reply. */
  finalFlagged: string | null;
  reference: string;
}

function render(source: LabeledDialogue, template: PromptTemplate): Rendered | Exclusion {
  const { dialogue, gold } = source;
  const id = dialogue.id;
  const c = caseFromTrustedDialogue(dialogue, gold, source.customer);
  if (!c) return { dialogue_id: id, reason: 'no_customer_turn' };
  const bad = new Map<number, string>();
  for (const f of source.flags) if (BAD_TURN_FLAGS.has(f.flag) && !bad.has(f.seq)) bad.set(f.seq, f.flag);

  const lastCustomer = c.history.length - 1;
  let finalFlagged: string | null = null;
  for (let seq = lastCustomer + 1; seq < dialogue.turns.length && dialogue.turns[seq]!.role !== 'customer'; seq++) {
    if (dialogue.turns[seq]!.role === 'agent' && bad.has(seq)) finalFlagged ??= bad.get(seq)!;
  }

  const messages = renderMessages(template, c);
  const few = template.few_shot.filter((e) => e.language === c.language).length * 2;
  const conversation = messages.slice(1 + few);
  const weights = historyWeights(c.history, bad);
  const history: WeightedMessage[] = conversation.map((m, i) => ({
    role: m.role === 'assistant' ? 'assistant' : 'user',
    content: m.content,
    // Should the mirror ever disagree with the renderer, learn no history turn rather than a wrong one.
    weight: m.role !== 'assistant' ? 1 : weights.length === conversation.length ? weights[i]! : 0,
  }));
  return {
    meta: { dialogue_id: id, intent: c.intent ?? 'unknown', language: c.language, channel: c.channel },
    system: messages[0]!.content,
    few_shot: messages.slice(1, 1 + few),
    history,
    logged: c.human_reply,
    finalFlagged,
    reference: gold.reference_answer.trim(),
  };
}

/**
 * The weight of each conversation message as render-prompt builds it (the last 40 turns; customer
 * turns user, agent turns assistant, consecutive ones merged; tool and system turns folded into the
 * system prompt; an opening agent turn moved into it): a merged assistant message is 0 when any of
 * its turns carries a bad flag.
 */
function historyWeights(history: readonly Turn[], bad: ReadonlyMap<number, string>): (0 | 1)[] {
  const offset = Math.max(0, history.length - MAX_HISTORY_TURNS);
  const roles: ('user' | 'assistant')[] = [];
  const weights: (0 | 1)[] = [];
  history.slice(offset).forEach((turn, i) => {
    if (turn.role !== 'customer' && turn.role !== 'agent') return;
    const role = turn.role === 'customer' ? 'user' : 'assistant';
    const weight = role === 'assistant' && bad.has(offset + i) ? 0 : 1;
    if (roles.at(-1) === role) weights[weights.length - 1] = Math.min(weights.at(-1)!, weight) as 0 | 1;
    else (roles.push(role), weights.push(weight));
  });
  if (roles[0] === 'assistant') (roles.shift(), weights.shift());
  return weights;
}

function isExclusion(value: Rendered | Exclusion): value is Exclusion {
  return 'reason' in value;
}

const approved = (g: GoldLabel) => g.accuracy === 'correct' && g.tone !== null && g.tone >= 4;
const rejectable = (g: GoldLabel) => g.accuracy === 'incorrect' || (g.tone !== null && g.tone <= 2);

/**
 * A supervised example: the logged reply when it is approved (correct, tone ≥ 4, not flagged), else
 * the reviewer's reference answer; excluded when neither exists. Earlier flagged agent turns get
 * weight 0; `maskable` false (formats without per-message weights) excludes such dialogues instead.
 */
export function sftExample(source: LabeledDialogue, template: PromptTemplate, options: { maskable: boolean }): SftExample | Exclusion {
  const r = render(source, template);
  if (isExclusion(r)) return r;
  const g = source.gold;
  const id = r.meta.dialogue_id;
  let reply: string;
  let reply_source: SftExample['reply_source'];
  if (r.logged !== null && approved(g) && r.finalFlagged === null) (reply = r.logged), (reply_source = 'logged');
  else if (r.reference !== '') (reply = r.reference), (reply_source = 'reference');
  else if (r.logged === null) return { dialogue_id: id, reason: 'no_agent_reply' };
  else if (g.accuracy === 'incorrect') return { dialogue_id: id, reason: 'incorrect_without_reference' };
  else return { dialogue_id: id, reason: 'not_approved_without_reference', detail: `accuracy ${g.accuracy ?? '-'}, tone ${g.tone ?? '-'}${r.finalFlagged ? `, flagged ${r.finalFlagged}` : ''}` };
  if (!options.maskable && r.history.some((m) => m.weight === 0)) {
    return { dialogue_id: id, reason: 'unmaskable_bad_turn', detail: 'an earlier agent turn is flagged and this format has no per-message weights' };
  }
  return { kind: 'sft', meta: r.meta, system: r.system, few_shot: r.few_shot, history: r.history, reply, reply_source };
}

/** A preference pair: the reference answer over the logged reply, when the logged reply is labeled incorrect or rude (tone ≤ 2) or flagged. */
export function preferenceExample(source: LabeledDialogue, template: PromptTemplate): PreferenceExample | Exclusion {
  const r = render(source, template);
  if (isExclusion(r)) return r;
  const id = r.meta.dialogue_id;
  if (r.logged === null) return { dialogue_id: id, reason: 'no_agent_reply' };
  const flaggedRejectable = r.finalFlagged === 'incorrect' || r.finalFlagged === 'rude';
  if (!rejectable(source.gold) && !flaggedRejectable) return { dialogue_id: id, reason: 'no_rejected_reply', detail: `accuracy ${source.gold.accuracy ?? '-'}, tone ${source.gold.tone ?? '-'}` };
  if (r.reference === '' || r.reference === r.logged.trim()) return { dialogue_id: id, reason: 'no_reference_answer' };
  return { kind: 'preference', meta: r.meta, system: r.system, few_shot: r.few_shot, history: r.history, chosen: r.reference, rejected: r.logged };
}
