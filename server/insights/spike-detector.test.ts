// The spike detector on simulated daily counts: a planted spike is found, Poisson noise with a weekly
// pattern stays under the stated false-alarm rate, a new intent is a new topic.
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../metrics/seeded-random.ts';
import { binomialUpperTail, dateOfDay, dayNumber, detectSpikes, weekdayOf } from './spike-detector.ts';

const START = dayNumber('2026-01-05'); // a Monday
const DAYS = 120;
const OPTIONS = { from: dateOfDay(START + DAYS - 28), to: dateOfDay(START + DAYS - 1), baselineWeeks: 8, minCount: 5, newTopicMin: 5, q: 0.05 };

/** Poisson counts for `keys` intents with busier weekdays; `extra` adds dialogues to one key on one day. */
function simulate(seed: number, rates: readonly number[], extra?: { key: number; day: number; n: number }) {
  const random = createSeededRandom(seed);
  const poisson = (lambda: number) => {
    let k = 0;
    let p = Math.exp(-lambda);
    let s = p;
    const u = random.next();
    while (u > s) {
      k++;
      p *= lambda / k;
      s += p;
    }
    return k;
  };
  const totals = new Map<string, number>();
  const byKey = new Map<string, Map<string, number>>();
  rates.forEach((rate, key) => {
    const series = new Map<string, number>();
    for (let d = START; d < START + DAYS; d++) {
      const weekday = weekdayOf(d) >= 5 ? 0.5 : 1.2;
      let n = poisson(rate * weekday);
      if (extra && extra.key === key && extra.day === d) n += extra.n;
      series.set(dateOfDay(d), n);
      totals.set(dateOfDay(d), (totals.get(dateOfDay(d)) ?? 0) + n);
    }
    byKey.set(`intent-${key}`, series);
  });
  return { totals, byKey };
}

describe('the spike detector', () => {
  it('computes the binomial upper tail', () => {
    expect(binomialUpperTail(0, 5, 0.3)).toBe(1);
    expect(binomialUpperTail(5, 5, 0.5)).toBeCloseTo(1 / 32, 12);
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
  });

  it('finds a planted spike on its day', () => {
    const day = START + DAYS - 10;
    const result = detectSpikes(simulate(11, [3, 5, 2, 8, 1], { key: 2, day, n: 12 }), OPTIONS);
    expect(result.tests).toBe(5 * 28);
    expect(result.findings.map((f) => [f.key, f.date])).toEqual([['intent-2', dateOfDay(day)]]);
    expect(result.findings[0]!.observed).toBeGreaterThanOrEqual(12);
    expect(result.findings[0]!.expected).toBeLessThan(4);
  });

  it('raises false alarms on pure noise at no more than the stated rate (q = 0.05 over 20 seeds)', () => {
    let withAlarm = 0;
    for (let seed = 1; seed <= 20; seed++) if (detectSpikes(simulate(seed, [3, 5, 2, 8, 1, 0.4, 12]), OPTIONS).findings.length > 0) withAlarm++;
    // BH under the global null bounds the chance of any alarm by q: at most 1 of 20 expected.
    expect(withAlarm).toBeLessThanOrEqual(2);
  });

  it('flags an intent with no history that appears with enough volume as a new topic', () => {
    const counts = simulate(5, [3, 5]);
    const series = new Map<string, number>();
    for (let d = START + DAYS - 6; d < START + DAYS; d++) series.set(dateOfDay(d), 2);
    const byKey = new Map(counts.byKey);
    byKey.set('intent-new', series);
    const result = detectSpikes({ totals: counts.totals, byKey }, OPTIONS);
    expect(result.findings).toMatchObject([{ key: 'intent-new', kind: 'new_topic', date: dateOfDay(START + DAYS - 6), observed: 12, expected: 0 }]);
  });
});
