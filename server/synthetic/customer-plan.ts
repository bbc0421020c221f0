// Plans one customer: profile, contact episodes over the last six months (some with repeat
// contacts about the same intent), and the purchases those episodes refer to.
import type { Customer } from '../domain/dialogue.ts';
import {
  EN_FIRST_FEMALE, EN_FIRST_MALE, EN_LAST, PLANS, PRODUCTS, ZH_GIVEN_FEMALE, ZH_GIVEN_MALE, ZH_SURNAMES,
  planProductName, type MobilePlan,
} from './catalog.ts';
import { email, internationalMobile, mainlandMobile } from './pii.ts';
import { weighted, type Rng } from './rng.ts';
import type { EpisodePlan, Intent, PersonInfo, PurchaseRecord, ScenarioDef } from './scenario.ts';
import { INTENT_MIX, SCENARIOS } from './scenarios/index.ts';
import { compactDate, DAY, HOUR, isoDate, localDay, MINUTE } from './time.ts';

export interface PlannedContact {
  startMs: number;
  episodeDay: number;
  def: ScenarioDef;
  variant: string;
  purchase: PurchaseRecord | undefined;
  caseSeed: number;
  /** The earlier contact this one repeats, and the gap in whole local days. */
  repeatOf: PlannedContact | undefined;
  repeatDays: number;
  /** An in-window repeat follows this contact. */
  followedByRepeat: boolean;
  /** Position among the customer's contacts once sorted by time. */
  seq: number;
}

export interface CustomerPlan {
  customer: Customer;
  person: PersonInfo;
  zh: boolean;
  offsetMin: number;
  mobilePlan: PurchaseRecord | undefined;
  contacts: PlannedContact[];
}

/** Share of customers writing in Chinese (the rest write in English). */
export const ZH_SHARE = 0.55;
/** Per episode: a repeat about the same intent within the FCR window (1-6 days), or after it (9-21 days). */
export const REPEAT_IN_WINDOW = 0.065;
export const REPEAT_LATE = 0.03;
/** Days before `now` that contacts are spread over. */
export const HISTORY_DAYS = 182;
/** Two unrelated contacts about the same intent are at least this many days apart (beyond the 7-day window). */
const SAME_INTENT_GAP_DAYS = 9;

const EPISODES = weighted<number>([[1, 30], [2, 25], [3, 17], [4, 11], [5, 7], [6, 5], [7, 3], [8, 2]]);
const TIERS = weighted<PersonInfo['tier']>([['standard', 55], ['silver', 22], ['gold', 15], ['vip', 8]]);
const EN_OFFSETS = weighted<number>([[480, 30], [0, 10], [60, 10], [-300, 10], [-240, 10], [-480, 8], [-420, 7], [330, 8], [600, 7]]);
const PLAN_CHOICE = weighted<MobilePlan>(PLANS.map((p, i) => [p, [15, 35, 25, 15, 10][i] as number] as const));
/** Local hour of first contact: quiet at night, busy mid-morning and evening. */
const HOURS = weighted<number>(
  [1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 2, 4, 7, 8, 8, 6, 6, 7, 7, 7, 6, 5, 6, 7, 7, 5, 3].map((w, h) => [h, w] as const),
);

function customerId(index: number): string {
  return 'c-' + String(index + 1).padStart(6, '0');
}

export function orderId(rng: Rng, day: number): string {
  return 'DD' + compactDate(day) + rng.digits(6);
}

export function startOf(rng: Rng, day: number, offsetMin: number): number {
  return day * DAY - offsetMin * MINUTE + HOURS.sample(rng) * HOUR + rng.int(0, 3599) * 1000;
}

function makePerson(rng: Rng, zh: boolean, offsetMin: number, nowDay: number): PersonInfo {
  const female = rng.chance(0.5);
  const tier = TIERS.sample(rng);
  const birthDay = nowDay - rng.int(18 * 365, 70 * 365);
  if (zh) {
    const [surname, sp] = rng.pick(ZH_SURNAMES);
    const [given, gp] = rng.pick(female ? ZH_GIVEN_FEMALE : ZH_GIVEN_MALE);
    return {
      fullName: surname + given, surname, address: surname + (female ? '女士' : '先生'), tier, birthDay,
      phone: mainlandMobile(rng), email: email(rng, `${sp} ${gp}`),
    };
  }
  const first = rng.pick(female ? EN_FIRST_FEMALE : EN_FIRST_MALE);
  const last = rng.pick(EN_LAST);
  const phone = offsetMin === 480 && rng.chance(0.6) ? mainlandMobile(rng) : internationalMobile(rng, offsetMin);
  return {
    fullName: `${first} ${last}`, surname: last, address: rng.chance(0.5) ? first : (female ? 'Ms. ' : 'Mr. ') + last, tier, birthDay,
    phone, email: email(rng, `${first} ${last}`.toLowerCase().replace("'", '')),
  };
}

interface Episode {
  day: number;
  def: ScenarioDef;
  plan: EpisodePlan;
  repeatDay: number | undefined;
  inWindow: boolean;
}

