// `firstcall export promptfoo` (a kind of `firstcall export`, see store.ts) and `firstcall import
// promptfoo RESULTS.json`: a suite and candidates out to promptfoo, promptfoo's results back in as runs.
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { exportPromptfoo, importPromptfoo, readPromptfooResults } from '../../server/services/promptfoo.ts';
import { defineCommand, type CommandContext } from '../command.ts';
import { EXIT } from '../io.ts';

export interface ExportPromptfooArgs {
  out: string;
  suite?: string | undefined;
  suiteVersion?: number | undefined;
  candidate: string[];
  scorers?: string | undefined;
  json: boolean;
}

/** The body of `firstcall export promptfoo --suite N --candidate FILE … --out DIR`. */
export async function runExportPromptfoo(args: ExportPromptfooArgs, { io, openStore }: CommandContext): Promise<number> {
  if (!args.suite) throw usageError('export promptfoo needs --suite NAME');
  if (args.candidate.length === 0) throw usageError('export promptfoo needs at least one --candidate FILE');
  const scorers = args.scorers?.split(',').map((s) => s.trim()).filter(Boolean);
  const result = await exportPromptfoo(await openStore(), { suite: args.suite, suiteVersion: args.suiteVersion, candidates: args.candidate, scorers, out: args.out });
  if (args.json) {
    io.out(JSON.stringify(result));
    return EXIT.ok;
  }
  io.out(`wrote ${result.config}: suite ${result.suite.name} v${result.suite.version} (${result.suite.cases} cases), ${result.candidates.map((c) => `${c.name} [${c.model}]`).join(', ')}; scorers ${result.scorers.join(', ')}`);
  io.out(`run it:\n  ${result.command}\nthen:\n  firstcall import promptfoo ${result.dir}/results.json`);
  return EXIT.ok;
}

export const importPromptfooCommand = defineCommand({
  name: 'import promptfoo',
  description: 'store the results of promptfoo eval -o out.json (a config from firstcall export promptfoo) as runs beside firstcall’s, one per provider',
  arguments: [{ key: 'file', syntax: '<file>', help: 'the results file promptfoo wrote (-o out.json)', path: 'in' }],
  options: [{ flags: '--json', help: 'print the result as JSON' }],
  args: z.object({ file: z.string().min(1, '<file> is required'), json: z.boolean().default(false) }),
  store: true,
  remote: true,
  // The file is checked before the store is opened: a bad file costs nothing.
  async run(args, { io, openStore }) {
    const results = readPromptfooResults(args.file);
    const imported = await importPromptfoo(await openStore(), results);
    if (args.json) {
      io.out(JSON.stringify(imported));
      return EXIT.ok;
    }
    for (const run of imported.runs) {
      const what = run.already ? 'already imported' : `${run.results} results on ${run.cases} cases${run.errors > 0 ? `, ${run.errors} failed` : ''}, ${run.status}`;
      io.out(`${run.run_id}  ${run.candidate}: ${what}`);
    }
    io.out(`suite ${imported.suite.name} v${imported.suite.version}: see firstcall's leaderboard and compare views (source: promptfoo${imported.eval_id ? ` ${imported.eval_id}` : ''})`);
    if (imported.skipped_providers.length > 0) io.err(`not imported (not firstcall candidates): ${imported.skipped_providers.join(', ')}`);
    if (imported.skipped_rows > 0) io.err(`not imported: ${imported.skipped_rows} results of tests without a case_id`);
    return EXIT.ok;
  },
});
