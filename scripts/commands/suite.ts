// `firstcall suite build|list|show`: frozen eval suites from labeled dialogues.
import { z } from 'zod';
import { Split } from '../../server/domain/eval.ts';
import { Language } from '../../server/domain/dialogue.ts';
import { buildSuite, DEFAULT_SUITES_DIR, listSuites, loadSuite } from '../../server/services/suites.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

const SuiteBuildArgs = z.object({
  name: z.string({ message: '--name NAME is required' }).min(1),
  language: Language.optional(),
  channel: z.string().optional(),
  intent: z.string().optional(),
  from: z.iso.date({ message: '--from wants YYYY-MM-DD' }).optional(),
  to: z.iso.date({ message: '--to wants YYYY-MM-DD' }).optional(),
  labeledOnly: z.boolean().default(true),
  size: z.coerce.number().int().min(1, '--size must be at least 1').optional(),
  split: Split.default('test'),
  dir: z.string().optional(),
  json: z.boolean().default(false),
});

export const suiteBuild = defineCommand({
  name: 'suite build',
  description: 'freeze labeled dialogues of one split into a versioned, content-hashed suite (also written under evals/suites)',
  options: [
    { flags: '--name <name>', help: 'suite name', required: true },
    { flags: '--language <zh|en>', help: 'only this language' },
    { flags: '--channel <channel>', help: 'only this channel' },
    { flags: '--intent <intent>', help: 'only this intent' },
    { flags: '--from <YYYY-MM-DD>', help: 'dialogues started on or after' },
    { flags: '--to <YYYY-MM-DD>', help: 'dialogues started on or before' },
    { flags: '--no-labeled-only', help: 'also use dialogues whose logs carry a reference answer (e.g. Bitext, synthetic)' },
    { flags: '--size <n>', help: 'at most this many cases, stratified by intent and language' },
    { flags: '--split <split>', help: 'which split', choices: ['train', 'dev', 'test'], default: 'test' },
    { flags: '--dir <dir>', help: 'where to write the reviewable file (default evals/suites)', path: 'out', pathDefault: DEFAULT_SUITES_DIR },
    { flags: '--json', help: 'print the result as JSON' },
  ],
  args: SuiteBuildArgs,
  store: true,
  remote: true,
  async run(a, { io, openStore }) {
    const { suite, created, path } = await buildSuite(await openStore(), {
      name: a.name,
      split: a.split,
      size: a.size,
      dir: a.dir,
      filters: { language: a.language, channel: a.channel, intent: a.intent, from: a.from, to: a.to, labeled_only: a.labeledOnly },
    });
    const info = { name: suite.name, version: suite.version, hash: suite.hash, cases: suite.cases.length, split: suite.split, created, path };
    if (a.json) io.out(JSON.stringify(info));
    else
      io.out(
        created
          ? `suite ${suite.name} v${suite.version}: ${suite.cases.length} cases from the ${suite.split} split (hash ${suite.hash.slice(0, 12)}), written to ${path}`
          : `suite ${suite.name} v${suite.version} already holds exactly these ${suite.cases.length} cases (hash ${suite.hash.slice(0, 12)}); no new version`,
      );
    return EXIT.ok;
  },
});

export const suiteList = defineCommand({
  name: 'suite list',
  options: [{ flags: '--json', help: 'print JSON' }],
  args: z.object({ json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const suites = await listSuites(await openStore());
    if (args.json) io.out(JSON.stringify(suites));
    else if (suites.length === 0) io.out('no suites yet: firstcall suite build --name NAME');
    else for (const s of suites) io.out(`${s.name} v${s.version}  ${String(s.n_cases).padStart(5)} cases  ${s.split}  ${s.hash.slice(0, 12)}  ${s.created_at}`);
    return EXIT.ok;
  },
});

export const suiteShow = defineCommand({
  name: 'suite show',
  arguments: [{ key: 'name', syntax: '<name>', help: 'suite name' }],
  options: [
    { flags: '--version <n>', help: 'a version (default the latest)' },
    { flags: '--json', help: 'print the whole suite as JSON' },
  ],
  args: z.object({ name: z.string().min(1), version: z.coerce.number().int().min(1, '--version must be at least 1').optional(), json: z.boolean().default(false) }),
  store: true,
  remote: true,
  async run(args, { io, openStore }) {
    const suite = await loadSuite(await openStore(), args.name, args.version);
    if (args.json) {
      io.out(JSON.stringify(suite));
      return EXIT.ok;
    }
    io.out(`suite ${suite.name} v${suite.version} (${suite.split} split, ${suite.cases.length} cases, hash ${suite.hash.slice(0, 12)}, created ${suite.created_at})`);
    for (const c of suite.cases) {
      const message = c.customer_message.replace(/\s+/g, ' ');
      io.out(`${c.case_id.padEnd(28)} ${c.dialogue_id.padEnd(24)} ${c.language} ${(c.intent ?? '-').padEnd(20)} ${c.expected_escalation ? 'escalate' : '        '} ${message.slice(0, 60)}`);
    }
    return EXIT.ok;
  },
});
