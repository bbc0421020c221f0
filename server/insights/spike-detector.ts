// Spike and new-topic detection over daily counts (pure). A key (an intent or a product) on day d is
// compared with its own trailing baseline of `baselineWeeks` weeks, scaled by the weekday: with B
// dialogues of the key in the baseline, T of all keys, and m the mean daily total on d's weekday
// there, the expected count is B·m/T. Under "same rate as the baseline", the count x given x + B is
// Binomial(x + B, m/(m + T)) (the conditional test of two Poisson rates, exact, and it allows for
// the baseline being an estimate too); p = P(X ≥ x). Every key × day evaluated is one test, and
// Benjamini–Hochberg at q runs over all of them, so on a store with no spike the chance of any
// spike alert is at most q.
import { binomialCdf } from '../metrics/special-functions.ts';
import { benjaminiHochberg } from './trends.ts';

const DAY_MS = 86_400_000;
export const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
export const dateOfDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday. */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** Days of history a baseline needs at least (else the day is not evaluated). */
export const MIN_BASELINE_DAYS = 28;

export interface DailyCounts {
  /** Dialogues per day of every key together (all dated dialogues). */
  totals: ReadonlyMap<string, number>;
  /** Dialogues per key and day. */
  byKey: ReadonlyMap<string, ReadonlyMap<string, number>>;
}

export interface SpikeOptions {
  from: string;
  to: string;
  baselineWeeks: number;
  minCount: number;
  newTopicMin: number;
  q: number;
}

export interface SpikeFinding {
  key: string;
  kind: 'spike' | 'new_topic';
  date: string;
  observed: number;
  expected: number;
  p: number;
  /** BH-adjusted over the family (spikes); the p-value itself for new topics. */
  q: number;
  baseline: { days: number; key_count: number; total_count: number; weekday_mean_total: number };
}

export interface SpikeDetection {
  tests: number;
  findings: SpikeFinding[];
}

/** Upper tail P(X ≥ x) for X ~ Binomial(n, p). */
export function binomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  return Math.max(0, Math.min(1, 1 - binomialCdf(x - 1, n, p)));
}

export function detectSpikes(counts: DailyCounts, options: SpikeOptions): SpikeDetection {
  const days = [...counts.totals.keys()].filter((d) => (counts.totals.get(d) ?? 0) > 0).map(dayNumber);
  if (days.length === 0) return { tests: 0, findings: [] };
  const firstDay = Math.min(...days);
  const from = dayNumber(options.from);
  const to = dayNumber(options.to);
  const span = options.baselineWeeks * 7;
  const total = (day: number) => counts.totals.get(dateOfDay(day)) ?? 0;

  // Per evaluated day: the baseline window, its total and the weekday mean total (shrunk towards the
  // overall daily mean, so a weekday with no traffic in the baseline does not make any traffic a spike).
  const baselines = new Map<number, { start: number; days: number; total: number; weekdayMean: number }>();
  for (let d = from; d <= to; d++) {
    const start = Math.max(firstDay, d - span);
    const baselineDays = d - start;
    if (baselineDays < MIN_BASELINE_DAYS) continue;
    let sum = 0;
    let weekdaySum = 0;
    let weekdayDays = 0;
    for (let b = start; b < d; b++) {
      const n = total(b);
      sum += n;
      if (weekdayOf(b) === weekdayOf(d)) {
        weekdaySum += n;
        weekdayDays++;
      }
    }
    if (sum === 0) continue;
    const dailyMean = sum / baselineDays;
    baselines.set(d, { start, days: baselineDays, total: sum, weekdayMean: (weekdaySum + dailyMean) / (weekdayDays + 1) });
  }

  const tests: SpikeFinding[] = [];
  const findings: SpikeFinding[] = [];
  for (const [key, series] of counts.byKey) {
    const seen = [...series.entries()].filter(([, n]) => n > 0).map(([d]) => dayNumber(d));
    if (seen.length === 0) continue;
    const firstSeen = Math.min(...seen);
    const count = (day: number) => series.get(dateOfDay(day)) ?? 0;
    // A key first seen in the evaluated range, with enough history before it: a new topic, not a spike.
    if (firstSeen >= from && firstSeen <= to && firstSeen - firstDay >= MIN_BASELINE_DAYS) {
      let observed = 0;
      let windowTotal = 0;
      for (let d = firstSeen; d < firstSeen + 7; d++) {
        observed += count(d);
        windowTotal += total(d);
      }
      const base = baselines.get(firstSeen);
      if (observed >= options.newTopicMin && base) {
        // No dialogue in the baseline: given `observed`, all of them land in the new week with probability share^observed.
        const share = windowTotal / (windowTotal + base.total);
        const p = share ** observed;
        if (p <= options.q) {
          findings.push({ key, kind: 'new_topic', date: dateOfDay(firstSeen), observed, expected: 0, p, q: p, baseline: { days: base.days, key_count: 0, total_count: base.total, weekday_mean_total: base.weekdayMean } });
        }
      }
      continue;
    }
    for (let d = Math.max(from, firstSeen + 1); d <= to; d++) {
      const base = baselines.get(d);
      if (!base) continue;
      let keyBaseline = 0;
      for (let b = base.start; b < d; b++) keyBaseline += count(b);
      const x = count(d);
      const share = base.weekdayMean / (base.weekdayMean + base.total);
      const expected = (keyBaseline * base.weekdayMean) / base.total;
      const p = binomialUpperTail(x, x + keyBaseline, share);
      tests.push({ key, kind: 'spike', date: dateOfDay(d), observed: x, expected, p, q: 1, baseline: { days: base.days, key_count: keyBaseline, total_count: base.total, weekday_mean_total: base.weekdayMean } });
    }
  }
  const adjusted = benjaminiHochberg(tests.map((t) => t.p));
  tests.forEach((t, i) => {
    t.q = adjusted[i]!;
    if (t.q <= options.q && t.observed >= options.minCount && t.observed > t.expected) findings.push(t);
  });
  findings.sort((a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key));
  return { tests: tests.length, findings };
}
