// `firstcall promote` and `firstcall rollback`: move a channel's config pointer.
import { z } from 'zod';
import { usageError } from '../../server/domain/errors.ts';
import { ConfigLabel, PromotionRefusedError } from '../../server/domain/promotion.ts';
import { promote, rollback } from '../../server/services/promotion.ts';
import { EvalRunRepository } from '../../server/storage/eval-run-repository.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

const Label = z.enum(ConfigLabel.options, { message: '--label must be production or staging' }).default('production');

export const promoteCommand = defineCommand({
  name: 'promote',
  description: "make a run's candidate a channel's production (or staging) config, if it passes the gate",
  options: [
    { flags: '--run <run>', help: 'eval run id', required: true },
    { flags: '--candidate <name|hash>', help: 'the candidate the run evaluated (checked)' },
    { flags: '--channel <channel>', help: 'web, app, wechat, phone', required: true },
    { flags: '--label <label>', help: 'production or staging', default: 'production' },
    { flags: '--force <reason>', help: 'promote despite the gate; the reason is recorded' },
    { flags: '--publish-langfuse', help: 'also publish the prompt to Langfuse as new versions labeled production/staging (default: FIRSTCALL_LANGFUSE_PUBLISH); exit 3 if that fails' },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    run: z.string({ message: '--run RUN is required' }).min(1),
    candidate: z.string().optional(),
    channel: z.string({ message: '--channel CH is required' }).min(1),
    label: Label,
    force: z.string().optional(),
    publishLangfuse: z.boolean().optional(),
    json: z.boolean().default(false),
  }),
  store: true,
  remote: true,
  async run(args, { io, openStore, actor }) {
    const db = await openStore();
    if (args.candidate) {
      const row = await new EvalRunRepository(db).get(args.run);
      if (row && args.candidate !== row.candidate_name && args.candidate !== row.candidate_hash) {
        throw usageError(`run ${args.run} evaluated ${row.candidate_name} (${row.candidate_hash}), not ${args.candidate}`);
      }
    }
    try {
      const result = await promote(db, { runId: args.run, channel: args.channel, label: args.label, by: actor, force: args.force, publishLangfuse: args.publishLangfuse });
      if (args.json) io.out(JSON.stringify(result));
      else {
        for (const c of result.decision.checks) io.out(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
        io.out(`${args.channel} ${args.label} -> ${result.version}${result.forced ? ` (forced: ${args.force})` : ''}${result.previous ? ` (was ${result.previous})` : ''}`);
        const lf = result.langfuse;
        if (lf?.published) io.out(`langfuse: ${lf.prompts.map((p) => `${p.name} v${p.version}${p.created ? '' : ' (unchanged)'}`).join(', ')} labeled ${lf.label}`);
      }
      // The promotion stands; a publish that failed is an incomplete job, said plainly.
      if (result.langfuse && !result.langfuse.published) {
        io.err(`firstcall: promoted, but publishing the prompt to Langfuse failed: ${result.langfuse.error}. Bots reading prompts from Langfuse still get the previous version; once fixed, run firstcall langfuse publish --channel ${args.channel} --label ${args.label}.`);
        return EXIT.incomplete;
      }
      return EXIT.ok;
    } catch (error) {
      if (!PromotionRefusedError.isInstance(error) || !error.decision) throw error;
      const { decision } = error;
      if (args.json) io.out(JSON.stringify({ refused: true, decision }));
      else for (const c of decision.checks) io.out(`  ${c.passed ? 'pass' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}`);
      io.err(`firstcall: promotion refused by the gate (--force "reason" to override, recorded)`);
      return EXIT.failed;
    }
  },
});

export const rollbackCommand = defineCommand({
  name: 'rollback',
  description: "move a channel's pointer back to the previous config",
  options: [
    { flags: '--channel <channel>', help: 'channel', required: true },
    { flags: '--label <label>', help: 'production or staging', default: 'production' },
  ],
  args: z.object({ channel: z.string({ message: '--channel CH is required' }).min(1), label: Label }),
  store: true,
  remote: true,
  async run(args, { io, openStore, actor }) {
    const { from, to } = await rollback(await openStore(), args.channel, actor, args.label);
    io.out(`${args.channel} ${args.label}: ${from} -> ${to}`);
    return EXIT.ok;
  },
});
