// Evaluation contracts: suite cases, candidates (prompt template × model × params), provider and
// scorer shapes, and how a reply signals a hand-off. No I/O.
import { z } from 'zod';
import { CustomerView } from './api.ts';
import { Language, Turn } from './dialogue.ts';
import { AccuracyValue, FcrValue } from './label.ts';
import type { PassThroughTools, ToolCall } from './tool-calls.ts';

/** One eval case: the conversation up to an agent turn, and what a good reply at that point is. */
export const SuiteCase = z.object({
  /** `<dialogue_id>#<seq of the agent turn>`. */
  case_id: z.string(),
  dialogue_id: z.string(),
  /** Turns before the agent turn being evaluated (the last one is the customer's message). */
  history: z.array(Turn),
  customer_message: z.string(),
  customer: CustomerView.nullable(),
  /** The customer's local date of the contact (warranty and policy are judged as of this day). */
  contact_date: z.iso.date(),
  reference_answer: z.string(),
  required_facts: z.array(z.string()),
  expected_escalation: z.boolean(),
  /**
   * Where expected_escalation came from, when not from a reviewer's label or the log's own
   * metadata: `outcome` (what the logged agent did, which says nothing about what was needed) or
   * `none` (nothing known). Scorers do not take either as the expected decision (see
   * server/scorers/escalation-expectation.ts). Absent on cases built from labels or metadata.
   */
  expected_escalation_source: z.enum(['outcome', 'none']).optional(),
  intent: z.string().nullable(),
  language: Language,
  channel: z.string(),
  /** What the logged agent actually replied there (the replay:human baseline), when known. */
  human_reply: z.string().nullable(),
  /** The gold label's judgements, for calibrating automatic scorers. */
  gold: z.object({ fcr: FcrValue.nullable(), accuracy: AccuracyValue.nullable(), tone: z.number().int().min(1).max(5).nullable() }),
});
export type SuiteCase = z.infer<typeof SuiteCase>;

export const SPLITS = ['train', 'dev', 'test'] as const;
export const Split = z.enum(SPLITS);
export type Split = z.infer<typeof Split>;

export const SuiteFilters = z.object({
  language: Language.optional(),
  channel: z.string().optional(),
  intent: z.string().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  labeled_only: z.boolean().default(true),
});
export type SuiteFilters = z.infer<typeof SuiteFilters>;

export const Suite = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'a suite name is letters, digits, dot, dash, underscore'),
  version: z.number().int().min(1),
  /** sha256 over the cases' canonical JSON: the same cases give the same hash. */
  hash: z.string(),
  created_at: z.string(),
  split: Split,
  filters: SuiteFilters,
  label_schema_version: z.number().int(),
  cases: z.array(SuiteCase),
});
export type Suite = z.infer<typeof Suite>;

/** Model parameters a candidate may set; providers ignore what they cannot use. */
export const ModelParams = z.object({
  temperature: z.number().min(0).max(2).default(0),
  max_tokens: z.number().int().min(1).max(32_000).default(400),
  top_p: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
});
export type ModelParams = z.infer<typeof ModelParams>;

export const Bilingual = z.object({ zh: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;

/**
 * A versioned prompt template (a file in prompts/). `system` may use {{customer_profile}},
 * {{warranty_status}}, {{policy}}, {{language}}, {{channel}}, {{today}}, {{retailer}}.
 */
export const PromptTemplate = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  version: z.number().int().min(1),
  description: z.string().default(''),
  style: z.string().default('default'),
  system: Bilingual,
  few_shot: z.array(z.object({ language: Language, customer: z.string(), agent: z.string() })).default([]),
  greeting: Bilingual.optional(),
  sign_off: Bilingual.optional(),
  escalation: z.object({
    /** When to hand off, in words the model reads (also applied by the offline bot's rules). */
    rules: Bilingual,
    /** What the bot says when it hands off. */
    message: Bilingual,
    queues: z.object({ default: z.string().default('human'), vip: z.string().default('vip'), complaints: z.string().default('complaints') }).default({ default: 'human', vip: 'vip', complaints: 'complaints' }),
  }),
  /** Said when the model fails or times out in production. */
  fallback_message: Bilingual,
  policy: Bilingual,
});
export type PromptTemplate = z.infer<typeof PromptTemplate>;

