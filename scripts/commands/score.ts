// `firstcall score` (whole logged dialogues judged, for monitoring), `firstcall calibrate` (an
// automatic scorer against reviewers' labels) and `firstcall scorers fit|list` (learned scorers
// fitted on this store's labels).
import { resolve } from 'node:path';
import { usageError } from '../../server/domain/errors.ts';
import { calibrate, calibrationCases, CALIBRATABLE, type Calibratable } from '../../server/eval/calibrate.ts';
import { DEFAULT_DIALOGUE_SCORERS, DIALOGUE_SCORERS, scoreLogs, type DialogueScorerName } from '../../server/eval/monitor.ts';
import { explainScore } from '../../server/learn/dialogue-scorer.ts';
import { fitScorers, resolveScorerModels, type FitScorersResult } from '../../server/services/scorer-models.ts';
import { ScorerModelRepository } from '../../server/storage/scorer-model-repository.ts';
import { LANGUAGES, type Language } from '../../server/domain/dialogue.ts';
import { SCORER_TARGETS, type ScorerTarget } from '../../server/learn/learned-model.ts';
import { resolveProvider } from '../../server/providers/registry.ts';
import { createScorers } from '../../server/scorers/registry.ts';
import { LabelingService } from '../../server/services/labeling.ts';
import { caseFromDialogue, loadSuite } from '../../server/services/suites.ts';
import { CustomerRepository } from '../../server/storage/customer-repository.ts';
import { openDatabase, resolveDbPath, type Database } from '../../server/storage/database.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import { parseReply, type Scorer, type SuiteCase } from '../../server/domain/eval.ts';
import { EXIT, type CommandIO } from '../io.ts';

export interface ScoreArgs {
  db?: string;
  scorers?: string;
  out?: string;
  language?: string;
  channel?: string;
  intent?: string;
  source?: string;
  from?: string;
  to?: string;
  judge?: string;
  json?: boolean;
  scorerModel?: string;
}

