// Langfuse traces as canonical dialogues, pure: GENERATION observations (from GET
// /api/public/v2/observations) grouped by session (a trace without a session is a dialogue of its own),
// their chat messages turned into turns in time order with the conversation each generation repeats
// counted once, and the scores already on the traces or sessions kept as the outcome.
import { z } from 'zod';
import type { DialogueInput, Outcome, Turn } from '../domain/dialogue.ts';

/** The fields of an observation (v2, field groups core, basic, io) the mapping reads. */
export const LangfuseObservation = z.object({
  id: z.string(),
  traceId: z.string().nullish(),
  type: z.string(),
  startTime: z.string(),
  endTime: z.string().nullish(),
  sessionId: z.string().nullish(),
  userId: z.string().nullish(),
  environment: z.string().nullish(),
  // v2 returns input and output as raw strings (JSON text, or plain text); older servers send JSON.
  input: z.unknown().optional(),
  output: z.unknown().optional(),
});
export type LangfuseObservation = z.infer<typeof LangfuseObservation>;

/** A score (GET /api/public/v3/scores with the `subject` field group). */
export const LangfuseScore = z.object({
  id: z.string(),
  name: z.string(),
  dataType: z.string(),
  value: z.union([z.number(), z.boolean(), z.string()]),
  timestamp: z.string(),
  subject: z
    .object({ kind: z.string(), id: z.string(), traceId: z.string().nullish() })
    .optional(),
});
export type LangfuseScore = z.infer<typeof LangfuseScore>;

/** The prefix of every dialogue id this importer writes: `langfuse-<sessionId>` or `langfuse-<traceId>`. */
export const DIALOGUE_ID_PREFIX = 'langfuse-';

/**
 * Score names read as outcomes (case and `-`/`_` ignored). Everything else is kept in
 * metadata.langfuse.scores, untouched.
 * - csat, satisfaction: a whole number 1–5 → outcome.csat.
 * - user-feedback, feedback: → outcome.csat only when that name's values in the pull are all whole
 *   numbers 1–5 and one is above 1 (a 0/1 thumbs score says nothing about a 1–5 scale).
 * - resolved: boolean, or numeric 0/1 → outcome.resolved. escalated, handoff: → outcome.escalated.
 * The latest score of a name wins.
 */
export const OUTCOME_SCORE_NAMES = {
  csat: ['csat', 'satisfaction'],
  feedback: ['userfeedback', 'feedback'],
  resolved: ['resolved'],
  escalated: ['escalated', 'handoff'],
} as const;

const normName = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/** The id a dialogue gets: one per session, or one per trace without a session. */
export const dialogueKey = (o: Pick<LangfuseObservation, 'sessionId' | 'traceId' | 'id'>): string =>
  `${DIALOGUE_ID_PREFIX}${o.sessionId || o.traceId || o.id}`;

interface Message {
  role: Turn['role'];
  text: string;
  name?: string;
}

/** Chat messages (OpenAI style, or a `{messages}` wrapper, or a plain string) as turns; system prompts dropped. */
export function messagesOf(value: unknown, defaultRole: Turn['role']): Message[] {
  const parsed = parseMaybeJson(value);
  if (parsed === undefined || parsed === null) return [];
  if (typeof parsed === 'string') return parsed.trim() ? [{ role: defaultRole, text: parsed.trim() }] : [];
  if (Array.isArray(parsed)) {
    const toolNames = new Map<string, string>();
    const out: Message[] = [];
    for (const m of parsed) out.push(...messageOf(m, defaultRole, toolNames));
    return out;
  }
  if (typeof parsed === 'object') {
    const obj = parsed as Record<string, unknown>;
    if (Array.isArray(obj.messages)) return messagesOf(obj.messages, defaultRole);
    if (Array.isArray(obj.choices)) return messagesOf(obj.choices.map((c) => (c as { message?: unknown }).message), defaultRole);
    return messageOf(obj, defaultRole, new Map());
  }
  return [];
}

function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('[') || t.startsWith('"'))) return value;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return value;
  }
}

const ROLE: Record<string, Turn['role'] | null> = {
  user: 'customer',
  human: 'customer',
  assistant: 'agent',
  ai: 'agent',
  model: 'agent',
  tool: 'tool',
  function: 'tool',
  system: null,
  developer: null,
};

