// The eval report: per candidate each metric's mean, 95% interval and n, broken down by language
// and intent, checked against the quality gate; rendered for the terminal, JSON, Markdown
// ($GITHUB_STEP_SUMMARY) and JUnit XML. A run with more failed cases than --max-errors allows is
// incomplete: every rendering says so first, before any number. A metric whose scorer does not
// agree well enough with this store's reviewers (scorer-trust.ts) is reported but not gated, and
// the report says why; scores with no evidence (n/a) are counted apart.
import { usageError } from '../domain/errors.ts';
import type { Suite } from '../domain/eval.ts';
import type { ScorerTrust } from './scorer-trust.ts';
import { applies, type CaseResult, type Completeness, type MetricSummary, type RunSummary } from '../domain/runs-api.ts';
import { SCORERS, type ScorerRegistry } from '../scorers/registry.ts';

export interface CandidateReport {
  name: string;
  hash: string;
  model: string;
  run_id: string;
  summary: RunSummary;
  completeness: Completeness;
  results: CaseResult[];
}

export interface GateOptions {
  /** Metric -> minimum mean, e.g. { fcr: 0.7 }. */
  failUnder?: Record<string, number>;
  /** Largest allowed drop of any metric's mean below the baseline's. */
  maxRegression?: number;
  baseline?: { label: string; run_id: string; summary: RunSummary };
  /** Per metric, whether its scorer may gate (absent: every metric gates, as before). */
  trust?: Readonly<Record<string, ScorerTrust>>;
}

export interface GateResult {
  passed: boolean;
  failures: string[];
  /** Thresholds not applied, and why: "tone not gated: κ 0.19 (slight) on 120 labels". */
  notes: string[];
}

/** passed; gate_failed: complete, but a gate check failed; incomplete: too many cases could not be run or scored. */
export const REPORT_STATUSES = ['passed', 'gate_failed', 'incomplete'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export interface EvalReport {
  status: ReportStatus;
  /** Why it did not pass, most serious first: each incomplete run, then each failed gate. Empty when passed. */
  reasons: string[];
  passed: boolean;
  suite: { name: string; version: number; hash: string; cases: number };
  baseline: { label: string; run_id: string; metrics: Record<string, MetricSummary> } | null;
  candidates: (Omit<CandidateReport, 'results'> & { gate: GateResult })[];
  /** How far each scorer is trusted to gate, when it was checked. */
  trust?: ScorerTrust[];
}

/** Metric names a threshold may name: every scorer, and the composite. */
export function gateMetrics(registry: ScorerRegistry = SCORERS): string[] {
  return [...registry.names, 'composite'];
}

/**
 * `fcr=0.7,accuracy=0.8` -> { fcr: 0.7, accuracy: 0.8 }. A name that is not a metric, or (with
 * `scorers`) a metric those scorers do not measure, is a usage error listing the valid names.
 */
export function parseThresholds(text: string, options: { scorers?: readonly string[]; registry?: ScorerRegistry } = {}): Record<string, number> {
  const out: Record<string, number> = {};
  const metrics = gateMetrics(options.registry);
  const measured = options.scorers ? measuredMetrics(options.scorers, options.registry) : metrics;
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\d*\.?\d+)$/.exec(part);
    if (!match) throw usageError(`--fail-under wants metric=value pairs like fcr=0.7,accuracy=0.8 (got "${part}"); metrics: ${metrics.join(', ')}`);
    const metric = match[1]!;
    if (!metrics.includes(metric)) throw usageError(`--fail-under: unknown metric "${metric}"; metrics: ${metrics.join(', ')}`);
    if (!measured.includes(metric)) throw usageError(`--fail-under: ${metric} is not measured by --scorers ${options.scorers!.join(',')} (measured: ${measured.join(', ')})`);
    const value = Number(match[2]);
    if (value < 0 || value > 1) throw usageError(`--fail-under ${metric} must be between 0 and 1`);
    out[metric] = value;
  }
  if (Object.keys(out).length === 0) throw usageError(`--fail-under names no metric; metrics: ${metrics.join(', ')}`);
  return out;
}

