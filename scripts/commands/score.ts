// `firstcall score` (whole logged dialogues judged, for monitoring), `firstcall calibrate` (an
// automatic scorer against reviewers' labels) and `firstcall scorers fit|list` (learned scorers
// fitted on this store's labels).
import { resolve } from 'node:path';
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { calibrate, calibrateCompare, calibrationCases, CALIBRATABLE, type Calibratable, type CalibrationComparison, type CalibrationReport } from '../../server/eval/calibrate.ts';
import { DEFAULT_DIALOGUE_SCORERS, DIALOGUE_SCORERS, scoreLogs, type DialogueScorerName } from '../../server/services/score-logs.ts';
import { explainScore } from '../../server/learn/dialogue-scorer.ts';
import { fitScorers, resolveScorerModels, type FitScorersResult } from '../../server/services/scorer-models.ts';
import { ScorerModelRepository } from '../../server/storage/scorer-model-repository.ts';
import { LANGUAGES, type Language } from '../../server/domain/dialogue.ts';
import { SCORER_TARGETS, type ScorerTarget } from '../../server/learn/learned-model.ts';
import { resolveProvider } from '../../server/providers/registry.ts';
import { createScorers } from '../../server/scorers/registry.ts';
import { goldLabels } from '../../server/services/gold-labels.ts';
import { caseFromDialogue, loadSuite } from '../../server/services/suites.ts';
import { CustomerRepository } from '../../server/storage/customer-repository.ts';
import type { Database } from '../../server/storage/database.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import { parseReply, type Scorer, type SuiteCase } from '../../server/domain/eval.ts';
import { defineCommand } from '../command.ts';
import { EXIT, type CommandIO } from '../io.ts';

const ScorerModel = { flags: '--scorer-model <latest|builtin|id>' } as const;
const Filters = {
  language: z.string().optional(),
  channel: z.string().optional(),
  intent: z.string().optional(),
  source: z.string().optional(),
  from: z.string().optional(),
  to: z.string().optional(),
};

