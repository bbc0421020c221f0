// Promotion and rollback. Promotion passes the gate against the current production config's run on
// the same suite (or is forced with a recorded reason); promote and rollback move a pointer in one
// transaction and append to the history. A run with failed cases beyond what it allowed
// (incomplete) is never promoted, not even forced: its numbers do not describe the candidate.
// A conversation run (simulated conversations on a scenario set) promotes the same way: its
// candidate becomes the channel's config, gated on goal_success, fcr and tone per scenario against
// the production config's conversation run on the same set.
import { AppError } from '../domain/errors.ts';
import { CHANNELS, PromotionRefusedError, type ConfigLabel, type GateDecision, type LangfusePublication } from '../domain/promotion.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import { incompleteReason } from '../eval/error-budget.ts';
import { CONVERSATION_COMPOSITE_SCORERS } from '../metrics/run-summary.ts';
import { evaluatePromotion } from '../promotion/promotion-gate.ts';
import { SCORERS } from '../scorers/registry.ts';
import { ConfigRepository } from '../storage/config-repository.ts';
import type { Database } from '../storage/database.ts';
import { EvalRunRepository } from '../storage/eval-run-repository.ts';
import { forgetServed } from './configs.ts';
import { publishPromotionSafely, publishRequested } from './langfuse.ts';
import { trustForSuite } from './evaluate.ts';
import { getGateSettings } from './settings.ts';

export interface PromoteOptions {
  runId: string;
  channel: string;
  label?: ConfigLabel;
  by: string;
  /** Promote even when the gate says no; the reason is recorded. */
  force?: string;
  channels?: readonly string[];
  /** Publish the promoted prompt to Langfuse (default: FIRSTCALL_LANGFUSE_PUBLISH); a failed publish is reported, never undoes the promotion. */
  publishLangfuse?: boolean;
}

export interface PromoteResult {
  version: string;
  decision: GateDecision;
  forced: boolean;
  previous: string | null;
  /** Set when the promotion was published to Langfuse (or tried to be). */
  langfuse?: LangfusePublication;
}

export async function promote(db: Database, options: PromoteOptions): Promise<PromoteResult> {
  const label = options.label ?? 'production';
  const channels = options.channels ?? CHANNELS;
  if (!channels.includes(options.channel)) throw new AppError('usage', `unknown channel ${options.channel}; channels: ${channels.join(', ')}`);
  const runs = new EvalRunRepository(db);
  const configs = new ConfigRepository(db);
  const run = await runs.get(options.runId);
  const incomplete = run ? incompleteReason(run) : null;
  if (run && incomplete !== null) throw runIncompleteError(run.id, incomplete);
  if (!run || run.status !== 'done') throw new AppError('usage', `no finished run ${options.runId}`);
  const candidate = (await runs.candidate(run.id))!;

  const current = await configs.pointer(options.channel, 'production');
  let productionResults: CaseResult[] | null = null;
  if (current) {
    const prodRun = await runs.latestDoneOfConfig(current, run.suite_hash);
    if (!prodRun && !options.force) {
      throw new PromotionRefusedError(
        `the production config of ${options.channel} (${current}) has no run on suite ${run.suite_name} v${run.suite_version}: evaluate it on the same suite first, or --force with a reason`,
        { forcible: true },
      );
    }
    if (prodRun) productionResults = await runs.results(prodRun);
  }
  const candidateResults = await runs.results(run.id);
  // A conversation run gates on its own scores (goal_success, fcr, tone as the composite); they are
  // judged by end state, not by a scorer calibrated on labels, so there is no trust check.
  const conversation = run.kind === 'conversation';
  // Scorers gate only where they agree with this store's labels (settings gate_*), unless gate_untrusted.
  const trust =
    conversation || (await getGateSettings(db)).gate_untrusted
      ? undefined
      : await trustForSuite(db, run.suite_name, run.suite_version, Object.keys(run.summary?.metrics ?? {}), [...candidateResults, ...(productionResults ?? [])]);
  // The composite comes from the scorer registry (the gate itself is pure and cannot read it).
  const policy = conversation ? { composite: CONVERSATION_COMPOSITE_SCORERS, tolerance: { goal_success: 0.02 } } : { composite: SCORERS.withTrait('composite') };
  const decision = evaluatePromotion({ candidate: candidateResults, production: productionResults, trust, policy });
  if (!decision.allowed && !options.force) {
    const failed = decision.checks.filter((c) => !c.passed).map((c) => c.detail);
    throw new PromotionRefusedError(`promotion refused by the gate: ${failed.join('; ')}`, { decision, forcible: true });
  }

  const version = `cfg-${run.candidate_hash}`;
  const previous = await configs.pointer(options.channel, label);
  await db.transaction(async () => {
    await configs.addVersion({
      id: version,
      candidateName: candidate.spec.name,
      candidateHash: run.candidate_hash,
      model: candidate.spec.model,
      config: { template: candidate.template, model: candidate.spec.model, params: candidate.spec.params },
      by: options.by,
    });
    await configs.movePointer(options.channel, label, version, options.by);
    forgetServed(db, options.channel, label);
    await configs.appendHistory({
      channel: options.channel,
      label,
      action: 'promote',
      from: previous,
      to: version,
      runId: run.id,
      forced: decision.allowed ? null : (options.force ?? null),
      checks: decision.checks,
      metrics: run.summary?.metrics ?? null,
      by: options.by,
    });
  });
  const langfuse = publishRequested(options.publishLangfuse)
    ? await publishPromotionSafely({ channel: options.channel, label, configVersion: version, runId: run.id, candidate, candidateHash: run.candidate_hash })
    : undefined;
  return { version, decision, forced: !decision.allowed, previous, ...(langfuse ? { langfuse } : {}) };
}

/** 409: the run cannot be promoted, forced or not, until its failed cases are run again. */
export function runIncompleteError(runId: string, reason: string): PromotionRefusedError {
  return new PromotionRefusedError(
    `promotion refused: run ${runId} is incomplete: ${reason}. A run with failed cases cannot be promoted, even forced; fix the cause and finish it with firstcall eval --resume ${runId}`,
    { forcible: false },
  );
}

/** Moves the pointer back to the version the current one was promoted over (rollbacks never ping-pong). */
export async function rollback(db: Database, channel: string, by: string, label: ConfigLabel = 'production'): Promise<{ from: string; to: string }> {
  const configs = new ConfigRepository(db);
  const current = await configs.pointer(channel, label);
  if (!current) throw new AppError('usage', `${channel} has no ${label} config to roll back`);
  const to = await configs.promotedOver(channel, label, current);
  if (!to) throw new AppError('conflict', `${channel} ${label} (${current}) has no earlier version to roll back to`);
  await db.transaction(async () => {
    await configs.movePointer(channel, label, to, by);
    forgetServed(db, channel, label);
    await configs.appendHistory({ channel, label, action: 'rollback', from: current, to, runId: null, forced: null, checks: null, metrics: null, by });
  });
  return { from: current, to };
}

/** Promotion and rollback bound to one store (what the routes call). */
export class PromotionService {
  constructor(private readonly db: Database) {}

  promote(options: PromoteOptions): Promise<PromoteResult> {
    return promote(this.db, options);
  }

  rollback(channel: string, by: string, label: ConfigLabel = 'production'): Promise<{ from: string; to: string }> {
    return rollback(this.db, channel, by, label);
  }
}
