// The `firstcall simulate` report: per candidate goal success, FCR, pass^k, turns (and handling time,
// repeated asks, escalation accuracy, tone), each with a 95% interval over scenarios, by language and
// intent; the gate (--fail-under on those means, --max-regression against a baseline run); rendered
// for the terminal, JSON, Markdown and JUnit XML. An incomplete run is said first, before any number.
import type { Completeness, ConversationInterval, ConversationMetricsSummary, ConversationRow, ConversationSummary } from '../domain/runs-api.ts';
import { usageError } from '../domain/errors.ts';

/** Metrics a conversation gate may name (0–1 means, higher is better). */
export const CONVERSATION_GATE_METRICS = ['goal_success', 'fcr', 'pass_k', 'escalation_accuracy', 'tone'] as const;
type GateMetric = (typeof CONVERSATION_GATE_METRICS)[number];

export interface ConversationGate {
  failUnder?: Partial<Record<GateMetric, number>>;
  maxRegression?: number;
  baseline?: { label: string; run_id: string; summary: ConversationSummary };
}

export interface ConversationCandidateReport {
  name: string;
  hash: string;
  model: string;
  run_id: string;
  scenarios: number;
  conversations: number;
  goal_success: ConversationInterval | null;
  fcr: ConversationInterval | null;
  pass_k: (ConversationInterval & { k: number }) | null;
  turns: ConversationInterval | null;
  handling_time_s: ConversationInterval | null;
  repeated_asks: ConversationInterval | null;
  escalation_accuracy: ConversationInterval | null;
  tone: ConversationInterval | null;
  errors: number;
  ended: Record<string, number>;
  by_language: Record<string, ConversationMetricsSummary>;
  by_intent: Record<string, ConversationMetricsSummary>;
  completeness: Completeness;
  gate: { passed: boolean; failures: string[] };
}

export interface ConversationReport {
  status: 'passed' | 'gate_failed' | 'incomplete';
  passed: boolean;
  reasons: string[];
  scenario_set: { name: string; version: number; hash: string; scenarios: number };
  simulator: string;
  trials: number;
  baseline: { label: string; run_id: string } | null;
  candidates: ConversationCandidateReport[];
}

/** `goal_success=0.8,fcr=0.7` → thresholds; an unknown metric is a usage error naming the valid ones. */
export function parseConversationThresholds(text: string): Partial<Record<GateMetric, number>> {
  const out: Partial<Record<GateMetric, number>> = {};
  const names = CONVERSATION_GATE_METRICS.join(', ');
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const match = /^([^=\s]+)\s*=\s*(\d*\.?\d+)$/.exec(part);
    if (!match) throw usageError(`--fail-under wants metric=value pairs like goal_success=0.8,fcr=0.7 (got "${part}"); metrics: ${names}`);
    const metric = match[1] as GateMetric;
    if (!CONVERSATION_GATE_METRICS.includes(metric)) throw usageError(`--fail-under: unknown metric "${match[1]}"; metrics: ${names}`);
    const value = Number(match[2]);
    if (value > 1) throw usageError(`--fail-under ${metric} must be between 0 and 1`);
    out[metric] = value;
  }
  if (Object.keys(out).length === 0) throw usageError(`--fail-under names no metric; metrics: ${names}`);
  return out;
}

const fmt = (x: number) => x.toFixed(2);

function gateOf(summary: ConversationSummary, gate: ConversationGate): { passed: boolean; failures: string[] } {
  const failures: string[] = [];
  for (const [metric, min] of Object.entries(gate.failUnder ?? {}) as [GateMetric, number][]) {
    const m = summary[metric];
    if (!m) failures.push(`${metric}: not measured`);
    else if (m.mean < min) failures.push(`${metric} ${fmt(m.mean)} < ${fmt(min)}`);
  }
  if (gate.baseline && gate.maxRegression !== undefined) {
    for (const metric of CONVERSATION_GATE_METRICS) {
      const base = gate.baseline.summary[metric];
      const m = summary[metric];
      if (base && m && base.mean - m.mean > gate.maxRegression) failures.push(`${metric} regressed ${fmt(base.mean)} -> ${fmt(m.mean)} (more than ${fmt(gate.maxRegression)} below ${gate.baseline.label})`);
    }
  }
  return { passed: failures.length === 0, failures };
}

export function buildConversationReport(
  set: ConversationReport['scenario_set'],
  runs: readonly { name: string; hash: string; model: string; run_id: string; summary: ConversationSummary; completeness: Completeness }[],
  options: { simulator: string; trials: number; gate?: ConversationGate },
): ConversationReport {
  const gate = options.gate ?? {};
  const candidates = runs.map(({ summary: s, ...run }): ConversationCandidateReport => ({
    ...run,
    scenarios: s.scenarios,
    conversations: s.conversations,
    goal_success: s.goal_success,
    fcr: s.fcr,
    pass_k: s.pass_k === null ? null : { k: s.k, ...s.pass_k },
    turns: s.turns,
    handling_time_s: s.handling_time_s,
    repeated_asks: s.repeated_asks,
    escalation_accuracy: s.escalation_accuracy,
    tone: s.tone,
    errors: s.errors,
    ended: s.ended,
    by_language: s.by_language,
    by_intent: s.by_intent,
    completeness: run.completeness,
    gate: gateOf(s, gate),
  }));
  const named = (name: string) => (candidates.length > 1 ? ` (${name})` : '');
  const incomplete = candidates.filter((c) => !c.completeness.complete).map((c) => `run incomplete${named(c.name)}: ${c.completeness.reason}`);
  const failed = candidates.filter((c) => !c.gate.passed).map((c) => `quality gate failed${named(c.name)}: ${c.gate.failures.join('; ')}`);
  const status = incomplete.length > 0 ? 'incomplete' : failed.length > 0 ? 'gate_failed' : 'passed';
  return {
    status,
    passed: status === 'passed',
    reasons: [...incomplete, ...failed],
    scenario_set: set,
    simulator: options.simulator,
    trials: options.trials,
    baseline: gate.baseline ? { label: gate.baseline.label, run_id: gate.baseline.run_id } : null,
    candidates,
  };
}

