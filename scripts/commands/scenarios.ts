// `firstcall scenarios build|list|show`: frozen, versioned scenario sets for simulated conversations.
import { z } from 'zod';
import { Language } from '../../server/domain/dialogue.ts';
import { buildScenarioSet, DEFAULT_SCENARIO_SETS_DIR, listScenarioSets, loadScenarioSet } from '../../server/services/scenarios.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

const ScenariosBuildArgs = z.object({
  name: z.string({ message: '--name NAME is required' }).min(1),
  language: Language.optional(),
  intent: z.string().optional(),
  from: z.iso.date({ message: '--from wants YYYY-MM-DD' }).optional(),
  to: z.iso.date({ message: '--to wants YYYY-MM-DD' }).optional(),
  fromFiles: z.string().optional(),
  files: z.boolean().default(true),
  synthetic: z.boolean().default(true),
  labeled: z.boolean().default(true),
  dir: z.string().optional(),
  json: z.boolean().default(false),
});

export const scenariosBuild = defineCommand({
  name: 'scenarios build',
  description: 'freeze scenarios (test-split dialogues with ground truth or gold labels, plus YAML files) into a versioned, content-hashed set (also written under evals/scenario-sets)',
  options: [
    { flags: '--name <name>', help: 'scenario set name', required: true },
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--intent <intent>', help: 'only this intent' },
    { flags: '--from <YYYY-MM-DD>', help: 'contacts on or after' },
    { flags: '--to <YYYY-MM-DD>', help: 'contacts on or before' },
    { flags: '--from-files <dir>', help: 'hand-written YAML scenarios (default evals/scenarios, else the shipped ones)', path: 'in' },
    { flags: '--no-files', help: 'no hand-written scenarios' },
    { flags: '--no-synthetic', help: "no scenarios from the synthetic generator's ground truth" },
    { flags: '--no-labeled', help: 'no scenarios from gold-labeled dialogues' },
    { flags: '--dir <dir>', help: 'where to write the reviewable file (default evals/scenario-sets)', path: 'out', pathDefault: DEFAULT_SCENARIO_SETS_DIR },
    { flags: '--json', help: 'print the result as JSON' },
  ],
  args: ScenariosBuildArgs,
  store: true,
  remote: true,
  async run(a, { io, openStore }) {
    const { set, created, path, counts, skipped } = await buildScenarioSet(await openStore(), {
      name: a.name,
      filters: { language: a.language, intent: a.intent, from: a.from, to: a.to },
      fromFiles: a.files ? a.fromFiles : null,
      synthetic: a.synthetic,
      labeled: a.labeled,
      dir: a.dir,
    });
    const info = { name: set.name, version: set.version, hash: set.hash, scenarios: set.scenarios.length, by_source: counts, skipped: skipped.length, created, path };
    if (a.json) io.out(JSON.stringify(info));
    else {
      const sources = `${counts.synthetic} from ground truth, ${counts.labeled} from labeled dialogues, ${counts.file} from files; ${skipped.length} dialogues skipped`;
      io.out(
        created
          ? `scenario set ${set.name} v${set.version}: ${set.scenarios.length} scenarios (${sources}; hash ${set.hash.slice(0, 12)}), written to ${path}`
          : `scenario set ${set.name} v${set.version} already holds exactly these ${set.scenarios.length} scenarios (hash ${set.hash.slice(0, 12)}); no new version`,
      );
    }
    return EXIT.ok;
  },
});

export const scenariosList = defineCommand({
  name: 'scenarios list',
  options: [{ flags: '--json', help: 'print JSON' }],
  args: z.object({ json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const sets = await listScenarioSets(await openStore());
    if (args.json) io.out(JSON.stringify(sets));
    else if (sets.length === 0) io.out('no scenario sets yet: firstcall scenarios build --name NAME');
    else for (const s of sets) io.out(`${s.name} v${s.version}  ${String(s.n_scenarios).padStart(5)} scenarios  ${s.hash.slice(0, 12)}  ${s.created_at}`);
    return EXIT.ok;
  },
});

export const scenariosShow = defineCommand({
  name: 'scenarios show',
  arguments: [{ key: 'name', syntax: '<name>', help: 'scenario set name' }],
  options: [
    { flags: '--version <n>', help: 'a version (default the latest)' },
    { flags: '--json', help: 'print the whole set as JSON' },
  ],
  args: z.object({ name: z.string().min(1), version: z.coerce.number().int().min(1, '--version must be at least 1').optional(), json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const set = await loadScenarioSet(await openStore(), args.name, args.version);
    if (args.json) {
      io.out(JSON.stringify(set));
      return EXIT.ok;
    }
    io.out(`scenario set ${set.name} v${set.version} (${set.scenarios.length} scenarios, hash ${set.hash.slice(0, 12)}, created ${set.created_at})`);
    for (const s of set.scenarios) {
      const opener = s.script[0]!.replace(/\s+/g, ' ');
      io.out(`${s.id.padEnd(28)} ${s.source.padEnd(9)} ${s.language} ${s.goal.intent.padEnd(20)} ${s.goal.outcome.padEnd(16)} ${s.expected.escalation ? 'escalate' : '        '} ${opener.slice(0, 50)}`);
    }
    return EXIT.ok;
  },
});
