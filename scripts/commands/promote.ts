// `firstcall promote` and `firstcall rollback`: move a channel's config pointer.
import { usageError } from '../../server/domain/errors.ts';
import { ConfigLabel, promote, rollback } from '../../server/promotion/configs.ts';
import { openDatabase, resolveDbPath } from '../../server/storage/database.ts';
import { EXIT, type CommandIO } from '../io.ts';

export async function promoteCommand(args: { db?: string; run?: string; candidate?: string; channel?: string; label?: string; force?: string; by?: string; json?: boolean }, io: CommandIO): Promise<number> {
  if (!args.run || !args.channel) throw usageError('--run RUN and --channel CH are required');
  const label = ConfigLabel.safeParse(args.label ?? 'production');
  if (!label.success) throw usageError('--label must be production or staging');
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    if (args.candidate) {
      const [row] = await db.all<{ candidate_name: string; candidate_hash: string }>('SELECT candidate_name, candidate_hash FROM eval_runs WHERE id = $id', { id: args.run });
      if (row && args.candidate !== row.candidate_name && args.candidate !== row.candidate_hash) {
        throw usageError(`run ${args.run} evaluated ${row.candidate_name} (${row.candidate_hash}), not ${args.candidate}`);
      }
    }
    try {
      const result = await promote(db, { runId: args.run, channel: args.channel, label: label.data, by: args.by ?? process.env.USER ?? 'cli', force: args.force });
      if (args.json) io.out(JSON.stringify(result));
      else {
        for (const c of result.decision.checks) io.out(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
        io.out(`${args.channel} ${label.data} -> ${result.version}${result.forced ? ` (forced: ${args.force})` : ''}${result.previous ? ` (was ${result.previous})` : ''}`);
      }
      return EXIT.ok;
    } catch (error) {
      const decision = (error as { decision?: { checks: { passed: boolean; name: string; detail: string }[] } }).decision;
      if (!decision) throw error;
      if (args.json) io.out(JSON.stringify({ refused: true, decision }));
      else for (const c of decision.checks) io.out(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
      io.err(`firstcall: promotion refused by the gate (--force "reason" to override, recorded)`);
      return EXIT.failed;
    }
  } finally {
    db.close();
  }
}

export async function rollbackCommand(args: { db?: string; channel?: string; label?: string; by?: string }, io: CommandIO): Promise<number> {
  if (!args.channel) throw usageError('--channel CH is required');
  const label = ConfigLabel.safeParse(args.label ?? 'production');
  if (!label.success) throw usageError('--label must be production or staging');
  const db = await openDatabase(resolveDbPath(args.db));
  try {
    const { from, to } = await rollback(db, args.channel, args.by ?? process.env.USER ?? 'cli', label.data);
    io.out(`${args.channel} ${label.data}: ${from} -> ${to}`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
