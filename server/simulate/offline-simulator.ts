// The offline simulated customer: opens with the scenario's script, answers the bot's questions from
// what the customer knows (order number, which item, when, the problem, the new address, data use,
// yes or no to an offer), says the rest of the script when asked nothing it can answer, and gets
// more upset (emotion up, patience down) when asked again for something already given or when its
// request is ignored. It stops when the bot confirms the goal, or, patience gone, asks for a person
// and leaves if none comes. Deterministic under a seed (phrasing varies by seed and trial).
import type { Language, Turn } from '../domain/dialogue.ts';
import { createSeededRandom, type SeededRandom } from '../metrics/seeded-random.ts';
import type { Emotion, Scenario } from '../scenarios/scenario.ts';
import { asksSomething, confirmsGoal, slotsAsked, slotsGiven, type Slot } from './asks.ts';
import type { CustomerMove, CustomerSession, CustomerSimulator } from './simulator.ts';

const UP: Record<Emotion, Emotion> = { calm: 'frustrated', frustrated: 'angry', angry: 'angry' };

const SAY = {
  zh: {
    thanks: ['好的，谢谢！', '好的，明白了，谢谢。', '行，谢谢你。'],
    again: { calm: ['我刚才已经说过了，', '前面说过了哈，'], frustrated: ['不是说过了吗？', '我都说了，'], angry: ['我都说了好几遍了！', '你们到底有没有在听？'] },
    ignored: ['你还没回答我的问题。', '这没解决我的问题。'],
    human: ['算了，我要找人工客服。', '别绕了，给我转人工。'],
    leave: ['太失望了，我不聊了。', '算了，我自己想办法吧。'],
    dontKnow: '这个我不清楚。',
    yes: ['好的，麻烦帮我预约。', '可以，帮我安排吧。'],
    no: ['不用了，先不修了。', '算了，不需要了。'],
    join: '，',
  },
  en: {
    thanks: ['Great, thanks!', 'OK, that works. Thank you.', 'Perfect, thanks for your help.'],
    again: { calm: ['As I said, ', 'I mentioned that already: '], frustrated: ["I already told you. ", "I've said this already. "], angry: ["I've told you this twice now! ", 'Are you even listening? '] },
    ignored: ["You haven't answered my question.", "That doesn't help with my problem."],
    human: ['Forget it, I want to talk to a human.', 'Just put me through to a real person, please.'],
    leave: ["I'm done, this is useless.", "Never mind, I'll sort it out myself."],
    dontKnow: "I'm not sure, sorry.",
    yes: ['Yes, please book it.', 'Yes please, go ahead.'],
    no: ['No thanks, not now.', "No, I'd rather not."],
    join: ' ',
  },
} as const;

/** Answers are given in this order (an English address must come last: the agent reads it to the end of the line). */
const ANSWER_ORDER: readonly Slot[] = ['confirm', 'order_id', 'which', 'bought', 'problem', 'data', 'minutes', 'phone', 'address'];

class OfflineCustomer implements CustomerSession {
  private emotion: Emotion;
  private patience: number;
  private readonly given = new Set<Slot>();
  private scriptIndex = 0;
  private askedForHuman = false;
  private readonly rng: SeededRandom;
  private readonly lang: Language;

