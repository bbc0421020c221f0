// The service policy as typed values (windows, warranty coverage, plans), read from a prompt
// template's policy text so the tools enforce exactly what the bot is told. DEFAULT_POLICY is what
// the v1 templates state; a value a template does not state keeps its default.
import { z } from 'zod';
import type { Language } from '../domain/dialogue.ts';
import type { PromptTemplate } from '../domain/eval.ts';

/** What a repair is for; decides coverage together with the warranty status. */
export const ISSUE_KINDS = ['screen_damage', 'hardware_fault', 'liquid_damage', 'unauthorised_repair', 'loss_or_theft', 'cosmetic_wear'] as const;
export const IssueKind = z.enum(ISSUE_KINDS);
export type IssueKind = z.infer<typeof IssueKind>;

export const MobilePlanOffer = z.object({
  name: z.object({ zh: z.string(), en: z.string() }),
  /** The monthly fee as the policy writes it in each language (39元 / $25). */
  fee: z.object({ zh: z.string(), en: z.string() }),
  data_gb: z.number().positive(),
  minutes: z.number().int().nonnegative(),
});
export type MobilePlanOffer = z.infer<typeof MobilePlanOffer>;

export const ServicePolicy = z.object({
  warranty: z.object({
    /** Warranty of a device whose order says nothing else (policy 1.1). */
    default_months: z.number().int().positive(),
    /** Free repairs in warranty (1.2). */
    covered: z.array(IssueKind),
    /** A cracked screen from an accidental drop is covered too (Screen Care, 1.2). */
    accidental_screen_damage_covered: z.boolean(),
    /** Paid even in warranty (1.3). */
    excluded: z.array(IssueKind),
    /** Diagnosis costs nothing out of warranty; a quote comes before any paid work (1.4). */
    free_diagnosis: z.boolean(),
    repair_business_days: z.object({ min: z.number().int(), max: z.number().int() }),
  }),
  returns: z.object({
    /** No-reason return, counted from the purchase date (2.1). */
    no_reason_days: z.number().int().nonnegative(),
    /** Refund or replacement for a defect (2.2); after it, repairs only (2.3). */
    defect_days: z.number().int().nonnegative(),
    refund_business_days: z.object({ min: z.number().int(), max: z.number().int() }),
  }),
  delivery: z.object({
    /** Courier redirection after shipping adds about this many days (3.2). */
    redirect_extra_days: z.number().int().nonnegative(),
  }),
  plans: z.object({
    /** Cheapest first (4.1). */
    offers: z.array(MobilePlanOffer).min(1),
    /** Recommend the cheapest plan covering usage × (1 + headroom) (4.1). */
    headroom: z.number().min(0).max(1),
  }),
});
export type ServicePolicy = z.infer<typeof ServicePolicy>;

/** The v1 templates' policy (prompts/*-v1.yaml), as values. */
export const DEFAULT_POLICY: ServicePolicy = Object.freeze({
  warranty: {
    default_months: 12,
    covered: ['screen_damage', 'hardware_fault'],
    accidental_screen_damage_covered: true,
    excluded: ['liquid_damage', 'unauthorised_repair', 'loss_or_theft', 'cosmetic_wear'],
    free_diagnosis: true,
    repair_business_days: { min: 3, max: 7 },
  },
  returns: { no_reason_days: 7, defect_days: 30, refund_business_days: { min: 1, max: 3 } },
  delivery: { redirect_extra_days: 1 },
  plans: {
    offers: [
      { name: { zh: '畅享39元套餐', en: 'Starter 10' }, fee: { zh: '39元', en: '$25' }, data_gb: 10, minutes: 100 },
      { name: { zh: '畅享59元套餐', en: 'Plus 30' }, fee: { zh: '59元', en: '$35' }, data_gb: 30, minutes: 300 },
      { name: { zh: '畅享99元套餐', en: 'Max 60' }, fee: { zh: '99元', en: '$55' }, data_gb: 60, minutes: 500 },
      { name: { zh: '畅享129元套餐', en: 'Ultra 100' }, fee: { zh: '129元', en: '$75' }, data_gb: 100, minutes: 800 },
      { name: { zh: '畅享199元套餐', en: 'Infinity 200' }, fee: { zh: '199元', en: '$99' }, data_gb: 200, minutes: 1500 },
    ],
    headroom: 0.1,
  },
} satisfies ServicePolicy);