function messageOf(m: unknown, defaultRole: Turn['role'], toolNames: Map<string, string>): Message[] {
  if (typeof m === 'string') return m.trim() ? [{ role: defaultRole, text: m.trim() }] : [];
  if (!m || typeof m !== 'object') return [];
  const msg = m as Record<string, unknown>;
  // Remember which function a tool call ran, so its result can be named.
  if (Array.isArray(msg.tool_calls)) {
    for (const call of msg.tool_calls as Array<{ id?: unknown; function?: { name?: unknown } }>) {
      if (typeof call?.id === 'string' && typeof call.function?.name === 'string') toolNames.set(call.id, call.function.name);
    }
  }
  const rawRole = typeof msg.role === 'string' ? msg.role.toLowerCase() : undefined;
  const role = rawRole === undefined ? defaultRole : ROLE[rawRole];
  if (role === null || role === undefined) return [];
  const text = textOf(msg.content).trim();
  if (!text) return [];
  const name =
    role === 'tool'
      ? (typeof msg.name === 'string' ? msg.name : undefined) ?? (typeof msg.tool_call_id === 'string' ? toolNames.get(msg.tool_call_id) : undefined)
      : undefined;
  return [{ role, text, ...(name ? { name } : {}) }];
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((p) => (typeof p === 'string' ? p : p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : ''))
      .filter(Boolean)
      .join('\n');
  }
  if (content && typeof content === 'object') return JSON.stringify(content);
  return '';
}

const sameTurn = (a: Message, b: Message) => a.role === b.role && a.text === b.text;

/**
 * Appends what a generation adds to the conversation so far: the longest run of turns that ends the
 * conversation and starts the generation's messages is already there (a chat bot sends the history
 * again with every call).
 */
export function appendNew(so_far: Turn[], messages: readonly Message[], at: { input?: string; output?: string }, outputFrom: number): void {
  let overlap = 0;
  for (let k = Math.min(so_far.length, messages.length); k > 0; k--) {
    let match = true;
    for (let i = 0; i < k && match; i++) match = sameTurn(so_far[so_far.length - k + i]!, messages[i]!);
    if (match) {
      overlap = k;
      break;
    }
  }
  for (let i = overlap; i < messages.length; i++) {
    const m = messages[i]!;
    const time = i >= outputFrom ? (at.output ?? at.input) : at.input;
    so_far.push({ role: m.role, text: m.text, ...(m.name ? { name: m.name } : {}), ...(m.role === 'agent' ? { agent_kind: 'bot' as const } : {}), ...(time ? { at: time } : {}) });
  }
}

/** A timestamp the canonical schema takes (with an offset), or undefined. */
function isoAt(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export interface MappedDialogues {
  dialogues: DialogueInput[];
  /** Generations that carried no user, assistant or tool text. */
  empty: number;
}

/** Groups generations into dialogues and maps their messages and scores. */
export function mapToDialogues(observations: readonly LangfuseObservation[], scores: readonly LangfuseScore[] = []): MappedDialogues {
  const groups = new Map<string, LangfuseObservation[]>();
  for (const o of observations) {
    if (o.type !== 'GENERATION') continue;
    const key = dialogueKey(o);
    const list = groups.get(key);
    if (list) list.push(o);
    else groups.set(key, [o]);
  }
  const byTarget = scoresByTarget(scores);
  const feedbackIsFivePoint = fivePointNames(scores);
  const dialogues: DialogueInput[] = [];
  let empty = 0;
  for (const [id, list] of groups) {
    list.sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime) || a.id.localeCompare(b.id));
    const turns: Turn[] = [];
    for (const o of list) {
      const input = messagesOf(o.input, 'customer');
      const output = messagesOf(o.output, 'agent');
      if (input.length + output.length === 0) empty++;
      appendNew(turns, [...input, ...output], { input: isoAt(o.startTime), output: isoAt(o.endTime) }, input.length);
    }
    if (turns.length === 0) continue;
    const first = list[0]!;
    const traceIds = [...new Set(list.map((o) => o.traceId).filter((t): t is string => Boolean(t)))];
    const sessionId = first.sessionId || undefined;
    const dialogueScores = [...(sessionId ? (byTarget.get(`session:${sessionId}`) ?? []) : []), ...traceIds.flatMap((t) => byTarget.get(`trace:${t}`) ?? [])];
    const outcome = outcomeOf(dialogueScores, feedbackIsFivePoint);
    const userId = list.find((o) => o.userId)?.userId ?? undefined;
    const environment = list.find((o) => o.environment)?.environment ?? undefined;
    dialogues.push({
      id,
      customer_id: userId ?? undefined,
      started_at: isoAt(first.startTime),
      turns,
      ...(Object.keys(outcome).length > 0 ? { outcome } : {}),
      metadata: {
        langfuse: {
          ...(sessionId ? { session_id: sessionId } : {}),
          trace_ids: traceIds,
          ...(environment ? { environment } : {}),
          ...(dialogueScores.length > 0 ? { scores: latestByName(dialogueScores).map((s) => ({ name: s.name, value: s.value })) } : {}),
        },
      },
    });
  }
  dialogues.sort((a, b) => (a.started_at ?? '').localeCompare(b.started_at ?? '') || a.id.localeCompare(b.id));
  return { dialogues, empty };
}