  constructor(
    private readonly scenario: Scenario,
    seed: string,
  ) {
    this.emotion = scenario.persona.emotion;
    this.patience = scenario.persona.patience;
    this.rng = createSeededRandom(seed);
    this.lang = scenario.language;
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.rng.nextIndex(items.length)]!;
  }

  private move(text: string | null, stop: boolean, events: string[], reason?: CustomerMove['reason']): CustomerMove {
    if (text !== null) for (const slot of slotsGiven(text, this.scenario.knows)) this.given.add(slot);
    if (text !== null && this.scenario.knows.product !== undefined && text.includes(this.scenario.knows.product)) this.given.add('which');
    return { text, stop, ...(reason ? { reason } : {}), emotion: this.emotion, patience: this.patience, events };
  }

  private upset(): void {
    this.emotion = UP[this.emotion];
    this.patience = Math.max(0, this.patience - 1);
  }

  async next(turns: readonly Turn[]): Promise<CustomerMove> {
    const say = SAY[this.lang];
    const lastCustomer = turns.findLastIndex((t) => t.role === 'customer');
    if (lastCustomer === -1) {
      this.scriptIndex = 1;
      return this.move(this.scenario.script[0]!, false, ['opened']);
    }
    const agentText = turns
      .slice(lastCustomer + 1)
      .filter((t) => t.role === 'agent')
      .map((t) => t.text)
      .join('\n');
    if (agentText.trim() === '') return this.move(null, true, ['no_reply'], 'customer_done');
    if (this.askedForHuman) return this.move(this.pick(say.leave), true, ['left'], 'gave_up');
    if (confirmsGoal(agentText, this.lang, this.scenario.goal.outcome)) return this.move(this.pick(say.thanks), true, ['goal_confirmed'], 'goal_met');

    const events: string[] = [];
    const asked = slotsAsked(agentText, this.lang);
    const repeated = asked.filter((s) => this.given.has(s));
    if (repeated.length > 0) {
      events.push(`repeated_ask:${repeated.join(',')}`);
      this.upset();
    }
    const question = asksSomething(agentText, this.lang);
    if (asked.length === 0 && !question) {
      events.push('ignored');
      this.upset();
    }
    if (this.patience <= 0) {
      this.askedForHuman = true;
      events.push('asked_for_human');
      return this.move(this.pick(say.human), false, events);
    }

    let text: string;
    if (asked.length > 0) {
      const answers = ANSWER_ORDER.filter((s) => asked.includes(s)).map((s) => this.answer(s));
      text = answers.join(say.join);
      if (asked.includes('confirm')) this.given.add('confirm');
    } else if (this.scriptIndex < this.scenario.script.length) {
      text = this.scenario.script[this.scriptIndex++]!;
      events.push('script');
    } else {
      text = `${this.pick(say.ignored)}${this.lang === 'zh' ? '' : ' '}${this.scenario.script[0]!}`;
    }
    if (repeated.length > 0) text = this.pick(say.again[this.emotion]) + text;
    // An address is read to the end of the message: no exclamation mark after it.
    if (this.emotion === 'angry' && !asked.includes('address') && !/[!！]$/.test(text)) text = text.replace(/[。.]?$/, this.lang === 'zh' ? '！' : '!');
    return this.move(text, false, events);
  }

  /** The customer's answer for one slot, from what they know. */
  private answer(slot: Slot): string {
    const k = this.scenario.knows;
    const zh = this.lang === 'zh';
    const dontKnow = SAY[this.lang].dontKnow;
    switch (slot) {
      case 'confirm':
        return this.pick(k.accepts_offer ? SAY[this.lang].yes : SAY[this.lang].no);
      case 'order_id':
        if (k.order_id !== undefined) return zh ? this.pick([`订单号是${k.order_id}`, `订单号${k.order_id}`]) : this.pick([`The order number is ${k.order_id}.`, `It's order ${k.order_id}.`]);
        return zh ? `订单号我找不到了${k.product ? `，是${k.product}` : ''}${k.bought ? `，${k.bought}买的` : ''}` : `I don't have the order number${k.product ? `; it's the ${k.product}` : ''}${k.bought ? ` I bought ${k.bought}` : ''}.`;
      case 'which':
        if (k.order_id !== undefined) return zh ? `是${k.product ?? '这个'}，订单号${k.order_id}` : `It's the ${k.product ?? 'one'}, order ${k.order_id}.`;
        if (k.product !== undefined) return zh ? `是${k.product}${k.bought ? `，${k.bought}买的` : ''}` : `It's the ${k.product}${k.bought ? `, bought ${k.bought}` : ''}.`;
        return dontKnow;
      case 'bought':
        return k.bought === undefined ? dontKnow : zh ? `${k.bought}买的` : `I bought it ${k.bought}.`;
      case 'problem':
        return k.problem ?? this.scenario.script[0]!;
      case 'data':
        return k.data_gb === undefined ? dontKnow : zh ? `每个月大概用${k.data_gb}G流量` : `About ${k.data_gb} GB of data a month.`;
      case 'minutes':
        return k.minutes === undefined ? dontKnow : zh ? `每月通话大概${k.minutes}分钟` : `Around ${k.minutes} minutes of calls a month.`;
      case 'phone':
        return k.phone === undefined ? (zh ? '手机号不方便提供' : "I'd rather not give my number.") : zh ? `手机号${k.phone}` : `My number is ${k.phone}.`;
      case 'address':
        return k.new_address === undefined ? dontKnow : zh ? `新地址：${k.new_address}` : `The new address is ${k.new_address}`;
    }
  }
}

export function createOfflineSimulator(options: { seed?: number } = {}): CustomerSimulator {
  return {
    id: 'offline',
    start(scenario, { seed, trial }) {
      return new OfflineCustomer(scenario, `${options.seed ?? seed}:${scenario.id}:${trial}`);
    },
  };
}