/** A candidate: prompt template × model id × params (a file in evals/candidates or flags). */
export const CandidateSpec = z.object({
  name: z.string().min(1),
  /** Path of the prompt template, relative to the repository root (e.g. prompts/concise-empathetic.yaml). */
  prompt: z.string().min(1),
  /** `provider:model`, e.g. local:kb, replay:human, openai:gpt-4o-mini, hf:Qwen/Qwen2.5-7B-Instruct. */
  model: z.string().regex(/^[a-z0-9]+:.+$/, 'a model id is provider:model, e.g. openai:gpt-4o-mini'),
  params: ModelParams.default({ temperature: 0, max_tokens: 400 }),
});
export type CandidateSpec = z.infer<typeof CandidateSpec>;

/** A resolved candidate: its template loaded and a stable hash over template + model + params. */
export interface Candidate {
  spec: CandidateSpec;
  template: PromptTemplate;
  /** sha256 (hex, first 16) of the canonical JSON of { template, model, params }. */
  hash: string;
}

export const ChatRole = z.enum(['system', 'user', 'assistant']);
export const ChatMessage = z.object({ role: ChatRole, content: z.string() });
export type ChatMessage = z.infer<typeof ChatMessage>;

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  params: ModelParams;
  /** The case being answered: offline providers (local:kb, replay:human) read it; remote ones never do. */
  case?: SuiteCase;
  template?: PromptTemplate;
  signal?: AbortSignal;
  /** 1, 2, … for repeated trials of the same request (pass^k), so a response cache keeps them apart. */
  trial?: number;
  /** Ask for JSON matching a schema (OpenAI `response_format`); providers that cannot, ignore it. */
  responseFormat?: ResponseFormat;
  /**
   * Function tools the model may call (server/tools `openAiTools()`); used only with `toolRunner`.
   * Providers that cannot call tools ignore both (local:agent runs its own, see its `sandboxFor`).
   */
  tools?: FunctionToolSpec[];
  /** Runs the model's tool calls (on a sandbox, or the endpoint a tool is bound to). */
  toolRunner?: GenerateToolRunner;
  /** Model calls that may ask for tools before the answer must be text (default 8). */
  maxToolSteps?: number;
  /**
   * Tools the caller runs itself (the client of /v1/chat/completions). A provider that
   * `passesToolsThrough` makes one model call with them and `clientTools.messages` (not `messages`,
   * not `tools`) and returns the model's calls in `requested_tool_calls`, running none; other
   * providers ignore it.
   */
  clientTools?: PassThroughTools;
}

/** A function tool as OpenAI-compatible servers take it in `tools`. */
export interface FunctionToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** Runs one tool call and returns its result (a refusal is a result); throws a ToolError when the call failed. */
export interface GenerateToolRunner {
  call(name: string, args: Record<string, unknown>): Promise<unknown>;
}

/** A structured-output request: `{ type: 'json_schema', json_schema: { name, schema, strict } }`, as OpenAI-compatible servers take it. */
export interface ResponseFormat {
  type: 'json_schema';
  json_schema: { name: string; description?: string; schema: Record<string, unknown>; strict?: boolean };
}

export interface GenerateResult {
  text: string;
  usage?: TokenUsage;
  /** The model that answered, as the provider reports it. */
  model: string;
  /** Set when the answer came from the response cache: how long the recorded call took. */
  cached?: { latency_ms: number };
  /** Tools the provider called while answering (local:agent), in order, with what each returned. */
  tool_calls?: ToolCallRecord[];
  /** The model's calls of the caller's `clientTools`, as it made them; `text` is then what it said alongside (often ''). */
  requested_tool_calls?: ToolCall[];
}

