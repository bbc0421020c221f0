// `firstcall langfuse …`: pull imports production traces as dialogues (one per session, or per trace
// without a session) through the ingest pipeline; push-scores, push-dataset and publish send firstcall's
// scores, suites and promoted prompts back. Keys come from the environment only (LANGFUSE_PUBLIC_KEY,
// LANGFUSE_SECRET_KEY, LANGFUSE_BASE_URL); the secret is never printed.
import { z } from 'zod';
import { Timestamp } from '../../server/domain/dialogue.ts';
import { usageError } from '../../server/domain/errors.ts';
import { ConfigLabel } from '../../server/domain/promotion.ts';
import { langfuseConnectionFromEnv, publishChannelConfig, pullFromLangfuse, pushDataset, pushScores, type LangfusePullSummary, type PushProgress } from '../../server/services/langfuse.ts';
import { defineCommand } from '../command.ts';
import { EXIT, type CommandIO } from '../io.ts';

/** A date (`2026-03-01`, read as UTC midnight) or an ISO timestamp with an offset. */
const When = (flag: string) =>
  z
    .string()
    .transform((s) => (/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00.000Z` : s))
    .refine((s) => Timestamp.safeParse(s).success, `${flag} wants a date (2026-03-01) or an ISO timestamp with an offset (2026-03-01T08:00:00+08:00)`)
    .optional();

export const LangfusePullArgs = z.object({
  since: When('--since'),
  until: When('--until'),
  environment: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1, '--limit must be at least 1').optional(),
  json: z.boolean().default(false),
  redact: z.boolean().default(true),
});

export const langfusePull = defineCommand({
  name: 'langfuse pull',
  description: 'import production traces from Langfuse as dialogues (sessions, messages, userId, scores as outcomes)',
  options: [
    { flags: '--since <when>', help: 'traces whose generations started at or after this date or timestamp' },
    { flags: '--until <when>', help: 'traces whose generations started before this date or timestamp' },
    { flags: '--environment <name>', help: 'only this Langfuse environment (e.g. production)' },
    { flags: '--limit <n>', help: 'import at most this many dialogues (the earliest first)' },
    { flags: '--json', help: 'print the summary as one JSON object' },
    { flags: '--no-redact', help: 'keep PII in the stored texts (exports and model calls still redact)' },
  ],
  args: LangfusePullArgs,
  store: true,
  async run(args, { io, openStore }) {
    const connection = langfuseConnectionFromEnv();
    const db = await openStore();
    io.err(`langfuse: pulling generations from ${connection.baseUrl} (public key ${connection.publicKey})`);
    const summary = await pullFromLangfuse(db, connection, {
      since: args.since,
      until: args.until,
      environment: args.environment,
      limit: args.limit,
      redact: args.redact,
      onProgress: (p) => {
        if (p.stage === 'fetch') io.err(`langfuse: page ${p.pages}, ${p.observations} generations`);
        else if (p.stage === 'scores') io.err(`langfuse: reading scores of ${p.traces} traces and ${p.sessions} sessions`);
        else io.err(`langfuse: ingesting ${p.dialogues} dialogues`);
      },
    });
    io.out(args.json ? JSON.stringify(summary) : describe(summary));
    return EXIT.ok;
  },
});

function describe(s: LangfusePullSummary): string {
  const i = s.ingest;
  const redacted = Object.entries(i.redacted);
  return [
    `Pulled ${s.observations} generations from Langfuse: ${s.dialogues} dialogues, ${s.scores} scores (batch ${i.batch_id})`,
    `  loaded       ${i.loaded} new dialogues`,
    `  duplicates   ${i.duplicates} already in the store` + (i.conflicts > 0 ? ` (${i.conflicts} changed since: the stored copy was kept)` : ''),
    ...(s.skipped_by_limit > 0 ? [`  left         ${s.skipped_by_limit} dialogues beyond --limit, for the next pull`] : []),
    `  redacted     ${redacted.length === 0 ? 'nothing' : redacted.map(([type, n]) => `${type} ${n}`).join(', ')}`,
    `  quarantined  ${i.quarantined}` + (i.quarantined > 0 ? ` (firstcall quarantine --batch ${i.batch_id})` : ''),
  ].join('\n');
}

/** Progress on stderr every `every` items and at the end. */
function progress(io: CommandIO, what: string, every = 25) {
  return (p: PushProgress) => {
    if (p.done % every === 0 || p.done === p.total) io.err(`langfuse: ${p.done}/${p.total} ${what}${p.failed > 0 ? ` (${p.failed} failed)` : ''}`);
  };
}

export const LangfusePushScoresArgs = z.object({
  run: z.string().min(1).optional(),
  monitoring: z.boolean().default(false),
  since: When('--since'),
  json: z.boolean().default(false),
});

export const langfusePushScores = defineCommand({
  name: 'langfuse push-scores',
  description: "post firstcall's scores to the Langfuse traces the dialogues came from (an eval run, or --monitoring)",
  options: [
    { flags: '--run <run>', help: "an eval run: one score per case and scorer (firstcall.<scorer>), on the trace of the case's dialogue" },
    { flags: '--monitoring', help: 'the latest whole-dialogue scores of `firstcall score`, one per dialogue and scorer' },
    { flags: '--since <when>', help: 'with --monitoring: only scores computed at or after this date or timestamp' },
    { flags: '--json', help: 'print the summary as one JSON object' },
  ],
  args: LangfusePushScoresArgs,
  store: true,
  async run(args, { io, openStore }) {
    // Checked here rather than in the schema, which the registry test parses with no flags at all.
    if ((args.run === undefined) === !args.monitoring) throw usageError('give --run RUN (an eval run) or --monitoring (the stored whole-dialogue scores), one of them');
    if (args.since !== undefined && !args.monitoring) throw usageError('--since goes with --monitoring');
    const connection = langfuseConnectionFromEnv();
    const db = await openStore();
    io.err(`langfuse: pushing scores to ${connection.baseUrl} (public key ${connection.publicKey})`);
    const summary = await pushScores(db, connection, args.run ? { runId: args.run } : { monitoring: true, since: args.since }, progress(io, 'scores'));
    if (args.json) io.out(JSON.stringify(summary));
    else {
      io.out(`Pushed ${summary.pushed} scores of ${summary.source} to Langfuse; ${summary.failed} failed; ${summary.skipped} skipped (not from Langfuse)`);
      if (summary.skipped > 0) io.out(`  skipped      ${summary.skipped_examples.join(', ')}${summary.skipped > summary.skipped_examples.length ? ', …' : ''}: their dialogues were not pulled from Langfuse, so there is no trace to score`);
      for (const f of summary.failures) io.out(`  failed       ${f}`);
    }
    if (summary.failed > 0) {
      io.err(`firstcall: ${summary.failed} of ${summary.pushed + summary.failed} scores were not accepted by Langfuse; push again (scores already there are updated, not duplicated)`);
      return EXIT.incomplete;
    }
    return EXIT.ok;
  },
});

export const langfusePushDataset = defineCommand({
  name: 'langfuse push-dataset',
  description: "create (or update) a Langfuse dataset from a suite: one item per case, the reference reply and gold labels as expected output",
  options: [
    { flags: '--suite <name>', help: 'the suite', required: true },
    { flags: '--suite-version <n>', help: 'its version (default: the newest)' },
    { flags: '--name <dataset>', help: 'the dataset name (default firstcall-<suite>-v<version>)' },
    { flags: '--json', help: 'print the summary as one JSON object' },
  ],
  args: z.object({
    suite: z.string({ message: '--suite NAME is required' }).min(1),
    suiteVersion: z.coerce.number().int().min(1).optional(),
    name: z.string().min(1).max(200).optional(),
    json: z.boolean().default(false),
  }),
  store: true,
  async run(args, { io, openStore }) {
    const connection = langfuseConnectionFromEnv();
    const db = await openStore();
    io.err(`langfuse: pushing suite ${args.suite} to ${connection.baseUrl} (public key ${connection.publicKey})`);
    const summary = await pushDataset(db, connection, { suite: args.suite, version: args.suiteVersion, name: args.name, onProgress: progress(io, 'items') });
    if (args.json) io.out(JSON.stringify(summary));
    else {
      io.out(`Dataset ${summary.dataset}: ${summary.items} items from suite ${summary.suite} v${summary.suite_version} (${summary.from_traces} linked to their Langfuse trace); ${summary.failed} failed`);
      for (const f of summary.failures) io.out(`  failed       ${f}`);
    }
    if (summary.failed > 0) {
      io.err(`firstcall: ${summary.failed} items were not accepted by Langfuse; push again (items already there are updated, not duplicated)`);
      return EXIT.incomplete;
    }
    return EXIT.ok;
  },
});

export const langfusePublish = defineCommand({
  name: 'langfuse publish',
  description: "publish a channel's current config to Langfuse as prompt versions labeled production (or staging)",
  options: [
    { flags: '--channel <channel>', help: 'web, app, wechat, phone', required: true },
    { flags: '--label <label>', help: 'production or staging', default: 'production' },
    { flags: '--json', help: 'print JSON' },
  ],
  args: z.object({
    channel: z.string({ message: '--channel CH is required' }).min(1),
    label: z.enum(ConfigLabel.options, { message: '--label must be production or staging' }).default('production'),
    json: z.boolean().default(false),
  }),
  store: true,
  async run(args, { io, openStore }) {
    const connection = langfuseConnectionFromEnv();
    const result = await publishChannelConfig(await openStore(), connection, args.channel, args.label);
    io.out(args.json ? JSON.stringify(result) : `langfuse: ${result.prompts.map((p) => `${p.name} v${p.version}${p.created ? '' : ' (unchanged)'}`).join(', ')} labeled ${result.label}`);
    return EXIT.ok;
  },
});
