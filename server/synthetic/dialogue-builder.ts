// Turns one planned contact into a canonical dialogue: channel, agent, emotion and quality, the
// turns with timestamps and personal data, the outcome, and the ground truth in `metadata`.
import type { DialogueInput, Turn } from '../domain/dialogue.ts';
import {
  chatGreeting, colourOpener, empathy, HELLO, HURRY, phoneGreeting, piiCaution, spoken, transfer, transferFact,
  vipGreeting, ago, type TransferTarget,
} from './phrases.ts';
import { bankCard, formatCard, formatMobile, residentId, type PiiKind } from './pii.ts';
import { createRng, weighted, type Rng } from './rng.ts';
import type {
  AgentQuality, BuildContext, Channel, Emotion, PersonInfo, PurchaseRecord, ScenarioDef, ScenarioScript,
} from './scenario.ts';
import { isoDateTime, localDay } from './time.ts';

/** Marks the content version, so a corpus can be regenerated exactly. */
export const GENERATOR = 'firstcall-synthetic/1';

export interface ContactSpec {
  id: string;
  customerId: string;
  zh: boolean;
  offsetMin: number;
  startMs: number;
  /** Local day of the episode's first contact: policies (return windows, warranty) run from it. */
  episodeDay: number;
  def: ScenarioDef;
  variant: string;
  purchase: PurchaseRecord | undefined;
  mobilePlan: PurchaseRecord | undefined;
  person: PersonInfo;
  /** Seeds the case facts, shared by an episode's first contact and its repeat. */
  caseSeed: number;
  /** Set on a repeat contact: the earlier dialogue's id and how many days ago it was. */
  repeatOf: { id: string; days: number } | undefined;
  /** A repeat contact about the same intent follows within the FCR window. */
  followedByRepeat: boolean;
}

const CHANNEL_MIX = {
  zh: weighted<Channel>([['web', 22], ['app', 33], ['wechat', 27], ['phone', 18]]),
  en: weighted<Channel>([['web', 40], ['app', 33], ['wechat', 5], ['phone', 22]]),
};
const CHAT_ONLY = {
  zh: weighted<Channel>([['web', 30], ['app', 40], ['wechat', 30]]),
  en: weighted<Channel>([['web', 50], ['app', 45], ['wechat', 5]]),
};
const QUALITY = weighted<AgentQuality>([['good', 74], ['curt', 11], ['wrong', 9], ['rude', 6]]);
/** First contacts that bring the customer back soon are more often badly handled. */
const QUALITY_BEFORE_REPEAT = weighted<AgentQuality>([['good', 45], ['curt', 20], ['wrong', 30], ['rude', 5]]);
const RESOLVE_P: Readonly<Record<AgentQuality, number>> = { good: 0.94, curt: 0.75, wrong: 0.6, rude: 0.2 };

function bump(rng: Rng, emotion: Emotion): Emotion {
  if (emotion === 'calm') return 'frustrated';
  if (emotion === 'frustrated' && rng.chance(0.4)) return 'angry';
  return emotion;
}

/** A mobile number as typed in chat or read out on the phone (ASR writes digit groups). */
function spokenPhone(rng: Rng, phone: string, onPhone: boolean): string {
  if (!/^\d{11}$/.test(phone)) return phone;
  if (onPhone) return formatMobile(phone, rng.chance(0.7) ? 1 : 0);
  const r = rng.next();
  return formatMobile(phone, r < 0.8 ? 0 : r < 0.9 ? 2 : 1);
}

function append(text: string, part: string, zh: boolean): string {
  if (text.length > 0) return text + part;
  return zh ? part.replace(/^[，。]/, '') : part.trimStart();
}

/** Appends personal data the way customers volunteer it, recording the kinds in `kinds`. */
function addPii(rng: Rng, spec: ContactSpec, script: ScenarioScript, base: string, onPhone: boolean, kinds: PiiKind[]): string {
  const { zh, person } = spec;
  let text = base;
  let pPhone = 0, pEmail = 0, pId = 0, pCard = 0;
  switch (script.pii) {
    case 'order': pPhone = 0.35; pEmail = 0.1; pId = zh ? 0.02 : 0.005; break;
    case 'refund': pPhone = 0.25; pEmail = 0.08; pCard = 0.2; break;
    case 'billing': pCard = 0.1; break;
    case 'identity': pPhone = 0.3; pId = zh ? 0.3 : 0.05; break;
    case 'none': pPhone = 0.03; break;
  }
  if (rng.chance(pPhone) && !kinds.includes('phone')) {
    const ph = spokenPhone(rng, person.phone, onPhone);
    text = append(text, zh ? rng.pick([`，手机号${ph}`, `，下单手机号是${ph}`, `，我电话${ph}`]) : rng.pick([` My number is ${ph}.`, ` Phone: ${ph}.`, ` You can reach me on ${ph}.`]), zh);
    kinds.push('phone');
  }
  if (rng.chance(pEmail)) {
    text = append(text, zh ? rng.pick([`，邮箱${person.email}`, `，注册邮箱是${person.email}`]) : rng.pick([` My email is ${person.email}.`, ` Email: ${person.email}.`]), zh);
    kinds.push('email');
  }
  if (rng.chance(pId) && !kinds.includes('resident_id')) {
    const id = residentId(rng, person.birthDay);
    text = append(text, zh ? rng.pick([`，身份证号${id}`, `。机主身份证号是${id}`]) : ` My ID number is ${id}.`, zh);
    kinds.push('resident_id');
  }
  if (rng.chance(pCard)) {
    const card = formatCard(bankCard(rng, zh), rng.chance(0.4));
    const part = script.pii === 'billing'
      ? zh ? `，扣款的银行卡是${card}` : ` The card that was charged is ${card}.`
      : zh ? rng.pick([`，退款退到这张卡就行：${card}`, `。钱退到我的银行卡${card}吧`]) : rng.pick([` Please refund it to my card ${card}.`, ` Refund to card ${card} please.`]);
    text = append(text, part, zh);
    kinds.push('bank_card');
  }
  return text;
}