/** The metrics a run with these scorers reports (the composite needs one of the composite scorers). */
export function measuredMetrics(scorers: readonly string[], registry: ScorerRegistry = SCORERS): string[] {
  const composite = registry.withTrait('composite');
  return [...scorers, ...(scorers.some((s) => composite.includes(s)) ? ['composite'] : [])];
}

export function checkGate(summary: RunSummary, options: GateOptions): GateResult {
  const failures: string[] = [];
  const notes = new Set<string>();
  /** Whether a metric may gate; notes why not. */
  const gates = (metric: string, m: MetricSummary | undefined): boolean => {
    const trust = options.trust?.[metric];
    if (trust && !trust.trusted) {
      notes.add(trust.reason);
      return false;
    }
    if (m && m.n === 0 && (m.na ?? 0) > 0) {
      notes.add(`${metric} not gated: n/a on all ${m.na} results (nothing to score against)`);
      return false;
    }
    return true;
  };
  for (const [metric, min] of Object.entries(options.failUnder ?? {})) {
    const m = summary.metrics[metric];
    if (!m) failures.push(`${metric}: not measured (add it to --scorers)`);
    else if (gates(metric, m) && m.mean < min) failures.push(`${metric} ${fmt(m.mean)} < ${fmt(min)}`);
  }
  if (options.baseline && options.maxRegression !== undefined) {
    for (const [metric, base] of Object.entries(options.baseline.summary.metrics)) {
      const m = summary.metrics[metric];
      if (m && gates(metric, m) && base.mean - m.mean > options.maxRegression) {
        failures.push(`${metric} regressed ${fmt(base.mean)} -> ${fmt(m.mean)} (more than ${fmt(options.maxRegression)} below ${options.baseline.label})`);
      }
    }
  }
  return { passed: failures.length === 0, failures, notes: [...notes] };
}

export function buildReport(suite: Suite, candidates: readonly CandidateReport[], gate: GateOptions): EvalReport {
  const reports = candidates.map(({ results: _results, ...c }) => ({ ...c, gate: checkGate(c.summary, gate) }));
  const named = (name: string) => (reports.length > 1 ? ` (${name})` : '');
  const incomplete = reports.filter((c) => !c.completeness.complete).map((c) => `run incomplete${named(c.name)}: ${c.completeness.reason}`);
  const gateFailed = reports.filter((c) => !c.gate.passed).map((c) => `quality gate failed${named(c.name)}: ${c.gate.failures.join('; ')}`);
  const status: ReportStatus = incomplete.length > 0 ? 'incomplete' : gateFailed.length > 0 ? 'gate_failed' : 'passed';
  // Key order is the JSON's order: the verdict and why come first.
  return {
    status,
    reasons: [...incomplete, ...gateFailed],
    passed: status === 'passed',
    suite: { name: suite.name, version: suite.version, hash: suite.hash, cases: suite.cases.length },
    baseline: gate.baseline ? { label: gate.baseline.label, run_id: gate.baseline.run_id, metrics: gate.baseline.summary.metrics } : null,
    candidates: reports,
    ...(gate.trust ? { trust: Object.values(gate.trust) } : {}),
  };
}

/** The report's first line: the verdict, and why when it did not pass. */
export function verdictLines(report: EvalReport): string[] {
  return report.status === 'passed' ? ['eval: passed'] : report.reasons;
}

const fmt = (x: number) => x.toFixed(2);
/** "40", or "37 (+3 n/a)" when some results had nothing to score against. */
const nWithNa = (m: MetricSummary) => (m.na ? `${m.n} (+${m.na} n/a)` : String(m.n));
const ci = (m: MetricSummary) => `[${fmt(m.low)}, ${fmt(m.high)}]`;

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - stringWidth(c))).join('  ');
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Terminal columns: CJK characters take two. */
function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

function breakdown(groups: Record<string, Record<string, MetricSummary>>, metrics: string[]): string[][] {
  return Object.entries(groups).map(([group, m]) => [group, String(m[metrics[0]!]?.n ?? 0), ...metrics.map((name) => (m[name] ? fmt(m[name].mean) : '-'))]);
}

