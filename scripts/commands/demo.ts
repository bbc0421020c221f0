// `firstcall demo`: the main job on the shipped sample data with offline defaults — ingest the real
// data subsets and a seeded synthetic zh/en sample, estimate FCR from the logs, evaluate replies,
// simulate whole conversations (local:agent and local:kb), promote the conversation-evaluated
// local:agent through the gate, run the early warning (it finds the planted spike), create keys,
// then serve the API and the web UI.
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ingestFiles } from '../../server/ingest/ingest-service.ts';
import { createApiKey } from '../../server/services/api-keys.ts';
import { putSettings } from '../../server/services/settings.ts';
import { refreshFcrEstimates } from '../../server/services/fcr-from-logs.ts';
import { openDatabase } from '../../server/storage/database.ts';
import { DialogueRepository } from '../../server/storage/dialogue-repository.ts';
import { writeCorpus } from '../../server/synthetic/write-corpus.ts';
import { DEFAULT_UI_DIR } from '../../server/app.ts';
import { evaluate } from '../../server/services/evaluate.ts';
import { buildSuite } from '../../server/services/suites.ts';
import { CHANNELS as DEFAULT_CHANNELS } from '../../server/domain/promotion.ts';
import { promote } from '../../server/services/promotion.ts';
import { importSyntheticTruth } from '../../server/synthetic/truth-labels.ts';
import { buildScenarioSet } from '../../server/services/scenarios.ts';
import { simulate } from '../../server/services/simulate.ts';
import { renderConversationText } from '../../server/simulate/conversation-report.ts';
import { buildFinetuneSet } from '../../server/finetune/build-set.ts';
import { alertLine } from '../../server/insights/alerts-format.ts';
import { InsightsService } from '../../server/services/insights.ts';
import { z } from 'zod';
import { defineCommand, type AnyCommand } from '../command.ts';
import { EXIT, type CommandIO } from '../io.ts';
import { describeStats } from './store.ts';
import { DEFAULT_PORT, startServer, untilSignal } from './serve.ts';

const ROOT = join(import.meta.dirname, '..', '..');
export const DEMO_SEED = 42;
export const DEMO_SYNTHETIC_DIALOGUES = 800;
const DEMO_CANDIDATES = ['kb-concise', 'kb-empathetic', 'kb-strict', 'human-replay'].map((n) => `evals/candidates/${n}.yaml`);
/** Simulated conversations: the grounded tool-using agent against the FAQ bot. */
const DEMO_CONVERSATION_CANDIDATES = ['agent-empathetic', 'kb-empathetic'].map((n) => `evals/candidates/${n}.yaml`);
export const DEMO_TRIALS = 3;
/** Repair questions about one TV model suddenly rise on one day. */
export const DEMO_SPIKE = { intent: 'warranty_claim', model: 'Vista 65 Mini LED', date: '2026-06-20', count: 14 } as const;

/** The shipped real-data subsets: every data file under datasets/ (licences and READMEs excluded). */
export function sampleFiles(datasets = join(ROOT, 'datasets')): string[] {
  return readdirSync(datasets, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(datasets, d.name)).filter((f) => /\.(csv|jsonl|json)$/.test(f)).map((f) => join(datasets, d.name, f)))
    .sort();
}

export async function buildUi(io: CommandIO): Promise<void> {
  if (existsSync(join(DEFAULT_UI_DIR, 'index.html'))) return;
  io.err('building the web UI (once) …');
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'ui', 'vite.config.ts'), logLevel: 'warn' });
}

// Its own `--db` (not the shared store option): the demo store has its own default and is recreated.
export const demo = defineCommand({
  name: 'demo',
  description: 'the whole loop on the shipped sample data, with offline defaults, then the server and UI',
  options: [
    { flags: '--db <file>', help: 'database file (default ./data/demo.duckdb, recreated)' },
    { flags: '--keep', help: 'keep an existing demo database instead of recreating it' },
    { flags: '--port <n>', help: 'port to serve on', default: String(DEFAULT_PORT) },
    { flags: '--no-serve', help: 'stop after loading the data, without starting the server' },
  ],
  args: z.object({
    db: z.string().min(1).optional(),
    keep: z.boolean().default(false),
    port: z.coerce.number().int('--port must be a whole number').min(0).max(65_535).default(DEFAULT_PORT),
    serve: z.boolean().default(true),
  }),
  run: (args, { io, commands }) => runDemo(args, io, commands),
});