/** Collects turns with increasing timestamps: reply gaps depend on who types and on the channel. */
class Transcript {
  readonly turns: Turn[] = [];
  private t: number;

  constructor(
    private readonly rng: Rng,
    start: number,
    private readonly offsetMin: number,
    private readonly onPhone: boolean,
    private readonly bot: boolean,
  ) {
    this.t = start;
  }

  customer(text: string): void {
    this.turns.push({ role: 'customer', text, at: isoDateTime(this.t, this.offsetMin) });
    this.t += (this.bot ? this.rng.int(2, 6) : this.onPhone ? this.rng.int(3, 20) : this.rng.int(15, 75)) * 1000;
  }

  agent(text: string): void {
    this.turns.push({ role: 'agent', text, at: isoDateTime(this.t, this.offsetMin), agent_kind: this.bot ? 'bot' : 'human' });
    this.t += (this.onPhone ? this.rng.int(4, 25) : this.rng.int(8, 90)) * 1000;
  }

  /** A lookup returns a second before the agent's next reply (reply gaps are at least 2 s). */
  tool(name: string, text: string): void {
    this.turns.push({ role: 'tool', name, text, at: isoDateTime(this.t - 1000, this.offsetMin) });
  }
}

/**
 * Builds the dialogue. Besides `intent`, `scenario` and `synthetic: true`, `metadata` carries the
 * ground truth for labeling and scoring: `emotion`, `agent_quality` (good | curt | wrong | rude),
 * `expected_escalation`, `reference_answer` (the ideal reply to the last customer turn),
 * `required_facts` (phrases a correct reply contains), and when they apply `order_id`,
 * `warranty_status`, `tracking_no`, `repeat_of` (the earlier dialogue this contact repeats) and
 * `pii` (kinds of personal data in the customer's turns).
 */