/** One tool call an agent made: its arguments and its result (or refusal) as plain JSON. */
export interface ToolCallRecord {
  name: string;
  arguments: Record<string, unknown>;
  result: unknown;
}

/** One model behind one small interface (see server/providers). */
export interface Provider {
  /** `provider:model`. */
  readonly id: string;
  /** Takes `GenerateRequest.clientTools` (openai:, hf:); the others answer in text. */
  readonly passesToolsThrough?: boolean;
  generate(request: GenerateRequest): Promise<GenerateResult>;
}

/** How a reply hands off to a human: a marker `[[handoff:<queue>]]` anywhere in the text. */
export const HANDOFF_MARKER = /\[\[\s*handoff(?:\s*:\s*([a-z0-9_-]+))?\s*\]\]/i;

export function parseReply(text: string): { answer: string; handoff: { queue: string } | null } {
  const match = HANDOFF_MARKER.exec(text);
  const answer = text.replace(new RegExp(HANDOFF_MARKER.source, 'gi'), '').replace(/[ \t]+\n/g, '\n').trim();
  return { answer, handoff: match ? { queue: (match[1] ?? 'human').toLowerCase() } : null };
}

/** An eval run's state: `incomplete` finished with more failed cases than it was allowed (see server/eval/error-budget.ts). */
export const RUN_STATUSES = ['running', 'done', 'incomplete', 'failed'] as const;
export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/** A scorer's name; which names exist is the scorer registry's to say (server/scorers/registry.ts). */
export const ScorerName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a scorer name is lower-case letters, digits and _');
export type ScorerName = z.infer<typeof ScorerName>;

export interface ScoreInput {
  case: SuiteCase;
  /** The reply without its hand-off marker. */
  reply: string;
  handoff: { queue: string } | null;
  latency_ms: number;
  usage?: TokenUsage;
  /** `provider:model` that produced the reply (for the price table). */
  model: string;
  /**
   * What the reply's author did in the back office while answering: the tools it called that change
   * something (and did not refuse), and `handoff` for a hand-off. Absent when its author may have acted
   * where no record shows it (a logged human agent), or it is not known: then a reply that says an
   * action was taken is taken at its word.
   */
  actions?: readonly string[];
  /**
   * Whether the reply's author could change anything in the back office (call a tool that acts, or
   * act off the record as a logged human agent does). false: it could only answer, so a case the
   * logged agent resolved by acting needs a hand-off from it (server/scorers/escalation-expectation.ts).
   * Absent when not known: then it is taken as able to act.
   */
  can_act?: boolean;
  /**
   * The kinds of action the reply's author can take, when it can take only some (a bot whose tools
   * cancel orders and book repairs, but cannot chase a courier): where the logged agent took one of
   * another kind, a person is needed. Absent: every kind (none when `can_act` is false).
   */
  acts_on?: readonly ActionKind[];
}

/** Kinds of back-office action a reply can state as done (text/lexicons.ts ACTION_KINDS tells them by their words). */
export type ActionKind = 'handoff' | 'address' | 'repair' | 'refund' | 'return' | 'replace' | 'cancel' | 'plan' | 'expedite' | 'account' | 'message' | 'record';

export interface ScoreResult {
  /** 0–1. */
  score: number;
  pass: boolean;
  /** Why, in a sentence a reviewer can check; a judge's rationale is kept here. */
  reason: string;
  /**
   * Nothing to score against (no reference, facts or record for accuracy; no known need for a
   * hand-off for escalation): the score is not a judgement, is left out of means and is counted as n/a.
   */
  na?: boolean;
  /** A judge's own token usage for this verdict (all attempts), for the run's judge cost. */
  judge_usage?: TokenUsage & { model: string };
}

/** A scorer is a plain function with a name and a pass threshold (see server/scorers). */
export interface Scorer {
  readonly name: ScorerName;
  readonly threshold: number;
  /** `offline` or the judge's `provider:model`. */
  readonly method: string;
  score(input: ScoreInput): Promise<ScoreResult>;
}
