// FCR and CSAT drops per intent (pure): each evaluated week against the pooled previous
// `baselineWeeks` weeks of the same intent — FCR by a one-sided two-proportion z-test, CSAT by a
// one-sided Welch t-test — with Benjamini–Hochberg at q over each family. A drop smaller than
// `minDrop`, or a week with fewer than `minWeek` dialogues, never alerts.
import { benjaminiHochberg, meanDropP, proportionDropP, type Moments } from './trends.ts';

export interface WeeklyIntentStats {
  key: string;
  /** Monday of the week (YYYY-MM-DD). */
  week: string;
  fcr: { successes: number; n: number };
  csat: Moments;
}

export interface DropOptions {
  /** Mondays of the first and last weeks evaluated. */
  fromWeek: string;
  toWeek: string;
  baselineWeeks: number;
  minDrop: number;
  minWeek: number;
  q: number;
}

export interface DropFinding {
  kind: 'fcr_drop' | 'csat_drop';
  key: string;
  week: string;
  observed: number;
  expected: number;
  n: number;
  baseline_n: number;
  p: number;
  q: number;
}

const addWeeks = (monday: string, weeks: number) => new Date(Date.parse(`${monday}T00:00:00Z`) + weeks * 7 * 86_400_000).toISOString().slice(0, 10);

export function detectDrops(rows: readonly WeeklyIntentStats[], options: DropOptions): { tests: { fcr_drop: number; csat_drop: number }; findings: DropFinding[] } {
  const byKey = new Map<string, Map<string, WeeklyIntentStats>>();
  for (const r of rows) {
    if (!byKey.has(r.key)) byKey.set(r.key, new Map());
    byKey.get(r.key)!.set(r.week, r);
  }
  const fcrTests: DropFinding[] = [];
  const csatTests: DropFinding[] = [];
  for (const [key, weeks] of byKey) {
    for (let week = options.fromWeek; week <= options.toWeek; week = addWeeks(week, 1)) {
      const now = weeks.get(week);
      if (!now) continue;
      const base = { fcr: { successes: 0, n: 0 }, csat: { n: 0, sum: 0, sumSq: 0 } };
      for (let k = 1; k <= options.baselineWeeks; k++) {
        const b = weeks.get(addWeeks(week, -k));
        if (!b) continue;
        base.fcr.successes += b.fcr.successes;
        base.fcr.n += b.fcr.n;
        base.csat.n += b.csat.n;
        base.csat.sum += b.csat.sum;
        base.csat.sumSq += b.csat.sumSq;
      }
      // Guards on sizes only (never on the outcome), so the tests kept stay valid for BH.
      if (now.fcr.n >= options.minWeek && base.fcr.n >= 2 * options.minWeek) {
        const observed = now.fcr.successes / now.fcr.n;
        const expected = base.fcr.successes / base.fcr.n;
        fcrTests.push({ kind: 'fcr_drop', key, week, observed, expected, n: now.fcr.n, baseline_n: base.fcr.n, p: proportionDropP(now.fcr, base.fcr), q: 1 });
      }
      if (now.csat.n >= options.minWeek && base.csat.n >= 2 * options.minWeek) {
        const observed = now.csat.sum / now.csat.n;
        const expected = base.csat.sum / base.csat.n;
        csatTests.push({ kind: 'csat_drop', key, week, observed, expected, n: now.csat.n, baseline_n: base.csat.n, p: meanDropP(now.csat, base.csat), q: 1 });
      }
    }
  }
  const findings: DropFinding[] = [];
  for (const family of [fcrTests, csatTests]) {
    const adjusted = benjaminiHochberg(family.map((t) => t.p));
    family.forEach((t, i) => {
      t.q = adjusted[i]!;
      if (t.q <= options.q && t.expected - t.observed >= options.minDrop) findings.push(t);
    });
  }
  return { tests: { fcr_drop: fcrTests.length, csat_drop: csatTests.length }, findings };
}
