// The production answer endpoint's use case: render the channel's production config with the
// customer's CRM profile, decide hand-off by the config's rules, call the model (with a timeout),
// apply guardrails, and log the exchange as a `production` dialogue so it flows back into labeling.
// When the model fails or times out the answer is the config's fallback message with a hand-off.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { renderMessages } from '../candidates/render-prompt.ts';
import type { CustomerView } from '../domain/api.ts';
import type { Language, Turn } from '../domain/dialogue.ts';
import { AppError } from '../domain/errors.ts';
import { parseReply, type Provider, type SuiteCase } from '../domain/eval.ts';
import { warrantyOn } from '../domain/warranty.ts';
import { withRetry } from '../eval/retry.ts';
import { knowledgeBaseEntries } from '../eval/knowledge-base-source.ts';
import { getConfig, type BotConfig } from '../promotion/configs.ts';
import { buildKnowledgeBase, createLocalKbProvider, decideHandoff } from '../providers/local-kb.ts';
import { resolveProvider, type ProviderOptions } from '../providers/registry.ts';
import { textualHandoff } from '../scorers/handoff.ts';
import { detectLanguage } from '../text/detect-language.ts';
import { redactPii } from '../text/pii-redaction.ts';
import { CustomerRepository } from '../storage/customer-repository.ts';
import type { Database } from '../storage/database.ts';

export const AnswerMessage = z.object({
  role: z.enum(['customer', 'agent', 'user', 'assistant']),
  text: z.string().min(1).max(10_000),
});
export const AnswerRequest = z.object({
  channel: z.string().min(1).max(40),
  customer_id: z.string().min(1).max(200).optional(),
  /** The conversation so far; the last message is the customer's. */
  messages: z.array(AnswerMessage).min(1).max(200),
  /** Continue a logged dialogue (the full history is sent each time and replaces the stored one). */
  dialogue_id: z.string().min(1).max(200).optional(),
});
export type AnswerRequest = z.infer<typeof AnswerRequest>;

export const AnswerResponse = z.object({
  answer: z.string(),
  handoff: z.object({ queue: z.string(), reason: z.string() }).nullable(),
  config_version: z.string(),
  dialogue_id: z.string(),
});
export type AnswerResponse = z.infer<typeof AnswerResponse>;

export interface AnswerServiceOptions {
  provider?: Pick<ProviderOptions, 'baseURL' | 'apiKey' | 'fetch' | 'hfToken' | 'hfEndpointUrl'>;
  timeoutMs?: number;
  /** Resolve a model id to a provider (tests inject a failing one). */
  resolve?: (modelId: string) => Promise<Provider>;
}

export class AnswerService {
  private localKb: Promise<Provider> | undefined;

  constructor(
    private readonly db: Database,
    private readonly options: AnswerServiceOptions = {},
  ) {}

