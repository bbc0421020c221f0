// Every `firstcall` command, in the order `firstcall --help` lists them. A new command is a module in
// this folder (defineCommand) plus one line here.
import type { AnyCommand } from '../command.ts';
import { demo } from './demo.ts';
import { evalCommand } from './eval.ts';
import { finetuneBuild } from './finetune-build.ts';
import { finetuneStatus, finetuneSubmit } from './finetune-jobs.ts';
import { generate } from './generate.ts';
import { ingest } from './ingest.ts';
import { insightsCommand } from './insights.ts';
import { intentsAssign, intentsDiscover, intentsFit } from './intents.ts';
import { langfusePublish, langfusePull, langfusePushDataset, langfusePushScores } from './langfuse.ts';
import { keysCreate, keysList, keysRevoke, labelsExport, labelsImport } from './labels.ts';
import { promoteCommand, rollbackCommand } from './promote.ts';
import { importPromptfooCommand } from './promptfoo.ts';
import { calibrateCommand, score, scorersFit, scorersList } from './score.ts';
import { serve } from './serve.ts';
import { exportStore, quarantine, stats } from './store.ts';
import { scenariosBuild, scenariosList, scenariosShow } from './scenarios.ts';
import { simulateCommand } from './simulate.ts';
import { suiteBuild, suiteList, suiteShow } from './suite.ts';
import { workerCommand } from './worker.ts';

export const COMMANDS: readonly AnyCommand[] = [
  ingest,
  stats,
  exportStore,
  quarantine,
  generate,
  demo,
  serve,
  keysCreate,
  keysList,
  keysRevoke,
  labelsImport,
  labelsExport,
  suiteBuild,
  suiteList,
  suiteShow,
  evalCommand,
  scenariosBuild,
  scenariosList,
  scenariosShow,
  simulateCommand,
  workerCommand,
  score,
  insightsCommand,
  calibrateCommand,
  scorersFit,
  scorersList,
  intentsFit,
  intentsAssign,
  intentsDiscover,
  promoteCommand,
  rollbackCommand,
  finetuneBuild,
  finetuneSubmit,
  finetuneStatus,
  langfusePull,
  langfusePushScores,
  langfusePushDataset,
  langfusePublish,
  importPromptfooCommand,
] as AnyCommand[];

/** Descriptions of the words that group subcommands (`firstcall suite …`). */
export const GROUPS: Readonly<Record<string, string>> = {
  keys: 'API keys (roles: reviewer, engineer, admin, bot)',
  labels: 'labels as JSONL (dialogue_id, reviewer and the label fields)',
  suite: 'frozen, versioned eval suites from labeled dialogues',
  scenarios: 'frozen, versioned scenario sets for simulated conversations (firstcall simulate)',
  scorers: 'learned whole-dialogue scorers fitted on this store',
  intents: 'an intent for every dialogue: the classifier, assignment, and candidate new topics',
  finetune: 'fine-tuning sets from labeled dialogues, and jobs on OpenAI-compatible services',
  langfuse: 'Langfuse interop: import production traces as dialogues; push scores, suites as datasets and promoted prompts back',
  import: 'runs from other tools: promptfoo results (firstcall export promptfoo writes the config)',
};