export async function scoreCommand(args: ScoreArgs, io: CommandIO): Promise<number> {
  if (!args.out) throw usageError('--out FILE is required');
  const names = args.scorers ? args.scorers.split(',').map((s) => s.trim()).filter((s) => s !== '') : [...DEFAULT_DIALOGUE_SCORERS];
  for (const n of names) if (!(DIALOGUE_SCORERS as readonly string[]).includes(n)) throw usageError(`score judges whole dialogues: scorers ${DIALOGUE_SCORERS.join(', ')} (not "${n}")`);
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const models = await resolveScorerModels(db, args.scorerModel ?? 'latest');
    const out = resolve(args.out);
    const result = await scoreLogs(db, { scorers: names as DialogueScorerName[], out, filters: args, models, judge });
    if (args.json) io.out(JSON.stringify(result));
    else {
      const unscored = Object.entries(result.unscored).map(([k, n]) => `${k} ${n}`);
      io.out(`scored ${result.scored} dialogues into ${out}; means: ${Object.entries(result.means).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '-'}`);
      if (unscored.length > 0) io.out(`  not scored (reason in each line): ${unscored.join(', ')}`);
      const used = Object.entries(result.models).map(([lang, byTarget]) => `${lang} ${Object.entries(byTarget ?? {}).map(([t, m]) => `${t}=${m}`).join(' ')}`);
      if (used.length > 0) io.out(`  learned models: ${used.join('; ')}`);
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export async function calibrateCommand(args: { db?: string; scorer?: string; judge?: string; suite?: string; json?: boolean; scorerModel?: string }, io: CommandIO): Promise<number> {
  const name = args.scorer as Calibratable;
  if (!CALIBRATABLE.includes(name)) throw usageError(`--scorer must be one of ${CALIBRATABLE.join(', ')}`);
  if (args.scorerModel && args.judge) throw usageError('--scorer-model and --judge choose different scorers: give one');
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const [scorer] = args.scorerModel ? [await learnedCaseScorer(db, name, args.scorerModel)] : createScorers([name], { judge });
    const cases = args.suite ? (await loadSuite(db, args.suite)).cases : await labeledCases(db);
    if (calibrationCases(cases, name).length === 0) throw usageError(`no labeled dialogues with a logged reply and a ${name} label to calibrate against`);
    const report = await calibrate(scorer!, cases);
    if (args.json) io.out(JSON.stringify(report));
    else {
      io.out(`${report.scorer} (${report.method}) against reviewers' labels on ${report.n} dialogues`);
      io.out(`  Cohen's kappa ${report.kappa ?? '-'}${report.spearman !== null ? `   Spearman's rho ${report.spearman}` : ''}   exact agreement ${report.agreement ?? '-'}`);
      io.out(`  confusion (rows: reviewers, columns: scorer): ${report.labels.join(' / ')}`);
      report.confusion.forEach((row, i) => io.out(`    ${report.labels[i]!.padEnd(5)} ${row.map((n) => String(n).padStart(5)).join('')}`));
      io.out(`  ${report.verdict}`);
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}

/** Every gold-labeled dialogue as a case (its logged reply is what gets scored). */
async function labeledCases(db: Database): Promise<SuiteCase[]> {
  const dialogues = new DialogueRepository(db);
  const customers = new CustomerRepository(db);
  const cases: SuiteCase[] = [];
  for (const gold of await new LabelingService(db).goldLabels()) {
    const d = await dialogues.get(gold.dialogue_id);
    if (!d) continue;
    const customer = d.customer_id ? await customers.get(d.customer_id) : undefined;
    const c = caseFromDialogue(d, gold, customer);
    if (c) cases.push(c);
  }
  return cases;
}

/**
 * A learned whole-dialogue model as a reply-level scorer, for calibrate: it reads the case's history
 * with the reply appended. The model of each case's language (latest fitted, built-in, or a pinned id).
 */
export async function learnedCaseScorer(db: Database, name: Calibratable, selector: string): Promise<Scorer> {
  const resolved = await resolveScorerModels(db, selector);
  const sources = [...new Set(LANGUAGES.map((l) => resolved.sources[l]?.[name]).filter((s) => s !== undefined))];
  if (sources.length === 0) throw usageError(`no learned ${name} model${name === 'accuracy' ? ' (accuracy is learned only once fitted: firstcall scorers fit)' : ''}`);
  return {
    name,
    threshold: 0.5,
    method: `learned:${sources.join('+')}`,
    async score(input) {
      const model = resolved.models[input.case.language]?.[name];
      if (!model) throw usageError(`no learned ${name} model for ${input.case.language}`);
      const turns = [...input.case.history, { role: 'agent' as const, text: parseReply(input.reply).answer || input.reply }];
      const e = explainScore(model, { language: input.case.language, turns }, name === 'fcr' ? 'resolved' : name === 'tone' ? 'well received' : 'correct');
      return { score: e.probability, pass: e.probability >= 0.5, reason: e.reason };
    },
  };
}

export interface ScorersFitArgs {
  db?: string;
  json?: boolean;
  targets?: string;
  language?: string;
  minPerSide?: string;
  fromScratch?: boolean;
}

export async function scorersFitCommand(args: ScorersFitArgs, io: CommandIO): Promise<number> {
  const targets = args.targets ? args.targets.split(',').map((t) => t.trim()) : [...SCORER_TARGETS];
  for (const t of targets) if (!(SCORER_TARGETS as readonly string[]).includes(t)) throw usageError(`--targets: ${SCORER_TARGETS.join(', ')} (not "${t}")`);
  if (args.language && !(LANGUAGES as readonly string[]).includes(args.language)) throw usageError(`--language must be ${LANGUAGES.join(' or ')}`);
  const minPerSide = args.minPerSide === undefined ? undefined : Number(args.minPerSide);
  if (minPerSide !== undefined && !(Number.isFinite(minPerSide) && minPerSide >= 1)) throw usageError('--min-per-side must be a number ≥ 1');
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const started = performance.now();
    const results = await fitScorers(db, {
      targets: targets as ScorerTarget[],
      languages: args.language ? [args.language as Language] : undefined,
      minPerSide,
      warmStart: !args.fromScratch,
    });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (args.json) io.out(JSON.stringify({ seconds, results }));
    else printFit(results, seconds, io);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

function printFit(results: readonly FitScorersResult[], seconds: number, io: CommandIO): void {
  const f = (x: number | null | undefined) => (x == null ? '  -  ' : x.toFixed(3));
  io.out('cross-validated agreement with the labels (5 folds by dialogue id; AUC vs the binary label, Spearman vs the graded one)');
  io.out('lang target    labels  +/-          fitted AUC  rho   | current             AUC    rho   | reply length AUC | hand-off alone AUC');
  for (const r of results) {
    const p = r.report;
    const cur = p.cv.current;
    io.out(
      `${r.language}   ${r.target.padEnd(8)} ${String(p.labels.total).padStart(7)}  ${`${p.labels.weighted_positive}/${p.labels.weighted_negative}`.padEnd(12)} ${f(p.cv.fitted?.auc)}   ${f(p.cv.fitted?.spearman)} | ${(cur?.name ?? 'none').padEnd(18)}  ${f(cur?.auc)}  ${f(cur?.spearman)} | ${f(p.cv.baselines.reply_length.auc)}            | ${f(p.cv.baselines.no_handoff.auc)}`,
    );
    const sources = Object.entries(p.labels.by_source).map(([k, n]) => `${k} ${n}`).join(', ');
    io.out(`     ${p.reason}${sources ? ` [labels: ${sources}]` : ''}; in use: ${r.in_use}`);
  }
  io.out(`${seconds} s; nothing left this machine`);
}

export async function scorersListCommand(args: { db?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const models = await new ScorerModelRepository(db).list();
    if (args.json) io.out(JSON.stringify({ models }));
    else if (models.length === 0) io.out('no scorer fitted on this store: the built-in models score (firstcall scorers fit)');
    else for (const m of models) io.out(`${m.id}  ${m.created_at}  ${m.labels} labels  warm start: ${m.warm_start ?? 'none'}  data ${m.data_sha256.slice(0, 12)}  ${String((m.card as { reason?: string }).reason ?? '')}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
