// `firstcall score` (production monitoring of logged dialogues) and `firstcall calibrate`
// (an automatic scorer against reviewers' labels).
import { resolve } from 'node:path';
import { usageError } from '../../server/domain/errors.ts';
import { calibrate, calibrationCases, CALIBRATABLE, type Calibratable } from '../../server/eval/calibrate.ts';
import { LOG_SCORERS, scoreLogs } from '../../server/eval/monitor.ts';
import { resolveProvider } from '../../server/providers/registry.ts';
import { createScorers } from '../../server/scorers/registry.ts';
import { LabelingService } from '../../server/services/labeling.ts';
import { caseFromDialogue, loadSuite } from '../../server/services/suites.ts';
import { CustomerRepository } from '../../server/storage/customer-repository.ts';
import { openDatabase, resolveDbPath, type Database } from '../../server/storage/database.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import type { SuiteCase } from '../../server/domain/eval.ts';
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
}

export async function scoreCommand(args: ScoreArgs, io: CommandIO): Promise<number> {
  if (!args.out) throw usageError('--out FILE is required');
  const names = (args.scorers ?? LOG_SCORERS.join(',')).split(',').map((s) => s.trim());
  for (const n of names) if (!(LOG_SCORERS as readonly string[]).includes(n)) throw usageError(`score runs on logs: scorers ${LOG_SCORERS.join(', ')} (not "${n}")`);
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const result = await scoreLogs(db, createScorers(names, { judge }), resolve(args.out), args);
    if (args.json) io.out(JSON.stringify(result));
    else io.out(`scored ${result.scored} dialogues (${result.skipped} without an agent reply skipped) into ${resolve(args.out)}; means: ${Object.entries(result.means).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export async function calibrateCommand(args: { db?: string; scorer?: string; judge?: string; suite?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const name = args.scorer as Calibratable;
  if (!CALIBRATABLE.includes(name)) throw usageError(`--scorer must be one of ${CALIBRATABLE.join(', ')}`);
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const judge = args.judge ? resolveProvider(args.judge) : undefined;
    const [scorer] = createScorers([name], { judge });
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
