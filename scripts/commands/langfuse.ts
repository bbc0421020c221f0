// `firstcall langfuse pull`: import production traces from Langfuse as dialogues (one per session, or
// per trace without a session), through the ingest pipeline. Keys come from the environment only
// (LANGFUSE_PUBLIC_KEY, LANGFUSE_SECRET_KEY, LANGFUSE_BASE_URL); the secret is never printed.
import { z } from 'zod';
import { Timestamp } from '../../server/domain/dialogue.ts';
import { langfuseConnectionFromEnv, pullFromLangfuse, type LangfusePullSummary } from '../../server/services/langfuse.ts';
import { defineCommand } from '../command.ts';
import { EXIT } from '../io.ts';

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
