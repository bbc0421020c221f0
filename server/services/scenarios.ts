// Scenario sets as a use case: derive scenarios from the store (test-split dialogues with the
// synthetic ground truth or a gold label, and their customers' records, through buildScenarios) plus
// hand-written YAML files, freeze them as a versioned, content-hashed set (the same scenarios keep
// the version), store it and write a reviewable file evals/scenario-sets/NAME/vK.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Customer } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { SuiteFilters } from '../domain/eval.ts';
import { buildScenarios, type BuildScenariosResult } from '../scenarios/build-scenarios.ts';
import { loadScenarioFiles } from '../scenarios/load-scenario-files.ts';
import { Scenario } from '../scenarios/scenario.ts';
import { freezeScenarioSet, ScenarioSet } from '../scenarios/scenario-set.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { DialogueSelectionRepository } from '../storage/dialogue-selection-repository.ts';
import { ScenarioSetRepository, type ScenarioSetInfo } from '../storage/scenario-set-repository.ts';
import { REPO_ROOT } from './evaluate.ts';
import { goldLabels } from './gold-labels.ts';
import { splitOf } from './splits.ts';

/** Relative to the working directory, like suites. */
export const DEFAULT_SCENARIO_SETS_DIR = join('evals', 'scenario-sets');
/** Hand-written scenarios: `evals/scenarios` of the working directory, else the shipped ones. */
export const DEFAULT_SCENARIO_FILES_DIR = join('evals', 'scenarios');

export interface BuildScenarioSetOptions {
  name: string;
  filters?: Pick<Partial<SuiteFilters>, 'language' | 'intent' | 'from' | 'to' | 'channel'>;
  /** Folder of YAML scenarios (default evals/scenarios); null for none. */
  fromFiles?: string | null;
  /** Scenarios from the synthetic generator's ground truth (default true). */
  synthetic?: boolean;
  /** Scenarios from gold-labeled dialogues (default true). */
  labeled?: boolean;
  /** Where the reviewable file goes (default evals/scenario-sets). */
  dir?: string;
  now?: Date;
}

export interface BuildScenarioSetResult {
  set: ScenarioSet;
  created: boolean;
  path: string;
  counts: { file: number; synthetic: number; labeled: number };
  skipped: BuildScenariosResult['skipped'];
}

export async function buildScenarioSet(db: Database, options: BuildScenarioSetOptions): Promise<BuildScenarioSetResult> {
  const name = ScenarioSet.shape.name.parse(options.name);
  const filters = SuiteFilters.parse({ ...options.filters, labeled_only: false });
  const wantSynthetic = options.synthetic ?? true;
  const wantLabeled = options.labeled ?? true;

  let fromStore: Scenario[] = [];
  let skipped: BuildScenariosResult['skipped'] = [];
  if (wantSynthetic || wantLabeled) {
    // Test split only, like suites: fine-tuning sets (train) never hold a scenario's dialogue.
    const ids = (await new DialogueSelectionRepository(db).suiteSources(filters)).map((r) => r.id).filter((id) => splitOf(id) === 'test').sort();
    const dialogues = [];
    const customerIds = new Set<string>();
    const repo = new DialogueRepository(db);
    for (const id of ids) {
      const d = await repo.get(id);
      if (!d) continue;
      dialogues.push(d);
      if (d.customer_id) customerIds.add(d.customer_id);
    }
    const customerRepo = new CustomerRepository(db);
    const customers: Customer[] = [];
    for (const id of [...customerIds].sort()) {
      const c = await customerRepo.get(id);
      if (c) customers.push(c);
    }
    const built = buildScenarios({ dialogues, customers, goldLabels: await goldLabels(db) });
    fromStore = built.scenarios.filter((s) => (s.source === 'synthetic' ? wantSynthetic : wantLabeled));
    skipped = built.skipped;
  }

  const filesDir = options.fromFiles === null ? null : scenarioFilesDir(options.fromFiles);
  const fromFiles = filesDir === null ? [] : (await loadScenarioFiles(filesDir)).filter((s) => matches(s, filters));
  const scenarios = [...fromFiles, ...fromStore];
  const ids = new Set<string>();
  for (const s of scenarios) {
    if (ids.has(s.id)) throw new AppError('usage', `scenario id ${s.id} is used twice (a file and the store): rename the file's scenario`);
    ids.add(s.id);
  }
  if (scenarios.length === 0) {
    throw new AppError('usage', `no scenarios for set ${name}: no test-split dialogue with ground truth or a gold label matches the filters, and no scenario file does${filesDir ? ` (${filesDir})` : ''}`);
  }

  const sets = new ScenarioSetRepository(db);
  const latest = await sets.latest(name);
  const { set, created } = freezeScenarioSet(name, scenarios, latest ?? null, options.now);
  if (!created) {
    const stored = await loadScenarioSet(db, name, set.version);
    return { set: stored, created: false, path: writeSetFile(stored, options.dir), counts: countBySource(stored.scenarios), skipped };
  }
  await sets.insert(set);
  return { set, created: true, path: writeSetFile(set, options.dir), counts: countBySource(set.scenarios), skipped };
}

function scenarioFilesDir(dir: string | undefined): string | null {
  if (dir !== undefined) {
    const full = resolve(dir);
    if (!existsSync(full)) throw new AppError('usage', `--from-files: no folder ${full}`);
    return full;
  }
  const local = resolve(DEFAULT_SCENARIO_FILES_DIR);
  if (existsSync(local)) return local;
  const shipped = join(REPO_ROOT, DEFAULT_SCENARIO_FILES_DIR);
  return existsSync(shipped) ? shipped : null;
}

/** The same filters as the store's dialogues, applied to a hand-written scenario. */
function matches(s: Scenario, f: SuiteFilters): boolean {
  return (
    (f.language === undefined || s.language === f.language) &&
    (f.intent === undefined || s.goal.intent === f.intent) &&
    (f.channel === undefined || s.channel === f.channel) &&
    (f.from === undefined || s.contact_date >= f.from) &&
    (f.to === undefined || s.contact_date <= f.to)
  );
}

function countBySource(scenarios: readonly Scenario[]) {
  const counts = { file: 0, synthetic: 0, labeled: 0 };
  for (const s of scenarios) counts[s.source]++;
  return counts;
}

function writeSetFile(set: ScenarioSet, dir?: string): string {
  const folder = join(resolve(dir ?? DEFAULT_SCENARIO_SETS_DIR), set.name);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `v${set.version}.json`);
  writeFileSync(path, `${JSON.stringify(set, null, 2)}\n`);
  return path;
}

export async function loadScenarioSet(db: Database, name: string, version?: number): Promise<ScenarioSet> {
  const stored = await new ScenarioSetRepository(db).get(name, version);
  if (!stored) throw new AppError('not_found', `no scenario set ${name}${version ? ` v${version}` : ''}; build one with firstcall scenarios build --name ${name}`);
  return ScenarioSet.parse({ ...stored, scenarios: stored.scenarios.map((s) => Scenario.parse(s)) });
}

export function listScenarioSets(db: Database): Promise<ScenarioSetInfo[]> {
  return new ScenarioSetRepository(db).list();
}
