// The production answer endpoint's use case: render the channel's production config with the
// customer's CRM profile, decide hand-off by the config's rules, call the model (with a timeout),
// apply guardrails, and log the exchange as a `production` dialogue so it flows back into labeling.
// When the model fails or times out, or anything else fails after the request was validated, the
// answer is the config's fallback message with a hand-off, never a 5xx. A dialogue is continued only
// by the API key that started it, on the same channel.
// Client tools (/v1/chat/completions `tools`): a config whose provider passes tools through (openai:)
// gets the client's tools and the conversation with its tool calls and results, and its calls go back
// to the client unchanged; firstcall's own tools are never in that call. Other configs (local:kb,
// local:agent) answer in text and refuse a tool_choice that obliges a call. Tool results are logged
// as `tool` turns named after their function, redacted like the rest, and so are the calls local:agent
// makes on firstcall's side (kept when the client continues the dialogue, since its history lacks them).
import { randomUUID } from 'node:crypto';
import { renderMessages } from '../candidates/render-prompt.ts';
import { AnswerInput, type AnswerResult } from '../domain/answer.ts';
import type { CustomerView } from '../domain/api.ts';
import { anonymousCustomerViewAsOf } from '../domain/customer-view.ts';
import type { Customer, Language, Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { deepFreeze } from '../domain/freeze.ts';
import { parseReply, type PromptTemplate, type Provider, type SuiteCase, type ToolCallRecord } from '../domain/eval.ts';
import type { BotConfig } from '../domain/promotion.ts';
import { mustCallTool, type ProtocolMessage, type ToolCall } from '../domain/tool-calls.ts';
import { createLocalAgentProvider, LOCAL_AGENT_ID } from '../providers/local-agent.ts';
import { decideHandoff, LOCAL_KB_ID } from '../providers/local-kb.ts';
import { createLocalKbPool, type LocalKbPool } from '../providers/local-kb-pool.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import { withRetry } from '../providers/retry.ts';
import { textualHandoff } from '../text/handoff-phrases.ts';
import { detectLanguage } from '../text/detect-language.ts';
import { redactPii } from '../text/pii-redaction.ts';
import type { ServicePolicy } from '../tools/policy.ts';
import { createSandbox, seedFromCustomer, type Sandbox } from '../tools/sandbox.ts';
import type { KbEntry, KbSourceEntry } from '../providers/local-kb.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import { onStoreChanged } from '../storage/store-changes.ts';
import { DialogueRepository } from '../storage/dialogue-repository.ts';
import { readingApart, type Database } from '../storage/database.ts';
import { closedDialogue, notContinuable, ProductionDialogueRepository, type DialogueCaller, type ProductionExchange } from '../storage/production-dialogue-repository.ts';
import { batchedReads, cachedReads, coalescedReads } from './coalesced-reads.ts';
import { servedConfig } from './configs.ts';
import { ExchangeLog } from './exchange-log.ts';
import { knowledgeBaseSource } from './knowledge-base.ts';

export interface AnswerServiceOptions {
  provider?: Omit<ProviderOptions, 'localKb' | 'env'>;
  timeoutMs?: number;
  /** Resolve a model id to a provider (tests inject a failing one). */
  resolve?: (modelId: string) => Promise<Provider>;
}

/** Who is asking: the API key (a bot, or an admin trying things) and where to log failures. */
export interface AnswerCaller {
  keyId: string;
  /** Failures answered with the fallback message are reported here (the route passes its logger). */
  logError?: (error: unknown, message: string) => void;
}

/** Used only when the channel's config itself cannot be read. */
const UNAVAILABLE = {
  message: { zh: '抱歉，系统暂时无法回答，正在为您转接人工客服，请稍候。', en: "Sorry, I can't answer right now. I'm passing you to a colleague who can help." },
  queue: 'human',
  version: 'unavailable',
} as const;

/** Client errors (bad input, unknown or foreign dialogue) keep their status; everything else becomes the fallback answer. */
const isClientError = (error: unknown): error is AppError => AppError.isInstance(error) && error.status < 500;

/** local:agent sandboxes kept for continued dialogues (oldest dropped first). */
const MAX_SANDBOXES = 2000;

/** Providers kept for the models of promoted configs (oldest dropped first). */
const MAX_PROVIDERS = 64;

/** A customer's record as answering uses it: no name (it goes to a model). */
export type AnonymousCustomer = Omit<Customer, 'name'>;

/**
 * What answering needs of a store: the primary's DuckDB (storeAnswerBackend), or an answer replica's
 * Redis mirror (server/scale/replica-answers.ts), which never opens the store.
 */
export interface AnswerBackend {
  /** The channel's production config (undefined: none promoted). */
  config(channel: string): Promise<BotConfig | undefined>;
  /** The asking customer's own record, without their name. */
  customer(id: string): Promise<AnonymousCustomer | undefined>;
  /** The stored turns of a dialogue `caller` may continue; throws 404 (not theirs) or 409 (labeled, frozen) otherwise. */
  continuable(id: string, caller: DialogueCaller): Promise<readonly Turn[]>;
  /** Logs an exchange: a new dialogue owned by `caller`, or (when `continues`) the longer version of theirs. */
  save(exchange: ProductionExchange, caller: DialogueCaller, continues: boolean): Promise<void>;
  /**
   * local:kb's knowledge base: entries as read from the store (with their customer's record, de-identified
   * in the worker threads) or already de-identified (a replica's snapshot, which carries no records).
   */
  knowledgeBase(): Promise<{ entries: readonly (KbSourceEntry | KbEntry)[]; knownProducts: readonly string[] }>;
  /** Where the knowledge base can change under a running service (a replica's snapshot): local:kb is rebuilt after. */
  onKnowledgeBaseChanged?(listener: () => void): () => void;
  /** Waits until what was logged is stored (the store's exchange log); called when the app closes. */
  settle?(): Promise<void>;
}

/**
 * How many customer records the primary keeps in memory for answers (a DuckDB lookup costs more CPU
 * than the rest of an answer); all are dropped when an ingest changes customers.
 */
const CUSTOMERS_KEPT = 20_000;

/** How long a replaced local:kb pool keeps answering the cases it holds before it is closed. */
const RETIRE_POOL_MS = 30_000;

/**
 * The primary's backend: its store. The config is the copy /v1/configs serves from memory (read again
 * only after a promote or rollback moved its pointer); concurrent customer reads are one query, on the
 * store's read connections so they never wait behind writes; logged exchanges are journaled, then stored
 * many per commit, and seen by continuations meanwhile (exchange-log.ts).
 */
export function storeAnswerBackend(db: Database): AnswerBackend {
  const dialogues = new ProductionDialogueRepository(db);
  const exchanges = ExchangeLog.of(db);
  const served = coalescedReads((channel: string) => servedConfig(db, channel));
  const read = batchedReads((ids: string[]) => new CustomerRepository(db, { committedReads: true }).getMany(ids));
  // Records as read, without the name (it goes to a model), frozen: answers share them.
  const customers = cachedReads(async (id: string) => {
    const found = await read(id);
    if (!found) return undefined;
    const { name: _name, ...anonymous } = found;
    return deepFreeze(anonymous);
  }, CUSTOMERS_KEPT);
  onStoreChanged(db, (change) => {
    if (change.customers) customers.clear();
  });
  // Whether a dialogue was labeled or frozen: concurrent continuations share one statement, each begun
  // after its request, on the read connections, so it does not wait behind the exchange log's writes
  // (labels and suites are committed before their requests return; the log's own write checks again).
  const committed = new ProductionDialogueRepository(readingApart(db));
  const closed = batchedReads((ids: string[]) => committed.closedAmong(ids));
  return {
    config: async (channel) => (await served(channel))?.config,
    customer: customers.get,
    continuable: async (id, caller) => {
      // A dialogue the log has (not yet in the store, or stored lately by it): its owner and turns are in memory, labels and suites in the store.
      const latest = exchanges.latest(id);
      if (latest) {
        if (latest.caller.keyId !== caller.keyId || latest.caller.channel !== caller.channel) throw notContinuable(id, caller);
        const reason = await closed(id);
        if (reason) throw closedDialogue(id, reason);
        return latest.turns;
      }
      await dialogues.assertContinuable(id, caller);
      return (await new DialogueRepository(db).get(id))?.turns ?? [];
    },
    save: (exchange, caller, continues) => exchanges.save(exchange, caller, continues),
    knowledgeBase: () => knowledgeBaseSource(db),
    settle: () => exchanges.settled(),
  };
}

export class AnswerService {
  private localKb: Promise<Provider> | undefined;
  /**
   * local:agent's back office per dialogue and asking customer: seeded from that customer's own record
   * only, and kept across the dialogue's turns (a ticket booked in one answer is there in the next).
   */
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly backend: AnswerBackend;
  private readonly providers = new Map<string, Provider>();
  /** Customer views by the record they were made from (records the backend keeps are the same object each time). */
  private readonly views = new WeakMap<object, { today: string; view: CustomerView }>();

  /** On a store (the primary) or on another backend (an answer replica's). */
  constructor(
    store: Database | AnswerBackend,
    private readonly options: AnswerServiceOptions = {},
  ) {
    this.backend = 'continuable' in store ? store : storeAnswerBackend(store);
    this.backend.onKnowledgeBaseChanged?.(() => {
      const retired = this.localKb;
      this.localKb = undefined;
      retired?.then(
        (pool) => setTimeout(() => void (pool as LocalKbPool).close(), RETIRE_POOL_MS).unref(),
        () => undefined,
      );
    });
  }

  /** `validated`: the input was parsed already by a schema as strict as AnswerInput (the /v1/answer route's body). */
  async answer(input: AnswerInput, caller: AnswerCaller, { validated = false }: { validated?: boolean } = {}): Promise<AnswerResult> {
    let request = input;
    if (!validated) {
      const parsed = AnswerInput.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new AppError('validation', `invalid request: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'malformed'}`);
      }
      request = parsed.data;
    }
    const last = request.messages.at(-1)!;
    if (last.role !== 'customer' && last.role !== 'user' && last.role !== 'tool') throw new AppError('validation', 'the last message must be the customer’s (or a tool result)');
    if (!request.messages.some((m) => m.role === 'customer' || m.role === 'user')) throw new AppError('validation', 'the conversation holds no customer message');

    // Personal data is redacted before it reaches a model or the log.
    let turns: Turn[] = request.messages.flatMap(turnOf);
    const customerTurns = turns.filter((t) => t.role === 'customer').map((t) => t.text);
    const language: Language = detectLanguage(customerTurns);
    const dialogueId = request.dialogue_id ?? `prod-${request.channel}-${randomUUID()}`;
    const owner = { keyId: caller.keyId, channel: request.channel };

    let config: BotConfig | undefined;
    try {
      config = await this.backend.config(request.channel);
    } catch (error) {
      if (isClientError(error)) throw error;
      caller.logError?.(error, 'answer: reading the production config failed; sent the fallback message');
      return { answer: UNAVAILABLE.message[language], handoff: { queue: UNAVAILABLE.queue, reason: 'internal error' }, config_version: UNAVAILABLE.version, dialogue_id: dialogueId };
    }
    // `param: 'channel'` marks the unknown channel (the chat route calls it an unknown model).
    if (!config) throw new AppError('not_found', `no production config for channel ${request.channel}; promote one first`, { details: { param: 'channel' } });

    try {
      if (request.dialogue_id !== undefined) {
        turns = withLoggedToolTurns(await this.backend.continuable(request.dialogue_id, owner), turns);
      }
      const { answer, handoff, tool_calls: toolCalls, agent_tool_calls: agentToolCalls = [] } = await this.reply(request, turns, customerTurns, language, config, dialogueId);
      await this.backend.save(
        {
          id: dialogueId,
          channel: request.channel,
          customerId: request.customer_id ?? null,
          language,
          // Waiting for tool results, the exchange ends with what the agent said alongside its calls, if anything.
          turns: [
            ...turns,
            ...agentToolCalls.map((call): Turn => ({ role: 'tool', name: call.name, text: redact(JSON.stringify(call.result ?? null)) })),
            ...(answer === '' ? [] : [{ role: 'agent' as const, text: answer, agent_kind: 'bot' as const }]),
          ],
          escalated: handoff !== null,
          metadata: { config_version: config.version, model: config.model, handoff, ...toolMetadata(request, toolCalls) },
        },
        owner,
        request.dialogue_id !== undefined,
      );
      return { answer, handoff, config_version: config.version, dialogue_id: dialogueId, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
    } catch (error) {
      if (isClientError(error)) throw error;
      caller.logError?.(error, 'answer failed after validation; sent the fallback message');
      return {
        answer: config.prompt.fallback_message[language],
        handoff: { queue: config.prompt.escalation.queues.default, reason: 'internal error' },
        config_version: config.version,
        dialogue_id: dialogueId,
      };
    }
  }

  /**
   * The reply and hand-off, or the model's calls of the client's tools: rules first, then the model;
   * a failing model gives the fallback message. A tool_choice that obliges a call is refused (400)
   * when the config's model does not pass tools through.
   */
  private async reply(
    request: AnswerInput,
    turns: Turn[],
    customerTurns: string[],
    language: Language,
    config: BotConfig,
    dialogueId: string,
  ): Promise<Pick<AnswerResult, 'answer' | 'handoff' | 'tool_calls'> & { agent_tool_calls?: ToolCallRecord[] }> {
    const today = new Date().toISOString().slice(0, 10);
    const customer = request.customer_id ? await this.customerView(request.customer_id, today) : null;
    const resolved = await this.providerFor(config, `${dialogueId}|${request.customer_id ?? ''}`).then(
      (provider) => ({ provider }),
      (error: unknown) => ({ error }),
    );
    const passThrough = request.tools !== undefined && 'provider' in resolved && resolved.provider.passesToolsThrough === true;
    if (request.tools && 'provider' in resolved && !passThrough && mustCallTool(request.tools.tool_choice)) {
      throw new AppError('validation', `firstcall:${request.channel} answers with ${config.model}, which does not call client tools: send tool_choice auto or none`, { details: { param: 'tool_choice' } });
    }
    const rule = decideHandoff({ language, customerTurns, tier: customer?.tier ?? null });
    if (rule) return { answer: config.prompt.escalation.message[language], handoff: { queue: config.prompt.escalation.queues[rule.queue], reason: rule.reason } };
    const c = this.caseFor(turns, customer, language, request.channel, today);
    try {
      if ('error' in resolved) throw resolved.error;
      const { provider } = resolved;
      const clientTools = passThrough ? { ...request.tools!, messages: passThroughMessages(config.prompt, c, request.messages) } : undefined;
      const { value } = await withRetry(
        (signal) => provider.generate({ messages: answersFromCase(provider) ? [] : renderMessages(config.prompt, c), params: config.params, case: c, template: config.prompt, signal, ...(clientTools ? { clientTools } : {}) }),
        { retries: 1, timeoutMs: this.options.timeoutMs ?? 15_000, baseDelayMs: 200 },
      );
      // The client runs its tools: the calls go back as the model made them (arguments included), with what it said alongside.
      if (value.requested_tool_calls && value.requested_tool_calls.length > 0) {
        return { answer: redactPii(parseReply(value.text).answer).text, handoff: null, tool_calls: value.requested_tool_calls };
      }
      const reply = parseReply(value.text);
      const answer = redactPii(reply.answer).text; // guardrail: no personal data in a reply
      if (!answer) throw new Error('empty answer');
      let handoff: AnswerResult['handoff'] = null;
      if (reply.handoff) handoff = { queue: reply.handoff.queue, reason: 'model' };
      else if (textualHandoff(reply.answer)) handoff = { queue: config.prompt.escalation.queues.default, reason: 'model' };
      return { answer, handoff, ...(value.tool_calls && value.tool_calls.length > 0 ? { agent_tool_calls: value.tool_calls } : {}) };
    } catch (error) {
      return {
        answer: config.prompt.fallback_message[language],
        handoff: { queue: config.prompt.escalation.queues.default, reason: `model unavailable: ${error instanceof Error ? error.message.slice(0, 120) : 'error'}` },
      };
    }
  }

  private sandboxFor(key: string, c: SuiteCase, policy: ServicePolicy): Sandbox {
    const kept = this.sandboxes.get(key);
    if (kept) return kept;
    const seed =
      c.customer === null
        ? { today: c.contact_date, customer: { customer_id: 'unknown', tier: 'standard' as const, language: c.language }, orders: [], tickets: [], returns: [], address_changes: [], transfers: [] }
        : seedFromCustomer(c.customer, c.contact_date);
    const sandbox = createSandbox(seed, policy);
    this.sandboxes.set(key, sandbox);
    if (this.sandboxes.size > MAX_SANDBOXES) this.sandboxes.delete(this.sandboxes.keys().next().value!);
    return sandbox;
  }

  private caseFor(turns: Turn[], customer: CustomerView | null, language: Language, channel: string, today: string): SuiteCase {
    return {
      case_id: 'live',
      dialogue_id: 'live',
      history: turns,
      customer_message: turns.findLast((t) => t.role === 'customer')!.text,
      customer,
      contact_date: today,
      reference_answer: '',
      required_facts: [],
      expected_escalation: false,
      intent: null,
      language,
      channel,
      human_reply: null,
      gold: { fcr: null, accuracy: null, tone: null },
    };
  }

  /** The record as it stands today (no name: it goes to a model); worked out once a day per record the backend keeps. */
  private async customerView(id: string, today: string): Promise<CustomerView | null> {
    const customer = await this.backend.customer(id);
    if (!customer) return null;
    const kept = this.views.get(customer);
    if (kept?.today === today) return kept.view;
    const view = deepFreeze(anonymousCustomerViewAsOf(customer, today));
    this.views.set(customer, { today, view });
    return view;
  }

  /**
   * For the app's close: stores what was logged (what the store refuses stays in the journal for the
   * next start, and is said) and stops local:kb's worker threads.
   */
  async close(): Promise<void> {
    await this.backend.settle?.().catch((error: unknown) => console.error(`firstcall: ${error instanceof Error ? error.message : String(error)}`));
    const pool = this.localKb;
    this.localKb = undefined;
    await pool?.then((p) => (p as LocalKbPool).close(), () => undefined);
  }

  private async providerFor(config: BotConfig, conversationKey: string): Promise<Provider> {
    if (this.options.resolve) return this.options.resolve(config.model);
    // local:agent runs its tool loop on this dialogue's sandbox, seeded from the asking customer's record (the case's customer) only.
    if (config.model === LOCAL_AGENT_ID) return createLocalAgentProvider({ sandboxFor: (c, policy) => this.sandboxFor(conversationKey, c, policy) });
    if (config.model === 'local:kb') {
      // Built once, in worker threads so retrieval never holds up this event loop; a failed build is
      // not cached, so the next request tries again.
      this.localKb ??= this.backend
        .knowledgeBase()
        .then(async (source) => {
          const pool = createLocalKbPool(source);
          await pool.ready.catch(async (error: unknown) => {
            await pool.close();
            throw error;
          });
          return pool;
        })
        .catch((error: unknown) => {
          this.localKb = undefined;
          throw error;
        });
      return this.localKb;
    }
    // One provider (and its client) per model id: building one per request cost more CPU than the call.
    let provider = this.providers.get(config.model);
    if (!provider) {
      provider = resolveProvider(config.model, { ...this.options.provider });
      this.providers.set(config.model, provider);
      if (this.providers.size > MAX_PROVIDERS) this.providers.delete(this.providers.keys().next().value!);
    }
    return provider;
  }
}

const redact = (text: string) => redactPii(text).text;

/** The offline bots answer from the case and the template: the rendered prompt would go unread. */
const answersFromCase = (provider: Provider) => provider.id === LOCAL_KB_ID || provider.id === LOCAL_AGENT_ID;

/**
 * A continued dialogue's turns: the client sends the conversation as it saw it, without the tool turns
 * logged for calls made on firstcall's side (local:agent's); those are kept, with the stored turns'
 * agent kind, wherever the client's history repeats the stored one, up to the first turn that differs.
 */
export function withLoggedToolTurns(stored: readonly Turn[], sent: readonly Turn[]): Turn[] {
  const out: Turn[] = [];
  let ours: Turn[] = [];
  let j = 0;
  for (const t of stored) {
    const s = sent[j];
    if (s === undefined) break;
    if (t.role === s.role && t.text === s.text && (t.name ?? null) === (s.name ?? null)) {
      out.push(...ours, { ...s, ...(t.agent_kind ? { agent_kind: t.agent_kind } : {}) });
      ours = [];
      j++;
    } else if (t.role === 'tool') ours.push({ role: 'tool', text: t.text, ...(t.name ? { name: t.name } : {}) });
    else break;
  }
  return [...out, ...sent.slice(j)];
}

/** A message as a stored turn (redacted): tool results are `tool` turns named after their function; tool calls are not turns. */
function turnOf(m: AnswerInput['messages'][number]): Turn[] {
  if (m.role === 'tool') return [{ role: 'tool', name: m.name, text: redact(m.text).trim() === '' ? '(empty)' : redact(m.text) }];
  const text = redact(m.text);
  if (text.trim() === '') return [];
  return [{ role: m.role === 'user' || m.role === 'customer' ? 'customer' : 'agent', text }];
}

/** What the log keeps about tools: the client's tool names, every call of the exchange (arguments redacted), and whether it waits for results. */
function toolMetadata(request: AnswerInput, requested: readonly ToolCall[] | undefined): Record<string, unknown> {
  const calls = [...request.messages.flatMap((m) => ('tool_calls' in m ? m.tool_calls : [])), ...(requested ?? [])];
  if (!request.tools && calls.length === 0) return {};
  return {
    ...(request.tools ? { client_tools: request.tools.tools.map((t) => t.function.name) } : {}),
    ...(calls.length > 0 ? { tool_calls: calls.map((c) => ({ id: c.id, name: c.function.name, arguments: redact(c.function.arguments) })) } : {}),
    ...(requested ? { awaiting_tool_results: true } : {}),
  };
}

/**
 * What a model that passes tools through gets: the config's system prompt and few-shot examples (as
 * rendered for this case, tool results left out of the prompt), then the client's conversation with
 * its tool calls and results, redacted.
 */
function passThroughMessages(template: PromptTemplate, c: SuiteCase, messages: AnswerInput['messages']): ProtocolMessage[] {
  const rendered = renderMessages(template, { ...c, history: c.history.filter((t) => t.role !== 'tool') });
  // renderMessages gives the system prompt, the template's few-shot pairs in the case's language, then the conversation.
  const prefix = rendered.slice(0, 1 + 2 * template.few_shot.filter((e) => e.language === c.language).length);
  const conversation = messages.map((m): ProtocolMessage => {
    if (m.role === 'tool') return { role: 'tool', tool_call_id: m.tool_call_id, content: redact(m.text) };
    if ('tool_calls' in m) {
      return { role: 'assistant', content: m.text === '' ? null : redact(m.text), tool_calls: m.tool_calls.map((call) => ({ ...call, function: { ...call.function, arguments: redact(call.function.arguments) } })) };
    }
    return { role: m.role === 'customer' || m.role === 'user' ? 'user' : 'assistant', content: redact(m.text) };
  });
  return [...prefix, ...conversation];
}