type Text = Record<Language, string>;

function firstNumber(texts: Text, patterns: Record<Language, RegExp>): number | undefined {
  for (const lang of ['en', 'zh'] as const) {
    const m = patterns[lang].exec(texts[lang]);
    if (m?.[1] !== undefined) return Number(m[1]);
  }
  return undefined;
}

function range(texts: Text, patterns: Record<Language, RegExp>): { min: number; max: number } | undefined {
  for (const lang of ['en', 'zh'] as const) {
    const m = patterns[lang].exec(texts[lang]);
    if (m?.[1] !== undefined && m[2] !== undefined) return { min: Number(m[1]), max: Number(m[2]) };
  }
  return undefined;
}

/** One numbered clause's text ("1.3 ..." up to the next clause), or '' when the text has none. */
function clause(text: string, id: string): string {
  const m = new RegExp(`(?:^|\\n)\\s*${id.replace('.', '\\.')}\\s+([^\\n]*)`).exec(text);
  return m?.[1] ?? '';
}

const EXCLUSION_WORDS: Record<Exclude<IssueKind, 'screen_damage' | 'hardware_fault'>, Record<Language, RegExp>> = {
  liquid_damage: { en: /liquid|water/i, zh: /进水|泡水|液体/ },
  unauthorised_repair: { en: /opened|repaired by someone else|unauthori[sz]ed/i, zh: /私自拆|非官方/ },
  loss_or_theft: { en: /\bloss\b|theft|stolen/i, zh: /丢失|被盗/ },
  cosmetic_wear: { en: /cosmetic/i, zh: /外观|磨损/ },
};

function parsePlans(texts: Text): MobilePlanOffer[] | undefined {
  const zh = [...texts.zh.matchAll(/(畅享\d+元套餐)（(\d+(?:\.\d+)?)GB(?:流量)?\+(\d+)分钟(?:通话)?）/g)];
  const en = [...texts.en.matchAll(/([A-Z][A-Za-z]* \d+), (\$\d+(?:\.\d+)?) \((\d+(?:\.\d+)?) GB, ([\d,]+) minutes\)/g)];
  if (zh.length === 0 || zh.length !== en.length) return undefined;
  const offers = zh.map((z, i) => {
    const e = en[i]!;
    return { name: { zh: z[1]!, en: e[1]! }, fee: { zh: `${/\d+/.exec(z[1]!)![0]}元`, en: e[2]! }, data_gb: Number(e[3]), minutes: Number(e[4]!.replace(/,/g, '')) };
  });
  // Both languages must state the same plans; otherwise the text is not one policy and defaults stand.
  if (offers.some((o, i) => Number(zh[i]![2]) !== o.data_gb || Number(zh[i]![3]) !== o.minutes)) return undefined;
  return offers.sort((a, b) => Number(a.fee.en.slice(1)) - Number(b.fee.en.slice(1)));
}

/**
 * The policy a template states. Numbers are read from its policy text (English first, then Chinese);
 * coverage from clauses 1.2 and 1.3. Anything the text does not state keeps DEFAULT_POLICY's value.
 */