export function buildDialogue(rng: Rng, spec: ContactSpec): DialogueInput {
  const { zh, def, person, offsetMin } = spec;
  const lang = zh ? 'zh' : 'en';
  const channel = (def.botOnly ? CHAT_ONLY : CHANNEL_MIX)[lang].sample(rng);
  const onPhone = channel === 'phone';
  const vip = person.tier === 'vip';
  const bot = !onPhone && (def.botOnly === true || rng.chance(vip ? 0.2 : 0.55));
  const repeat = spec.repeatOf !== undefined;
  let emotion = def.emotions.sample(rng);
  if (repeat) emotion = bump(rng, emotion);
  const quality = (spec.followedByRepeat ? QUALITY_BEFORE_REPEAT : QUALITY).sample(rng);

  const ctx: BuildContext = {
    rng, caseRng: createRng(spec.caseSeed), zh, language: lang, offsetMin,
    day: localDay(spec.startMs, offsetMin),
    episodeDay: spec.episodeDay,
    variant: spec.variant,
    purchase: spec.purchase,
    mobilePlan: spec.mobilePlan,
    person,
  };
  const script = def.build(ctx);

  // Who should get a human, and who does.
  let expected = script.escalate === true || emotion === 'angry';
  if (!expected && vip && (emotion === 'frustrated' || repeat) && rng.chance(0.5)) expected = true;
  const target: TransferTarget = vip && !script.transferInAnswer ? 'vip' : bot ? 'human' : 'supervisor';
  let escalated: boolean;
  if (script.transferInAnswer) escalated = quality === 'good';
  else if (quality === 'good') escalated = expected;
  else if (quality === 'curt') escalated = expected ? rng.chance(0.5) : rng.chance(0.04);
  else if (quality === 'wrong') escalated = expected && rng.chance(0.35);
  else escalated = false;

  // Turns.
  const tx = new Transcript(rng, spec.startMs, offsetMin, onPhone, bot);
  let greeted = false;
  if (onPhone) {
    tx.agent(phoneGreeting(rng, zh));
    greeted = true;
  } else if (channel === 'wechat' && rng.chance(zh ? 0.25 : 0.1)) {
    tx.customer(rng.pick(HELLO[lang].customer));
    tx.agent(rng.pick(HELLO[lang].agent));
    greeted = true;
  }
  const pii: PiiKind[] = [];
  let opener = colourOpener(rng, zh, emotion, script.opener, onPhone, repeat ? ago(spec.repeatOf?.days ?? 1, zh) : undefined);
  if (rng.chance(0.04)) {
    const ph = spokenPhone(rng, person.phone, onPhone);
    opener += zh ? `我手机号${ph}。` : ` My number is ${ph}.`;
    pii.push('phone');
  }
  tx.customer(opener);

  const ask = script.ask;
  if (ask !== undefined && (script.askRequired === true || rng.chance(0.8))) {
    const greeting = !greeted && rng.chance(0.4) ? chatGreeting(rng, zh, bot) : '';
    tx.agent(onPhone && rng.chance(0.4) ? spoken(rng, zh, ask, false) : greeting + ask);
    if (script.ownPii) for (const k of script.ownPii) if (!pii.includes(k)) pii.push(k);
    let details = addPii(rng, spec, script, script.details ?? '', onPhone, pii);
    if (details.length === 0) details = zh ? '好的' : 'OK.';
    tx.customer(onPhone && rng.chance(0.5) ? spoken(rng, zh, details, true) : details);
    if (script.clarify !== undefined && rng.chance(0.35)) {
      tx.agent(script.clarify[0]);
      tx.customer(onPhone && rng.chance(0.5) ? spoken(rng, zh, script.clarify[1], true) : script.clarify[1]);
    }
  }
  // Impatient customers push while the agent checks (kept within 10 turns).
  if (emotion !== 'calm' && tx.turns.length <= 6 && rng.chance(0.2)) {
    tx.agent(rng.pick(HURRY[lang].agent));
    tx.customer(rng.pick(HURRY[lang].customer));
  }
  if (script.tool !== undefined && rng.chance(bot ? 0.75 : onPhone ? 0.3 : 0.5)) tx.tool(script.tool.name, JSON.stringify(script.tool.payload));

  // The final answer, in the agent's quality, and the reference answer it is judged against.
  const { answer } = script;
  const caution = pii.includes('bank_card') || pii.includes('resident_id') ? piiCaution(zh) : '';
  const vipLine = vip ? vipGreeting(zh, person.address) : '';
  const sep = zh ? '' : ' ';
  const needsTransfer = !script.transferInAnswer;
  const apologise = script.apologise === true;
  let text: string;
  switch (quality) {
    case 'good':
      text = caution + vipLine + empathy(rng, zh, emotion, apologise) + answer.good;
      break;
    case 'wrong':
      text = (rng.chance(0.5) ? vipLine + empathy(rng, zh, emotion, apologise) : '') + answer.wrong;
      break;
    case 'curt':
      text = answer.curt;
      break;
    default:
      text = answer.rude;
  }
  if (escalated && needsTransfer) text += sep + transfer(rng, zh, target);
  tx.agent(text);

  const reference =
    caution + vipLine + empathy(undefined, zh, emotion, apologise) + answer.reference +
    (expected && needsTransfer ? sep + transfer(undefined, zh, target) : '');
  const facts = [...answer.facts];
  if (apologise) facts.push(zh ? '抱歉' : 'sorry');
  if (expected && needsTransfer) facts.push(transferFact(zh, target));

  // Outcome as the logging system recorded it.
  let resolved: boolean;
  if (escalated || !script.resolvable) resolved = false;
  else if (spec.followedByRepeat) resolved = rng.chance(0.55); // unresolved, or closed too early
  else resolved = rng.chance(RESOLVE_P[quality]);
  let csat: number | undefined;
  if (!rng.chance(onPhone ? 0.5 : 0.3)) {
    let score: number;
    if (quality === 'good') score = resolved ? rng.pick([5, 5, 4]) : escalated ? rng.pick([3, 4, 4, 5]) : rng.pick([2, 3, 3]);
    else if (quality === 'curt') score = rng.pick([2, 3, 3, 4]);
    else if (quality === 'wrong') score = resolved ? rng.pick([3, 4, 5]) : rng.pick([1, 2, 2]);
    else score = rng.pick([1, 1, 2]);
    if (emotion === 'angry') score -= 1;
    if (repeat) score -= 1;
    csat = Math.max(1, Math.min(5, score));
  }

  const metadata: Record<string, unknown> = {
    intent: def.intent,
    scenario: script.scenario,
    synthetic: true,
    generator: GENERATOR,
    emotion,
    agent_quality: quality,
    expected_escalation: expected,
    reference_answer: reference,
    required_facts: facts,
  };
  if (script.meta !== undefined) for (const key in script.meta) if (script.meta[key] !== undefined) metadata[key] = script.meta[key];
  if (spec.repeatOf !== undefined) metadata.repeat_of = spec.repeatOf.id;
  if (pii.length > 0) metadata.pii = pii;

  return {
    id: spec.id,
    channel,
    customer_id: spec.customerId,
    language: lang,
    started_at: (tx.turns[0] as Turn).at,
    turns: tx.turns,
    outcome: csat === undefined ? { escalated, resolved } : { escalated, resolved, csat },
    metadata,
  };
}
