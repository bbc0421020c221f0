// `firstcall suite build|list|show`: frozen eval suites from labeled dialogues.
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { Split } from '../../server/domain/eval.ts';
import { Language } from '../../server/domain/dialogue.ts';
import { buildSuite, listSuites, loadSuite } from '../../server/services/suites.ts';
import { openDatabase, resolveDbPath } from '../../server/storage/database.ts';
import { EXIT, type CommandIO } from '../io.ts';

const SuiteBuildArgs = z.object({
  name: z.string({ message: '--name NAME is required' }).min(1),
  db: z.string().optional(),
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

export async function suiteBuildCommand(input: z.input<typeof SuiteBuildArgs>, io: CommandIO): Promise<number> {
  const parsed = SuiteBuildArgs.safeParse(input);
  if (!parsed.success) throw usageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; '));
  const a = parsed.data;
  const db = await openDatabase(resolveDbPath(a.db));
  try {
    const { suite, created, path } = await buildSuite(db, {
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
  } finally {
    db.close();
  }
}

export async function suiteListCommand(args: { db?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const suites = await listSuites(db);
    if (args.json) io.out(JSON.stringify(suites));
    else if (suites.length === 0) io.out('no suites yet: firstcall suite build --name NAME');
    else for (const s of suites) io.out(`${s.name} v${s.version}  ${String(s.n_cases).padStart(5)} cases  ${s.split}  ${s.hash.slice(0, 12)}  ${s.created_at}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}

export async function suiteShowCommand(name: string, args: { db?: string; version?: string; json?: boolean }, io: CommandIO): Promise<number> {
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const suite = await loadSuite(db, name, args.version ? Number(args.version) : undefined);
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
  } finally {
    db.close();
  }
}