  async answer(input: AnswerRequest): Promise<AnswerResponse> {
    const request = AnswerRequest.parse(input);
    const config = await getConfig(this.db, request.channel);
    if (!config) throw new AppError('not_found', `no production config for channel ${request.channel}; promote one first`);
    const last = request.messages.at(-1)!;
    if (last.role !== 'customer' && last.role !== 'user') throw new AppError('validation', 'the last message must be the customer’s');

    // Personal data is redacted before it reaches a model or the log.
    const turns: Turn[] = request.messages.map((m) => ({ role: m.role === 'user' || m.role === 'customer' ? 'customer' : 'agent', text: redactPii(m.text).text }));
    const customerTurns = turns.filter((t) => t.role === 'customer').map((t) => t.text);
    const language: Language = detectLanguage(customerTurns);
    const today = new Date().toISOString().slice(0, 10);
    const customer = request.customer_id ? await this.customerView(request.customer_id, today) : null;

    let answer: string;
    let handoff: AnswerResponse['handoff'] = null;
    const rule = decideHandoff({ language, customerTurns, tier: customer?.tier ?? null });
    if (rule) {
      answer = config.prompt.escalation.message[language];
      handoff = { queue: config.prompt.escalation.queues[rule.queue], reason: rule.reason };
    } else {
      const c = this.caseFor(turns, customer, language, request.channel, today);
      try {
        const provider = await this.providerFor(config);
        const { value } = await withRetry(
          (signal) => provider.generate({ messages: renderMessages(config.prompt, c), params: config.params, case: c, template: config.prompt, signal }),
          { retries: 1, timeoutMs: this.options.timeoutMs ?? 15_000, baseDelayMs: 200 },
        );
        const reply = parseReply(value.text);
        answer = redactPii(reply.answer).text; // guardrail: no personal data in a reply
        if (reply.handoff) handoff = { queue: reply.handoff.queue, reason: 'model' };
        else if (textualHandoff(reply.answer)) handoff = { queue: config.prompt.escalation.queues.default, reason: 'model' };
        if (!answer) throw new Error('empty answer');
      } catch (error) {
        answer = config.prompt.fallback_message[language];
        handoff = { queue: config.prompt.escalation.queues.default, reason: `model unavailable: ${error instanceof Error ? error.message.slice(0, 120) : 'error'}` };
      }
    }
    const dialogueId = request.dialogue_id ?? `prod-${request.channel}-${randomUUID()}`;
    await this.log(dialogueId, request, turns, answer, handoff, language, config);
    return { answer, handoff, config_version: config.version, dialogue_id: dialogueId };
  }

  private caseFor(turns: Turn[], customer: CustomerView | null, language: Language, channel: string, today: string): SuiteCase {
    return {
      case_id: 'live',
      dialogue_id: 'live',
      history: turns,
      customer_message: turns.at(-1)!.text,
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

  private async customerView(id: string, today: string): Promise<CustomerView | null> {
    const customer = await new CustomerRepository(this.db).get(id);
    if (!customer) return null;
    const { name: _name, ...rest } = customer;
    return { ...rest, purchases: customer.purchases.map((p) => ({ ...p, warranty: warrantyOn(p, today) })) };
  }

  private async providerFor(config: BotConfig): Promise<Provider> {
    if (this.options.resolve) return this.options.resolve(config.model);
    if (config.model === 'local:kb') {
      this.localKb ??= knowledgeBaseEntries(this.db).then((entries) => createLocalKbProvider({ knowledgeBase: buildKnowledgeBase(entries) }));
      return this.localKb;
    }
    return resolveProvider(config.model, { ...this.options.provider });
  }

  private async log(id: string, request: AnswerRequest, turns: Turn[], answer: string, handoff: AnswerResponse['handoff'], language: Language, config: BotConfig): Promise<void> {
    const now = new Date().toISOString();
    const all: Turn[] = [...turns, { role: 'agent', text: answer, agent_kind: 'bot' }];
    const metadata = JSON.stringify({ config_version: config.version, model: config.model, handoff });
    await this.db.transaction(async () => {
      const [existing] = await this.db.all<{ started_at: string | null }>('SELECT started_at FROM dialogues WHERE id = $id', { id });
      await this.db.run('DELETE FROM turns WHERE dialogue_id = $id', { id });
      await this.db.run('DELETE FROM dialogues WHERE id = $id', { id });
      const started = existing?.started_at ?? now;
      await this.db.run(
        `INSERT INTO dialogues VALUES ($id, $channel, $customer, $language, $started, CAST($started AS TIMESTAMPTZ), 'production', NULL,
           NULL, $escalated, NULL, $metadata, $turns, 'live', 'production')`,
        { id, channel: request.channel, customer: request.customer_id ?? null, language, started, escalated: handoff !== null, metadata, turns: all.length },
      );
      await this.db.run(
        `INSERT INTO turns SELECT $id, t.seq, t.role, t.text, NULL, t.agent_kind, NULL
         FROM (SELECT unnest(from_json($rows, '[{"seq":"INTEGER","role":"VARCHAR","text":"VARCHAR","agent_kind":"VARCHAR"}]')) AS t)`,
        { id, rows: JSON.stringify(all.map((t, seq) => ({ seq, role: t.role, text: t.text, agent_kind: t.role === 'agent' ? (t.agent_kind ?? null) : null }))) },
      );
    });
  }
}