export function renderText(report: EvalReport, registry: ScorerRegistry = SCORERS): string {
  const breakdownMetrics = ['composite', ...registry.withTrait('breakdown')];
  const out: string[] = [...(report.passed ? [] : [...verdictLines(report), '']), `suite ${report.suite.name} v${report.suite.version} (${report.suite.cases} cases, ${report.suite.hash.slice(0, 12)})`];
  for (const c of report.candidates) {
    const metrics = Object.keys(c.summary.metrics);
    out.push('', `candidate ${c.name} [${c.model}] ${c.hash}  run ${c.run_id}`);
    const baseline = report.baseline?.metrics;
    out.push(
      table(
        ['metric', 'mean', '95% CI', 'n', 'pass rate', ...(baseline ? ['vs baseline'] : [])],
        metrics.map((name) => {
          const m = c.summary.metrics[name]!;
          const delta = baseline?.[name] ? m.mean - baseline[name].mean : undefined;
          return [name, fmt(m.mean), ci(m), nWithNa(m), fmt(m.pass_rate), ...(baseline ? [delta === undefined ? '-' : `${delta >= 0 ? '+' : ''}${fmt(delta)}`] : [])];
        }),
      ),
    );
    const e = c.summary.escalation;
    out.push(
      `escalation precision ${e.precision === null ? '-' : fmt(e.precision)} recall ${e.recall === null ? '-' : fmt(e.recall)} (tp ${e.tp}, fp ${e.fp}, fn ${e.fn})` +
        `  errors ${c.summary.errors}/${c.summary.trials}` +
        (c.summary.pass_hat_k ? `  pass^${c.summary.pass_hat_k.k} ${fmt(c.summary.pass_hat_k.value)}` : '') +
        `  latency p50 ${c.summary.latency_ms.p50?.toFixed(0) ?? '-'} ms` +
        (c.summary.judge ? `  judge ${c.summary.judge.model}: ${c.summary.judge.input_tokens + c.summary.judge.output_tokens} tokens${c.summary.judge.cost_usd === null ? '' : `, $${c.summary.judge.cost_usd.toFixed(4)}`}` : ''),
    );
    const shown = metrics.filter((m) => breakdownMetrics.includes(m));
    out.push('', 'by language', table(['language', 'n', ...shown], breakdown(c.summary.by_language, shown)));
    out.push('', 'by intent', table(['intent', 'n', ...shown], breakdown(c.summary.by_intent, shown)));
    out.push('');
    if (!c.completeness.complete) out.push(`run: INCOMPLETE — ${c.completeness.reason}`);
    out.push(c.gate.passed ? (c.completeness.complete ? 'gate: passed' : 'gate: not passed — the run is incomplete') : `gate: FAILED — ${c.gate.failures.join('; ')}`);
    for (const note of c.gate.notes ?? []) out.push(`  ${note}`);
  }
  return out.join('\n');
}

