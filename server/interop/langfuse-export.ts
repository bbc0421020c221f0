// What firstcall sends to Langfuse, pure: its scores as Langfuse scores (one per case and scorer of a
// run, or per dialogue and scorer of monitoring) on the trace the dialogue came from, and a suite's
// cases as dataset items. Ids are derived from what they describe, so sending again updates in place.
import { createHash } from 'node:crypto';
import type { Turn } from '../domain/dialogue.ts';
import type { Suite, SuiteCase } from '../domain/eval.ts';
import type { CaseResult } from '../domain/runs-api.ts';
import type { DialogueScoreToPush } from '../storage/langfuse-reference-repository.ts';

/** Every score firstcall sends is named `firstcall.<scorer>`: apart from the team's own (csat, user-feedback), and never read back as an outcome by `langfuse pull`. */
export const SCORE_NAME_PREFIX = 'firstcall.';

/** A UUID-shaped id from the sha256 of the parts: the same parts always give the same id. */
export function stableId(...parts: readonly string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  // Version nibble 5 and the RFC 4122 variant, so strict UUID parsers accept it.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Where a dialogue came from in Langfuse (metadata.langfuse of a pulled dialogue). */
export interface LangfuseOrigin {
  session_id: string | null;
  /** In time order; the last holds the dialogue's last reply. */
  trace_ids: readonly string[];
  environment: string | null;
}

/** The body of POST /api/public/scores. */
export interface ScoreBody {
  id: string;
  name: string;
  value: number;
  dataType: 'NUMERIC';
  comment: string;
  source: 'API';
  traceId?: string;
  sessionId?: string;
  environment?: string;
  metadata: Record<string, unknown>;
}

/**
 * The trace (else the session) a dialogue's score goes on. A suite case is the conversation up to the
 * customer's last message and the reply to it, which is the dialogue's last trace.
 */
export function scoreTarget(origin: LangfuseOrigin): Pick<ScoreBody, 'traceId' | 'sessionId' | 'environment'> | undefined {
  const traceId = origin.trace_ids[origin.trace_ids.length - 1];
  const environment = origin.environment && /^[a-z0-9_-]+$/.test(origin.environment) && !origin.environment.startsWith('langfuse') ? origin.environment : undefined;
  if (traceId) return { traceId, ...(environment ? { environment } : {}) };
  if (origin.session_id) return { sessionId: origin.session_id, ...(environment ? { environment } : {}) };
  return undefined;
}

export interface RunForScores {
  id: string;
  suite_name: string;
  suite_version: number;
  candidate_name: string;
  candidate_hash: string;
  model: string;
}

export interface PlannedScores {
  scores: ScoreBody[];
  /** Cases (or dialogues) with no Langfuse trace or session to put a score on. */
  skipped: string[];
}

/**
 * One score per case and scorer of a run: the mean over its trials that were scored (n/a and failed
 * trials left out), the comment the scorer's reason. Id: (run, case, scorer).
 */
export function runScores(run: RunForScores, dialogueOf: ReadonlyMap<string, string>, results: readonly CaseResult[], origins: ReadonlyMap<string, LangfuseOrigin>): PlannedScores {
  const byCase = new Map<string, CaseResult[]>();
  for (const r of results) byCase.set(r.case_id, [...(byCase.get(r.case_id) ?? []), r]);
  const scores: ScoreBody[] = [];
  const skipped: string[] = [];
  for (const [caseId, trials] of [...byCase].sort(([a], [b]) => a.localeCompare(b))) {
    const dialogueId = dialogueOf.get(caseId);
    const origin = dialogueId ? origins.get(dialogueId) : undefined;
    const target = origin ? scoreTarget(origin) : undefined;
    if (!target) {
      skipped.push(caseId);
      continue;
    }
    const names = [...new Set(trials.flatMap((t) => Object.keys(t.scores)))].sort();
    for (const scorer of names) {
      const applied = trials.filter((t) => t.error === null && t.scores[scorer] !== undefined && t.scores[scorer].na !== true).sort((a, b) => a.trial - b.trial);
      if (applied.length === 0) continue;
      const value = applied.reduce((sum, t) => sum + t.scores[scorer]!.score, 0) / applied.length;
      const passes = applied.filter((t) => t.scores[scorer]!.pass).length;
      const reason = applied[0]!.scores[scorer]!.reason;
      scores.push({
        id: stableId('firstcall-run', run.id, caseId, scorer),
        name: `${SCORE_NAME_PREFIX}${scorer}`,
        value: round(value),
        dataType: 'NUMERIC',
        comment: clip(applied.length > 1 ? `mean of ${applied.length} trials (${passes} passed); trial ${applied[0]!.trial + 1}: ${reason}` : reason),
        source: 'API',
        ...target,
        metadata: {
          firstcall_run: run.id,
          case_id: caseId,
          dialogue_id: dialogueId,
          suite: `${run.suite_name}@v${run.suite_version}`,
          candidate: run.candidate_name,
          candidate_hash: run.candidate_hash,
          model: run.model,
          pass: passes === applied.length,
          trials: applied.length,
        },
      });
    }
  }
  return { scores, skipped };
}

/** A stored whole-dialogue score (`firstcall score`) with when it was made. */
export type DialogueScoreInput = DialogueScoreToPush;

/** One score per dialogue and scorer of `firstcall score` (the latest). Id: (dialogue, scorer), so a rescore updates it. */
export function monitoringScores(rows: readonly DialogueScoreInput[], origins: ReadonlyMap<string, LangfuseOrigin>): PlannedScores {
  const scores: ScoreBody[] = [];
  const skipped = new Set<string>();
  for (const row of rows) {
    const origin = origins.get(row.dialogue_id);
    const target = origin ? scoreTarget(origin) : undefined;
    if (!target) {
      skipped.add(row.dialogue_id);
      continue;
    }
    scores.push({
      id: stableId('firstcall-monitoring', row.dialogue_id, row.scorer),
      name: `${SCORE_NAME_PREFIX}${row.scorer}`,
      value: round(row.score),
      dataType: 'NUMERIC',
      comment: clip(row.reason),
      source: 'API',
      ...target,
      metadata: { dialogue_id: row.dialogue_id, method: row.method, pass: row.pass, scored_at: row.scored_at, whole_dialogue: true },
    });
  }
  return { scores, skipped: [...skipped] };
}

/** The body of POST /api/public/dataset-items. */
export interface DatasetItemBody {
  id: string;
  datasetName: string;
  input: Record<string, unknown>;
  expectedOutput: Record<string, unknown>;
  metadata: Record<string, unknown>;
  sourceTraceId?: string;
}

/** The default dataset name of a suite version. */
export const datasetNameOf = (suite: Pick<Suite, 'name' | 'version'>): string => `firstcall-${suite.name}-v${suite.version}`;

/** The dataset's description and metadata (POST /api/public/v2/datasets). */
export function datasetOf(suite: Suite, name: string): { name: string; description: string; metadata: Record<string, unknown> } {
  return {
    name,
    description: `firstcall suite ${suite.name} v${suite.version} (${suite.split} split, ${suite.cases.length} cases): the conversation up to the customer's message, and what a good reply is`,
    metadata: { source: 'firstcall', suite: suite.name, suite_version: suite.version, suite_hash: suite.hash, split: suite.split, cases: suite.cases.length, created_at: suite.created_at },
  };
}

/**
 * A suite case as a dataset item. input: the conversation so far as chat messages (customer → user,
 * agent → assistant, tool results → tool, named), the customer's message and the context firstcall
 * renders into the prompt (the case's anonymous customer view, contact date, channel, language), as the
 * suite holds them: suites are built from redacted dialogues and never carry the customer's name.
 * expectedOutput: the reference reply and gold labels. Id: (dataset, suite hash, case).
 */
export function datasetItem(c: SuiteCase, suite: Pick<Suite, 'name' | 'version' | 'hash'>, datasetName: string, origin?: LangfuseOrigin): DatasetItemBody {
  const sourceTraceId = origin?.trace_ids[origin.trace_ids.length - 1];
  return {
    id: stableId('firstcall-dataset-item', datasetName, suite.hash, c.case_id),
    datasetName,
    input: {
      messages: chatMessages(c.history, c.customer_message),
      customer_message: c.customer_message,
      customer: c.customer,
      contact_date: c.contact_date,
      channel: c.channel,
      language: c.language,
    },
    expectedOutput: {
      reference_answer: c.reference_answer,
      required_facts: c.required_facts,
      expected_escalation: c.expected_escalation,
      ...(c.expected_escalation_source ? { expected_escalation_source: c.expected_escalation_source } : {}),
      gold: c.gold,
    },
    metadata: {
      case_id: c.case_id,
      dialogue_id: c.dialogue_id,
      language: c.language,
      intent: c.intent,
      channel: c.channel,
      suite: suite.name,
      suite_version: suite.version,
      suite_hash: suite.hash,
    },
    ...(sourceTraceId ? { sourceTraceId } : {}),
  };
}

type OutMessage = { role: 'user' | 'assistant' | 'system'; content: string } | { role: 'tool'; name: string; content: string };

/** The turns as chat messages, ending with the customer's message. */
export function chatMessages(history: readonly Turn[], customerMessage: string): OutMessage[] {
  const out: OutMessage[] = history.map((t) =>
    t.role === 'customer' ? { role: 'user', content: t.text }
    : t.role === 'agent' ? { role: 'assistant', content: t.text }
    : t.role === 'tool' ? { role: 'tool', name: t.name ?? 'tool', content: t.text }
    : { role: 'system', content: t.text },
  );
  const last = out[out.length - 1];
  if (!last || last.role !== 'user' || last.content !== customerMessage) out.push({ role: 'user', content: customerMessage });
  return out;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Langfuse keeps comments as text; a judge's rationale can be long. */
function clip(text: string, max = 2000): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