async function runDemo(args: { db?: string; keep: boolean; serve: boolean; port: number }, io: CommandIO, commands: readonly AnyCommand[]): Promise<number> {
  const path = resolve(args.db ?? join('data', 'demo.duckdb'));
  if (!args.keep) for (const f of [path, `${path}.wal`]) rmSync(f, { force: true });
  const db = await openDatabase(path);
  try {
    io.out(`firstcall demo — store ${path}`);
    mkdirSync(resolve('data'), { recursive: true });
    const synthetic = join(resolve('data'), `demo-synthetic-${DEMO_SEED}.jsonl`);
    // Six months of contacts, with one planted spike for the early warning (step 7).
    const generated = await writeCorpus({ n: DEMO_SYNTHETIC_DIALOGUES, seed: DEMO_SEED, out: synthetic, plantSpike: DEMO_SPIKE });
    io.out(`1. generated ${generated.dialogues} synthetic zh/en dialogues and ${generated.customers} CRM profiles (seed ${DEMO_SEED}; ${DEMO_SPIKE.count} of them a planted spike: ${DEMO_SPIKE.intent} about the ${DEMO_SPIKE.model} on ${DEMO_SPIKE.date})`);

    const files = [...sampleFiles(), synthetic];
    const summary = await ingestFiles(db, { paths: files });
    io.out(`2. ingested ${files.length} files: ${summary.loaded} dialogues, ${summary.customers} customers, ${summary.quarantined} quarantined, ${summary.duplicates} duplicates`);
    io.out(`   redacted: ${Object.entries(summary.redacted).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`);

    // Two reviewers label each dialogue in the demo, so agreement has something to show.
    await putSettings(db, { overlap: 2, fcr_window_days: 7 }, 'demo');
    const fcr = await refreshFcrEstimates(db, 7);
    io.out(`   FCR estimated from the logs (7-day window): yes ${fcr.yes ?? 0}, no ${fcr.no ?? 0}, unclear ${fcr.unclear ?? 0}`);
    io.out('\n3. the store now holds:');
    io.out(describeStats(await new DialogueRepository(db).stats()));

    // The synthetic sample carries its ground truth: it becomes gold labels until reviewers label.
    const imported = await importSyntheticTruth(db);
    const { suite } = await buildSuite(db, { name: 'demo', split: 'test', dir: join(resolve('data'), 'suites') });
    io.out(`\n4. ${imported} gold labels from the synthetic sample's ground truth; suite demo v${suite.version}: ${suite.cases.length} labeled cases from the test split (hash ${suite.hash.slice(0, 12)})`);
    const { report } = await evaluate(db, { suite: 'demo', candidates: DEMO_CANDIDATES, root: ROOT, cache: 'off' });
    io.out('   candidate        model          composite  fcr   accuracy  tone  escalation  run');
    for (const c of [...report.candidates].sort((a, b) => (b.summary.metrics.composite?.mean ?? 0) - (a.summary.metrics.composite?.mean ?? 0))) {
      const m = (name: string) => (c.summary.metrics[name]?.mean ?? 0).toFixed(2);
      io.out(`   ${c.name.padEnd(16)} ${c.model.padEnd(14)} ${m('composite').padEnd(10)} ${m('fcr')}  ${m('accuracy').padEnd(8)}  ${m('tone')}  ${m('escalation').padEnd(10)}  ${c.run_id}`);
    }
    io.out('   (replay:human replays the logged agent replies: the baseline a bot has to beat)');

    const set = await buildFinetuneSet(db, { name: 'demo', format: 'openai', out: join(resolve('data'), 'finetune', 'demo') });
    io.out(`   fine-tuning set demo v${set.card.version}: ${set.card.examples.train} train + ${set.card.examples.val} val examples (openai format, train split only, ${set.card.exclusions.total} excluded) in ${set.dir}`);

    // Whole conversations: scenarios from the synthetic ground truth (test split) and evals/scenarios,
    // each played by the offline customer against local:agent and local:kb, three times.
    const scenarios = await buildScenarioSet(db, { name: 'demo', labeled: false, fromFiles: join(ROOT, 'evals', 'scenarios'), dir: join(resolve('data'), 'scenario-sets') });
    io.out(
      `\n5. scenario set demo v${scenarios.set.version}: ${scenarios.set.scenarios.length} scenarios (${scenarios.counts.synthetic} from the synthetic ground truth, ${scenarios.counts.file} from evals/scenarios), simulated ${DEMO_TRIALS} times per candidate:`,
    );
    const simulated = await simulate(db, { scenarios: 'demo', candidates: DEMO_CONVERSATION_CANDIDATES, root: ROOT, trials: DEMO_TRIALS, cache: 'off' });
    io.out(renderConversationText(simulated.report).split('\n').map((l) => `   ${l}`).join('\n'));

    // The conversation-evaluated local:agent config goes to production on every channel, through the gate.
    const agent = simulated.report.candidates.find((c) => c.model === 'local:agent')!;
    for (const channel of DEFAULT_CHANNELS) {
      const promoted = await promote(db, { runId: agent.run_id, channel, by: 'demo' });
      if (channel === 'web') {
        io.out(`\n6. promoted ${agent.name} (local:agent, conversation run ${agent.run_id}) to production on ${DEFAULT_CHANNELS.join(', ')} (${promoted.version}); gate checks:`);
        for (const c of promoted.decision.checks) io.out(`   ${c.passed ? 'pass' : 'FAIL'}  ${c.name}: ${c.detail}`);
      }
    }

    // Early warning over the last four weeks: the planted spike is found, the other weeks stay quiet.
    const detection = await new InsightsService(db).detect({ notify: false });
    io.out(`\n7. early warning over ${detection.from} .. ${detection.to} (${detection.tests.spike} spike tests; Benjamini–Hochberg at q = 0.05): ${detection.open.length} open alert(s)`);
    for (const a of detection.open) io.out(`   ${alertLine(a)}\n     examples: ${a.example_ids.join(', ')}`);
    io.out('   firstcall insights prints them with the weekly trends (exit 1 while alerts are open); GET /api/insights/alerts serves them');

    if (!args.serve) return EXIT.ok;
    await buildUi(io);
    const keys = {
      reviewer: (await createApiKey(db, 'reviewer', 'alice')).key,
      reviewer2: (await createApiKey(db, 'reviewer', 'bob')).key,
      admin: (await createApiKey(db, 'admin', 'admin')).key,
      bot: (await createApiKey(db, 'bot', 'demo-bot')).key,
    };
    const server = await startServer(db, { port: args.port, commands });
    io.out(`\n8. firstcall is serving at ${server.url}`);
    io.out(`   sign in as reviewer alice: ${keys.reviewer}`);
    io.out(`   second reviewer bob:       ${keys.reviewer2}`);
    io.out(`   admin:                     ${keys.admin}`);
    io.out(`   bot:                       ${keys.bot}`);
    io.out(`   curl -i -H 'Authorization: Bearer ${keys.bot}' ${server.url}v1/configs/web`);
    io.out(`   curl -s -H 'Authorization: Bearer ${keys.bot}' -H 'content-type: application/json' ${server.url}v1/answer -d '{"channel":"web","messages":[{"role":"customer","text":"I want to talk to a human!"}]}'`);
    io.out('   press ? in the labeling view for the keyboard shortcuts; Ctrl-C stops the server.');
    await untilSignal();
    await server.close();
    return EXIT.ok;
  } finally {
    db.close();
  }
}