export const score = defineCommand({
  name: 'score',
  description: 'judge each logged dialogue as a whole (monitoring), also ones ending with the customer; one JSON line per dialogue, also stored for trends',
  options: [
    { flags: '--out <file>', help: 'JSONL output: {"dialogue_id", "scores": {name: 0-1}, "reasons": {name: text}}', required: true, path: 'out' },
    { flags: '--scorers <list>', help: 'fcr,csat,tone,escalation,accuracy,safety (default fcr,csat,tone,escalation)' },
    { ...ScorerModel, help: 'learned models: the latest fitted on this store (default, else built-in), the built-in ones, or a model id (firstcall scorers list)' },
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--channel <channel>', help: 'only this channel' },
    { flags: '--intent <intent>', help: 'only this intent' },
    { flags: '--source <source>', help: 'only this source (e.g. production)' },
    { flags: '--from <YYYY-MM-DD>', help: 'started on or after' },
    { flags: '--to <YYYY-MM-DD>', help: 'started on or before' },
    { flags: '--judge <provider:model>', help: 'LLM judge for escalation, accuracy and safety instead of the offline rules' },
    { flags: '--json', help: 'print the summary as JSON' },
  ],
  args: z.object({
    out: z.string({ message: '--out FILE is required' }).min(1),
    scorers: z.string().optional(),
    scorerModel: z.string().default('latest'),
    judge: z.string().optional(),
    json: z.boolean().default(false),
    ...Filters,
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const names = args.scorers ? args.scorers.split(',').map((s) => s.trim()).filter((s) => s !== '') : [...DEFAULT_DIALOGUE_SCORERS];
    for (const n of names) if (!(DIALOGUE_SCORERS as readonly string[]).includes(n)) throw usageError(`score judges whole dialogues: scorers ${DIALOGUE_SCORERS.join(', ')} (not "${n}")`);
    const db = await openStore();
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const models = await resolveScorerModels(db, args.scorerModel);
    const out = resolve(args.out);
    const filters = { language: args.language, channel: args.channel, intent: args.intent, source: args.source, from: args.from, to: args.to };
    const result = await scoreLogs(db, { scorers: names as DialogueScorerName[], out, filters, models, judge });
    if (args.json) io.out(JSON.stringify(result));
    else {
      const unscored = Object.entries(result.unscored).map(([k, n]) => `${k} ${n}`);
      io.out(`scored ${result.scored} dialogues into ${out}; means: ${Object.entries(result.means).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ') || '-'}`);
      if (unscored.length > 0) io.out(`  not scored (reason in each line): ${unscored.join(', ')}`);
      const used = Object.entries(result.models).map(([lang, byTarget]) => `${lang} ${Object.entries(byTarget ?? {}).map(([t, m]) => `${t}=${m}`).join(' ')}`);
      if (used.length > 0) io.out(`  learned models: ${used.join('; ')}`);
    }
    return EXIT.ok;
  },
});

export const calibrateCommand = defineCommand({
  name: 'calibrate',
  description: "compare an automatic scorer with reviewers' labels (Cohen's kappa, Spearman, confusion matrix)",
  options: [
    { flags: '--scorer <name>', help: 'fcr | accuracy | tone', required: true },
    { flags: '--judge <provider:model>', help: 'also calibrate this LLM judge on the same labels and compare it with the offline (or --scorer-model learned) scorer' },
    { ...ScorerModel, help: 'calibrate the learned whole-dialogue model instead of the offline scorer (latest fitted, built-in, or a model id)' },
    { flags: '--suite <name>', help: "use this suite's cases (default: every gold-labeled dialogue)" },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    scorer: z.enum(CALIBRATABLE, { message: `--scorer must be one of ${CALIBRATABLE.join(', ')}` }),
    judge: z.string().optional(),
    scorerModel: z.string().optional(),
    suite: z.string().optional(),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const name = args.scorer;
    const db = await openStore();
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const [scorer] = args.scorerModel ? [await learnedCaseScorer(db, name, args.scorerModel)] : createScorers([name]);
    const cases = args.suite ? (await loadSuite(db, args.suite)).cases : await labeledCases(db);
    if (calibrationCases(cases, name).length === 0) throw usageError(`no labeled dialogues with a logged reply and a ${name} label to calibrate against`);
    if (judge) {
      const [judged] = createScorers([name], { judge });
      const comparison = await calibrateCompare(judged!, scorer!, cases);
      if (args.json) io.out(JSON.stringify(comparison));
      else printComparison(comparison, { judge: args.judge!, learned: args.scorerModel !== undefined }, io);
      return EXIT.ok;
    }
    const report = await calibrate(scorer!, cases);
    if (args.json) io.out(JSON.stringify(report));
    else printCalibration(report, io);
    return EXIT.ok;
  },
});

function printCalibration(report: CalibrationReport, io: CommandIO): void {
  io.out(`${report.scorer} (${report.method}) against reviewers' labels on ${report.n} dialogues`);
  io.out(`  Cohen's kappa ${report.kappa ?? '-'}${report.spearman !== null ? `   Spearman's rho ${report.spearman}` : ''}   exact agreement ${report.agreement ?? '-'}`);
  io.out(`  confusion (rows: reviewers, columns: scorer): ${report.labels.join(' / ')}`);
  report.confusion.forEach((row, i) => io.out(`    ${report.labels[i]!.padEnd(5)} ${row.map((n) => String(n).padStart(5)).join('')}`));
  io.out(`  ${report.verdict}`);
}

/** `calibrate --judge`: both blocks, then which agrees better with the reviewers. */
function printComparison(c: CalibrationComparison, { judge, learned }: { judge: string; learned: boolean }, io: CommandIO): void {
  const other = learned ? 'learned' : 'offline';
  io.out(`judge ${judge}`);
  printCalibration(c.judge, io);
  io.out('');
  // A learned scorer's method is `learned:<model ids>`.
  io.out(learned ? `learned ${c.offline.method.replace(/^learned:/, '')}` : 'offline');
  printCalibration(c.offline, io);
  io.out('');
  const kappa = (x: number | null) => (x === null ? '-' : x.toFixed(2));
  const diff = c.kappa_difference === null ? '' : ` (${c.kappa_difference >= 0 ? '+' : '−'}${Math.abs(c.kappa_difference).toFixed(2)})`;
  const verdict =
    c.better === 'judge' ? 'judge agrees better'
    : c.better === 'offline' ? `${other} agrees better`
    : c.better === 'tie' ? 'about the same (within 0.02)'
    : `cannot compare: ${c.judge.kappa === null ? 'the judge’s' : `the ${other} scorer’s`} kappa cannot be measured`;
  io.out(`judge κ ${kappa(c.judge.kappa)} vs ${other} κ ${kappa(c.offline.kappa)}${diff}: ${verdict}`);
}

/** Every gold-labeled dialogue as a case (its logged reply is what gets scored). */
async function labeledCases(db: Database): Promise<SuiteCase[]> {
  const dialogues = new DialogueRepository(db);
  const customers = new CustomerRepository(db);
  const cases: SuiteCase[] = [];
  for (const gold of await goldLabels(db)) {
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

export const scorersFit = defineCommand({
  name: 'scorers fit',
  description: "fit fcr, csat, tone and accuracy per language to the store's gold labels and logged outcomes; prints cross-validated agreement next to the model it would replace and to baselines; stores a new version when it has enough labels",
  options: [
    { flags: '--targets <list>', help: 'fcr,csat,tone,accuracy (default all)' },
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--min-per-side <n>', help: 'labels needed on each side (positive, negative) before a model is stored', default: '50' },
    { flags: '--from-scratch', help: 'do not fine-tune from the current model (warm start is the default)' },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    targets: z.string().optional(),
    language: z.enum(LANGUAGES, { message: `--language must be ${LANGUAGES.join(' or ')}` }).optional(),
    minPerSide: z.coerce.number({ message: '--min-per-side must be a number ≥ 1' }).min(1, '--min-per-side must be a number ≥ 1').optional(),
    fromScratch: z.boolean().default(false),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const targets = args.targets ? args.targets.split(',').map((t) => t.trim()) : [...SCORER_TARGETS];
    for (const t of targets) if (!(SCORER_TARGETS as readonly string[]).includes(t)) throw usageError(`--targets: ${SCORER_TARGETS.join(', ')} (not "${t}")`);
    const db = await openStore();
    const started = performance.now();
    const results = await fitScorers(db, {
      targets: targets as ScorerTarget[],
      languages: args.language ? [args.language as Language] : undefined,
      minPerSide: args.minPerSide,
      warmStart: !args.fromScratch,
    });
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    if (args.json) io.out(JSON.stringify({ seconds, results }));
    else printFit(results, seconds, io);
    return EXIT.ok;
  },
});

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

export const scorersList = defineCommand({
  name: 'scorers list',
  description: 'scorer models fitted on this store, newest first',
  options: [{ flags: '--json', help: 'print JSON' }],
  args: z.object({ json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const models = await new ScorerModelRepository(await openStore()).list();
    if (args.json) io.out(JSON.stringify({ models }));
    else if (models.length === 0) io.out('no scorer fitted on this store: the built-in models score (firstcall scorers fit)');
    else for (const m of models) io.out(`${m.id}  ${m.created_at}  ${m.labels} labels  warm start: ${m.warm_start ?? 'none'}  data ${m.data_sha256.slice(0, 12)}  ${String((m.card as { reason?: string }).reason ?? '')}`);
    return EXIT.ok;
  },
});