export function renderMarkdown(report: EvalReport, registry: ScorerRegistry = SCORERS): string {
  const breakdownMetrics = ['composite', ...registry.withTrait('composite')];
  const title = { passed: '✅ passed', gate_failed: '❌ quality gate failed', incomplete: '⚠️ run incomplete' }[report.status];
  const out: string[] = [`## firstcall eval: ${title}`, ''];
  if (!report.passed) out.push(...report.reasons.map((r) => `**${mdEscape(r)}**`), '');
  out.push(`Suite \`${report.suite.name}\` v${report.suite.version}, ${report.suite.cases} cases (\`${report.suite.hash.slice(0, 12)}\`)${report.baseline ? `; baseline ${report.baseline.label} (\`${report.baseline.run_id}\`)` : ''}.`, '');
  const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  for (const c of report.candidates) {
    const metrics = Object.keys(c.summary.metrics);
    out.push(`### ${!c.completeness.complete ? '⚠️' : c.gate.passed ? '✅' : '❌'} ${c.name} — \`${c.model}\``, '', row(['metric', 'mean', '95% CI', 'n', 'pass rate', ...(report.baseline ? ['Δ baseline'] : [])]), row(['---', '---:', '---', '---:', '---:', ...(report.baseline ? ['---:'] : [])]));
    for (const name of metrics) {
      const m = c.summary.metrics[name]!;
      const base = report.baseline?.metrics[name];
      out.push(row([name, fmt(m.mean), ci(m), nWithNa(m), fmt(m.pass_rate), ...(report.baseline ? [base ? `${m.mean - base.mean >= 0 ? '+' : ''}${fmt(m.mean - base.mean)}` : '–'] : [])]));
    }
    const e = c.summary.escalation;
    out.push('', `Escalation precision ${e.precision === null ? '–' : fmt(e.precision)}, recall ${e.recall === null ? '–' : fmt(e.recall)}; errors ${c.summary.errors} of ${c.summary.trials}${c.summary.pass_hat_k ? `; pass^${c.summary.pass_hat_k.k} ${fmt(c.summary.pass_hat_k.value)}` : ''}; run \`${c.run_id}\`.`, '');
    const shown = metrics.filter((m) => breakdownMetrics.includes(m));
    for (const [title, groups] of [['language', c.summary.by_language], ['intent', c.summary.by_intent]] as const) {
      out.push('<details><summary>by ' + title + '</summary>', '', row([title, 'n', ...shown]), row(['---', '---:', ...shown.map(() => '---:')]));
      for (const r of breakdown(groups, shown)) out.push(row(r));
      out.push('', '</details>', '');
    }
    if (!c.gate.passed) out.push('**Gate failures:**', ...c.gate.failures.map((f) => `- ${f}`), '');
    if ((c.gate.notes ?? []).length > 0) out.push('**Not gated:**', ...c.gate.notes.map((f) => `- ${mdEscape(f)}`), '');
    if (c.summary.judge) out.push(`Judge \`${c.summary.judge.model}\`: ${c.summary.judge.calls} verdicts, ${c.summary.judge.input_tokens} + ${c.summary.judge.output_tokens} tokens${c.summary.judge.cost_usd === null ? '' : `, $${c.summary.judge.cost_usd.toFixed(4)}`}.`, '');
  }
  return out.join('\n');
}

/** Keeps an error message from turning into Markdown or HTML. */
const mdEscape = (s: string) => s.replace(/[\\`*_<>[\]|]/g, (ch) => `\\${ch}`);

const xml = (s: string) => s.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** One testsuite per candidate: a testcase per case and trial (failing when a quality scorer failed) and one per gate check. */
export function renderJUnit(report: EvalReport, results: ReadonlyMap<string, CaseResult[]>, registry: ScorerRegistry = SCORERS): string {
  const quality = registry.withTrait('quality');
  const suites = report.candidates.map((c) => {
    const rows = results.get(c.run_id) ?? [];
    const cases = rows.map((r) => {
      const failed = Object.entries(r.scores).filter(([name, s]) => applies(s) && !s.pass && quality.includes(name));
      const name = `${r.case_id}${r.trial > 1 ? ` (trial ${r.trial})` : ''}`;
      const body = r.error
        ? `<error message="${xml(r.error)}"/>`
        : failed.length > 0
          ? `<failure message="${xml(failed.map(([n, s]) => `${n} ${fmt(s.score)}`).join(', '))}">${xml(failed.map(([n, s]) => `${n}: ${s.reason}`).join('\n'))}</failure>`
          : '';
      return `    <testcase classname="${xml(c.name)}" name="${xml(name)}" time="${((r.latency_ms ?? 0) / 1000).toFixed(3)}">${body}</testcase>`;
    });
    // First, so a CI viewer shows why before the per-case rows.
    const complete = `    <testcase classname="${xml(c.name)}" name="run complete">${c.completeness.complete ? '' : `<error message="${xml(`run incomplete: ${c.completeness.reason}`)}"/>`}</testcase>`;
    const gate = `    <testcase classname="${xml(c.name)}" name="quality gate">${c.gate.passed ? '' : `<failure message="${xml(c.gate.failures.join('; '))}"/>`}</testcase>`;
    const failures = rows.filter((r) => !r.error && Object.entries(r.scores).some(([n, s]) => applies(s) && !s.pass && quality.includes(n))).length + (c.gate.passed ? 0 : 1);
    const errors = rows.filter((r) => r.error).length + (c.completeness.complete ? 0 : 1);
    return `  <testsuite name="firstcall ${xml(report.suite.name)} / ${xml(c.name)}" tests="${rows.length + 2}" failures="${failures}" errors="${errors}">\n${[complete, ...cases, gate].join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firstcall eval">\n${suites.join('\n')}\n</testsuites>\n`;
}