export function planCustomer(rng: Rng, index: number, nowMs: number): CustomerPlan {
  const zh = rng.chance(ZH_SHARE);
  const offsetMin = zh ? 480 : EN_OFFSETS.sample(rng);
  const nowDay = localDay(nowMs, offsetMin);
  const lastDay = nowDay - 1; // contacts end the day before `now`, so every timestamp is in the past
  const person = makePerson(rng, zh, offsetMin, nowDay);

  // Episode days, then intents that keep unrelated same-intent contacts outside the FCR window.
  const count = EPISODES.sample(rng);
  const days: number[] = [];
  for (let i = 0; i < count; i++) days.push(rng.int(nowDay - HISTORY_DAYS, lastDay));
  days.sort((a, b) => a - b);
  const lastEnd = new Map<Intent, number>();
  const episodes: Episode[] = [];
  for (const day of days) {
    let intent: Intent | undefined;
    for (let attempt = 0; attempt < 4 && intent === undefined; attempt++) {
      const candidate = INTENT_MIX.sample(rng);
      const end = lastEnd.get(candidate);
      if (end === undefined || day - end >= SAME_INTENT_GAP_DAYS) intent = candidate;
    }
    if (intent === undefined) continue;
    const def = SCENARIOS[intent];
    const r = rng.next();
    let repeatDay: number | undefined;
    let inWindow = false;
    if (r < REPEAT_IN_WINDOW) {
      repeatDay = day + rng.int(1, 6);
      inWindow = true;
    } else if (r < REPEAT_IN_WINDOW + REPEAT_LATE) {
      repeatDay = day + rng.int(SAME_INTENT_GAP_DAYS, 21);
    }
    if (repeatDay !== undefined && repeatDay > lastDay) {
      repeatDay = undefined;
      inWindow = false;
    }
    lastEnd.set(intent, repeatDay ?? day);
    episodes.push({ day, def, plan: def.plan(rng, zh), repeatDay, inWindow });
  }

  // Purchases: what each episode is about, the mobile plan if any, and a few unrelated ones.
  const purchases: PurchaseRecord[] = [];
  let mobilePlan: PurchaseRecord | undefined;
  const episodePurchases: (PurchaseRecord | undefined)[] = [];
  for (const e of episodes) {
    const need = e.plan.need;
    if (need === undefined) {
      episodePurchases.push(undefined);
    } else if (need.kind === 'plan') {
      if (mobilePlan === undefined) {
        const plan = PLAN_CHOICE.sample(rng);
        const day = e.day - rng.int(30, 700);
        mobilePlan = { plan, name: planProductName(plan, zh), category: 'mobile_plan', day, warrantyMonths: 0, orderId: orderId(rng, day), price: zh ? plan.cny : plan.usd };
        purchases.push(mobilePlan);
      }
      episodePurchases.push(mobilePlan);
    } else {
      const day = e.day - need.daysBefore;
      const p = need.product;
      const record: PurchaseRecord = { product: p, name: zh ? p.zh : p.en, category: p.category, day, warrantyMonths: need.warrantyMonths, orderId: orderId(rng, day), price: zh ? p.cny : p.usd };
      purchases.push(record);
      episodePurchases.push(record);
    }
  }
  const extra = rng.int(0, 2);
  for (let i = 0; i < extra; i++) {
    const p = rng.pick(PRODUCTS);
    const day = nowDay - rng.int(1, 720);
    purchases.push({ product: p, name: zh ? p.zh : p.en, category: p.category, day, warrantyMonths: rng.pick(p.warranty), orderId: orderId(rng, day), price: zh ? p.cny : p.usd });
  }
  purchases.sort((a, b) => a.day - b.day);

  // Contacts, in time order.
  const contacts: PlannedContact[] = [];
  episodes.forEach((e, i) => {
    const first: PlannedContact = {
      startMs: startOf(rng, e.day, offsetMin), episodeDay: e.day, def: e.def, variant: e.plan.variant,
      purchase: episodePurchases[i], caseSeed: rng.int(0, 0xffffffff), repeatOf: undefined, repeatDays: 0, followedByRepeat: e.inWindow, seq: 0,
    };
    contacts.push(first);
    if (e.repeatDay !== undefined) {
      let startMs = startOf(rng, e.repeatDay, offsetMin);
      if (startMs <= first.startMs + HOUR) startMs = first.startMs + 12 * HOUR; // never before the first
      contacts.push({ ...first, startMs, repeatOf: first, repeatDays: e.repeatDay - e.day, followedByRepeat: false });
    }
  });
  contacts.sort((a, b) => a.startMs - b.startMs);
  contacts.forEach((c, i) => (c.seq = i));

  const firstDay = Math.min(purchases[0]?.day ?? lastDay, episodes[0]?.day ?? lastDay);
  const customer: Customer = {
    customer_id: customerId(index),
    name: person.fullName,
    tier: person.tier,
    language: zh ? 'zh' : 'en',
    since: isoDate(firstDay - rng.int(0, 1500)),
    purchases: purchases.map((p) => ({
      product: p.name,
      category: p.category,
      purchased_at: isoDate(p.day),
      warranty_months: p.warrantyMonths,
      order_id: p.orderId,
      price: p.price,
    })),
  };
  return { customer, person, zh, offsetMin, mobilePlan, contacts };
}