const interval = (m: ConversationInterval | null, digits = 2) => (m === null ? '-' : `${m.mean.toFixed(digits)} [${m.low.toFixed(digits)}, ${m.high === null ? '∞' : m.high.toFixed(digits)}]`);

function table(headers: string[], rows: string[][]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => c + ' '.repeat(widths[i]! - width(c))).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

function groupRows(groups: Record<string, ConversationMetricsSummary>): string[][] {
  return Object.entries(groups).map(([name, m]) => [name, String(m.scenarios), interval(m.goal_success), interval(m.fcr), interval(m.pass_k), interval(m.turns, 1)]);
}

export function verdictLine(report: ConversationReport): string {
  if (report.status === 'passed') return 'PASSED';
  return `${report.status === 'incomplete' ? 'INCOMPLETE' : 'GATE FAILED'}: ${report.reasons.join('; ')}`;
}

export function renderConversationText(report: ConversationReport): string {
  const s = report.scenario_set;
  const out: string[] = [verdictLine(report), `scenario set ${s.name} v${s.version} (${s.scenarios} scenarios, hash ${s.hash.slice(0, 12)}), ${report.trials} trial${report.trials === 1 ? '' : 's'} each, customer: ${report.simulator}`];
  if (report.baseline) out.push(`baseline: ${report.baseline.label}`);
  out.push('');
  const k = report.candidates[0]?.pass_k?.k ?? report.trials;
  out.push(
    table(
      ['candidate', 'model', 'goal success', 'FCR', `pass^${k}`, 'turns', 'handling s', 'escalation', 'run'],
      report.candidates.map((c) => [c.name, c.model, interval(c.goal_success), interval(c.fcr), interval(c.pass_k), interval(c.turns, 1), interval(c.handling_time_s, 0), interval(c.escalation_accuracy), c.run_id]),
    ),
  );
  for (const c of report.candidates) {
    out.push('', `${c.name}: ${c.conversations} conversations over ${c.scenarios} scenarios; ended ${Object.entries(c.ended).map(([e, n]) => `${e} ${n}`).join(', ')}${c.errors > 0 ? `; ${c.errors} errors` : ''}`);
    out.push(table(['by language', 'scenarios', 'goal success', 'FCR', `pass^k`, 'turns'], groupRows(c.by_language)));
    out.push(table(['by intent', 'scenarios', 'goal success', 'FCR', `pass^k`, 'turns'], groupRows(c.by_intent)));
    if (!c.gate.passed) out.push(`gate: ${c.gate.failures.join('; ')}`);
  }
  out.push('', '95% intervals over scenarios (each scenario averaged over its trials).');
  return out.join('\n');
}

export function renderConversationMarkdown(report: ConversationReport): string {
  const s = report.scenario_set;
  const esc = (t: string) => t.replace(/[\\`*_<>[\]|]/g, (ch) => `\\${ch}`);
  const lines = [
    `## firstcall simulate: ${report.passed ? '✅ passed' : report.status === 'incomplete' ? '⚠️ incomplete' : '❌ gate failed'}`,
    '',
    ...report.reasons.map((r) => `- ${esc(r)}`),
    `Scenario set **${esc(s.name)}** v${s.version} (${s.scenarios} scenarios), ${report.trials} trials each, customer ${esc(report.simulator)}.`,
    '',
    '| candidate | model | goal success | FCR | pass^k | turns | escalation |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.candidates.map((c) => `| ${esc(c.name)} | ${esc(c.model)} | ${interval(c.goal_success)} | ${interval(c.fcr)} | ${interval(c.pass_k)} | ${interval(c.turns, 1)} | ${interval(c.escalation_accuracy)} |`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

const xml = (t: string) => t.replace(/[<>&"']/g, (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** One testsuite per candidate: a testcase per conversation (fails when the goal was not met) and one for the gate. */
export function renderConversationJUnit(report: ConversationReport, conversations: ReadonlyMap<string, readonly ConversationRow[]>): string {
  const suites = report.candidates.map((c) => {
    const rows = conversations.get(c.run_id) ?? [];
    const cases = rows.map((r) => {
      const name = `${r.scenario_id} #${r.trial}`;
      if (r.error) return `    <testcase classname="${xml(c.name)}" name="${xml(name)}"><error message="${xml(r.error)}"/></testcase>`;
      if (!r.goal_met) return `    <testcase classname="${xml(c.name)}" name="${xml(name)}"><failure message="${xml(`goal not met (ended ${r.ended})`)}"/></testcase>`;
      return `    <testcase classname="${xml(c.name)}" name="${xml(name)}"/>`;
    });
    const gateCase = c.gate.passed ? `    <testcase classname="${xml(c.name)}" name="quality gate"/>` : `    <testcase classname="${xml(c.name)}" name="quality gate"><failure message="${xml(c.gate.failures.join('; '))}"/></testcase>`;
    const failures = rows.filter((r) => !r.error && !r.goal_met).length + (c.gate.passed ? 0 : 1);
    const errors = rows.filter((r) => r.error).length;
    return `  <testsuite name="${xml(`${report.scenario_set.name} v${report.scenario_set.version}: ${c.name}`)}" tests="${rows.length + 1}" failures="${failures}" errors="${errors}">\n${[...cases, gateCase].join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="firstcall simulate">\n${suites.join('\n')}\n</testsuites>\n`;
}