export function policyFromText(texts: Text): ServicePolicy {
  const d = DEFAULT_POLICY;
  const screenClause = { en: clause(texts.en, '1.2'), zh: clause(texts.zh, '1.2') };
  const exclusionClause = { en: clause(texts.en, '1.3'), zh: clause(texts.zh, '1.3') };
  const statesScreenCare = /screen/i.test(screenClause.en) || /屏/.test(screenClause.zh);
  const accidental = statesScreenCare
    ? /(?<!not[^.]{0,40})accidental drop/i.test(screenClause.en) || /意外摔落[^。]{0,8}也免费/.test(screenClause.zh)
    : screenClause.en === '' && screenClause.zh === '' && d.warranty.accidental_screen_damage_covered;
  const hasExclusions = exclusionClause.en !== '' || exclusionClause.zh !== '';
  const excluded = hasExclusions
    ? (Object.keys(EXCLUSION_WORDS) as (keyof typeof EXCLUSION_WORDS)[]).filter((k) => EXCLUSION_WORDS[k].en.test(exclusionClause.en) || EXCLUSION_WORDS[k].zh.test(exclusionClause.zh))
    : d.warranty.excluded;
  return ServicePolicy.parse({
    warranty: {
      default_months: firstNumber(texts, { en: /(\d+)-month warranty/, zh: /保修(\d+)个月/ }) ?? d.warranty.default_months,
      covered: statesScreenCare || (screenClause.en === '' && screenClause.zh === '') ? d.warranty.covered : ['hardware_fault'],
      accidental_screen_damage_covered: accidental,
      excluded,
      free_diagnosis: /diagnosis is free/i.test(texts.en) || /检测免费/.test(texts.zh) || (texts.en === '' && texts.zh === '' && d.warranty.free_diagnosis),
      repair_business_days: range(texts, { en: /usually take (\d+)-(\d+) business days/, zh: /一般(\d+)-(\d+)个工作日完成/ }) ?? d.warranty.repair_business_days,
    },
    returns: {
      no_reason_days: firstNumber(texts, { en: /Within (\d+) days: no-reason return/i, zh: /(\d+)天内：支持\d*天?无理由退货/ }) ?? d.returns.no_reason_days,
      defect_days: firstNumber(texts, { en: /Within (\d+) days, for a defect/i, zh: /(\d+)天内出现质量问题/ }) ?? d.returns.defect_days,
      refund_business_days: range(texts, { en: /original payment method within (\d+)-(\d+) business days of the item/, zh: /收到退货后(\d+)-(\d+)个工作日/ }) ?? d.returns.refund_business_days,
    },
    delivery: { redirect_extra_days: firstNumber({ en: texts.en.replace(/adds about one day/i, 'adds about 1 day'), zh: texts.zh }, { en: /adds about (\d+) days?/, zh: /晚(\d+)天/ }) ?? d.delivery.redirect_extra_days },
    plans: {
      offers: parsePlans(texts) ?? d.plans.offers,
      headroom: (firstNumber(texts, { en: /about (\d+)% to spare/, zh: /留约(\d+)%余量/ }) ?? d.plans.headroom * 100) / 100,
    },
  });
}

const memo = new WeakMap<object, ServicePolicy>();

/** The policy of a template (memoised per template object). */
export function policyFromTemplate(template: Pick<PromptTemplate, 'policy'>): ServicePolicy {
  let policy = memo.get(template.policy);
  if (policy === undefined) memo.set(template.policy, (policy = policyFromText(template.policy)));
  return policy;
}

export type Coverage = { covered: true; charge: 'free' } | { covered: false; charge: 'paid'; why: 'expired' | 'excluded' | 'accident_not_covered' };

/** Whether a repair is free: in warranty, an issue the warranty covers, not an exclusion. */
export function repairCoverage(policy: ServicePolicy, inWarranty: boolean, issue: IssueKind, accidental = false): Coverage {
  if (policy.warranty.excluded.includes(issue)) return { covered: false, charge: 'paid', why: 'excluded' };
  if (!inWarranty) return { covered: false, charge: 'paid', why: 'expired' };
  if (issue === 'screen_damage') {
    if (accidental && !policy.warranty.accidental_screen_damage_covered) return { covered: false, charge: 'paid', why: 'accident_not_covered' };
    // A screen that failed by itself is a hardware fault, covered either way.
    return { covered: true, charge: 'free' };
  }
  if (!policy.warranty.covered.includes(issue)) return { covered: false, charge: 'paid', why: 'excluded' };
  return { covered: true, charge: 'free' };
}

/** The cheapest plan covering `dataGb` (and `minutes`) with the policy's headroom; the largest when none does. */
export function cheapestPlanFor(policy: ServicePolicy, dataGb: number, minutes?: number): MobilePlanOffer {
  const need = dataGb * (1 + policy.plans.headroom);
  const offers = policy.plans.offers;
  return offers.find((p) => p.data_gb >= need && (minutes === undefined || p.minutes >= minutes)) ?? offers[offers.length - 1]!;
}