function scoresByTarget(scores: readonly LangfuseScore[]): Map<string, LangfuseScore[]> {
  const map = new Map<string, LangfuseScore[]>();
  for (const s of scores) {
    const subject = s.subject;
    if (!subject) continue;
    const key = subject.kind === 'session' ? `session:${subject.id}` : subject.kind === 'trace' ? `trace:${subject.id}` : subject.kind === 'observation' && subject.traceId ? `trace:${subject.traceId}` : undefined;
    if (!key) continue;
    const list = map.get(key);
    if (list) list.push(s);
    else map.set(key, [s]);
  }
  return map;
}

/** Feedback names whose values in this pull are all whole numbers 1–5, one above 1. */
function fivePointNames(scores: readonly LangfuseScore[]): Set<string> {
  const values = new Map<string, number[]>();
  for (const s of scores) {
    const n = normName(s.name);
    if (!(OUTCOME_SCORE_NAMES.feedback as readonly string[]).includes(n) || typeof s.value !== 'number') continue;
    values.set(n, [...(values.get(n) ?? []), s.value]);
  }
  const names = new Set<string>();
  for (const [n, vs] of values) if (vs.every((v) => Number.isInteger(v) && v >= 1 && v <= 5) && vs.some((v) => v > 1)) names.add(n);
  return names;
}

function latestByName(scores: readonly LangfuseScore[]): LangfuseScore[] {
  const latest = new Map<string, LangfuseScore>();
  for (const s of scores) {
    const prev = latest.get(s.name);
    if (!prev || Date.parse(s.timestamp) >= Date.parse(prev.timestamp)) latest.set(s.name, s);
  }
  // By name, so the same scores always give the same record (a re-pull then matches the stored copy).
  return [...latest.values()].sort((a, b) => a.name.localeCompare(b.name));
}

function asBoolean(v: LangfuseScore['value']): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string' && /^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  return undefined;
}

/** The outcome the scores give (OUTCOME_SCORE_NAMES). */
export function outcomeOf(scores: readonly LangfuseScore[], feedbackIsFivePoint: ReadonlySet<string> = new Set()): Outcome {
  const outcome: Outcome = {};
  // Oldest first, so the latest score of a kind is the one that stays.
  const ordered = [...scores].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  let csatFromName = false;
  for (const s of ordered) {
    const n = normName(s.name);
    if ((OUTCOME_SCORE_NAMES.csat as readonly string[]).includes(n)) {
      if (typeof s.value === 'number' && Number.isInteger(s.value) && s.value >= 1 && s.value <= 5) {
        outcome.csat = s.value;
        csatFromName = true;
      }
    } else if (feedbackIsFivePoint.has(n) && !csatFromName && typeof s.value === 'number') {
      outcome.csat = s.value;
    } else if ((OUTCOME_SCORE_NAMES.resolved as readonly string[]).includes(n)) {
      const b = asBoolean(s.value);
      if (b !== undefined) outcome.resolved = b;
    } else if ((OUTCOME_SCORE_NAMES.escalated as readonly string[]).includes(n)) {
      const b = asBoolean(s.value);
      if (b !== undefined) outcome.escalated = b;
    }
  }
  return outcome;
}
